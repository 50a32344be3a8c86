-- CreateTable
CREATE TABLE "ArtifactVersion" (
    "artifactId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("artifactId", "version"),
    CONSTRAINT "ArtifactVersion_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "ArtifactInstance" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);


-- Backfill (by hand): an artifact older than this table gets its current state as the first
-- entry of its history.
INSERT INTO "ArtifactVersion" ("artifactId", "version", "state", "createdAt")
SELECT "id", "version", "state", "updatedAt" FROM "ArtifactInstance";

-- Full-text search (by hand; Prisma does not model these objects). "SearchDoc" holds one row
-- per searchable text: a session's title (kind 's'), a user's own text message ('m'), an
-- artifact's title and the strings of its state ('a'). Triggers keep it in step with the
-- source rows inside the writing statement's own transaction, so a batched append stays one
-- transaction; only user text messages add a row. Two FTS5 indexes read their text from it
-- (external content: stored once): "SearchFts" over messages (large), "SearchTitleFts" over
-- titles and artifacts (small). Each row also carries its owner as one token ("own", 'o' + the
-- owner's number in "SearchOwner") and, for messages, its session as one token ("sess", 'n' +
-- the docId of the session's title row), so a query can ask the index itself for "this
-- owner's newest matches" or "matches in these sessions" without visiting other rows.
-- docId is an INTEGER PRIMARY KEY, so VACUUM never renumbers it. A later migration that
-- rebuilds a source table drops its triggers: tests/schema.test.ts checks they exist.
CREATE TABLE "SearchOwner" (
    "n" INTEGER PRIMARY KEY,
    "key" TEXT NOT NULL
);
CREATE UNIQUE INDEX "SearchOwner_key_key" ON "SearchOwner"("key");

CREATE TABLE "SearchDoc" (
    "docId" INTEGER PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "sessionId" TEXT,
    "body" TEXT NOT NULL,
    "own" TEXT NOT NULL,
    "sess" TEXT
);
CREATE UNIQUE INDEX "SearchDoc_kind_ref_key" ON "SearchDoc"("kind", "ref");

CREATE VIRTUAL TABLE "SearchFts" USING fts5(
    body, own, sess,
    content = 'SearchDoc', content_rowid = 'docId',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE "SearchTitleFts" USING fts5(
    body, own,
    content = 'SearchDoc', content_rowid = 'docId',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER "SearchDoc_ai" AFTER INSERT ON "SearchDoc" BEGIN
    INSERT INTO "SearchFts"(rowid, body, own, sess) SELECT new."docId", new."body", new."own", new."sess" WHERE new."kind" = 'm';
    INSERT INTO "SearchTitleFts"(rowid, body, own) SELECT new."docId", new."body", new."own" WHERE new."kind" <> 'm';
END;
CREATE TRIGGER "SearchDoc_ad" AFTER DELETE ON "SearchDoc" BEGIN
    INSERT INTO "SearchFts"("SearchFts", rowid, body, own, sess) SELECT 'delete', old."docId", old."body", old."own", old."sess" WHERE old."kind" = 'm';
    INSERT INTO "SearchTitleFts"("SearchTitleFts", rowid, body, own) SELECT 'delete', old."docId", old."body", old."own" WHERE old."kind" <> 'm';
END;
CREATE TRIGGER "SearchDoc_au" AFTER UPDATE OF "body" ON "SearchDoc" BEGIN
    INSERT INTO "SearchFts"("SearchFts", rowid, body, own, sess) SELECT 'delete', old."docId", old."body", old."own", old."sess" WHERE old."kind" = 'm';
    INSERT INTO "SearchFts"(rowid, body, own, sess) SELECT new."docId", new."body", new."own", new."sess" WHERE new."kind" = 'm';
    INSERT INTO "SearchTitleFts"("SearchTitleFts", rowid, body, own) SELECT 'delete', old."docId", old."body", old."own" WHERE old."kind" <> 'm';
    INSERT INTO "SearchTitleFts"(rowid, body, own) SELECT new."docId", new."body", new."own" WHERE new."kind" <> 'm';
END;

CREATE TRIGGER "WorkflowSession_search_ai" AFTER INSERT ON "WorkflowSession" BEGIN
    INSERT OR IGNORE INTO "SearchOwner"("key") VALUES (new."enterpriseId" || char(31) || new."appId" || char(31) || new."userId");
    INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body", "own")
    SELECT 's', new."id", new."id", new."title", 'o' || o."n" FROM "SearchOwner" o
    WHERE o."key" = new."enterpriseId" || char(31) || new."appId" || char(31) || new."userId";
END;
CREATE TRIGGER "WorkflowSession_search_au" AFTER UPDATE OF "title" ON "WorkflowSession" WHEN new."title" IS NOT old."title" BEGIN
    UPDATE "SearchDoc" SET "body" = new."title" WHERE "kind" = 's' AND "ref" = new."id";
END;
CREATE TRIGGER "WorkflowSession_search_ad" AFTER DELETE ON "WorkflowSession" BEGIN
    DELETE FROM "SearchDoc" WHERE "kind" = 's' AND "ref" = old."id";
END;

CREATE TRIGGER "Message_search_ai" AFTER INSERT ON "Message" WHEN new."role" = 'user' AND new."kind" = 'text' BEGIN
    INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body", "own", "sess")
    SELECT 'm', new."sessionId" || ':' || new."seq", new."sessionId", coalesce(json_extract(new."content", '$.text'), ''), d."own", 'n' || d."docId"
    FROM "SearchDoc" d WHERE d."kind" = 's' AND d."ref" = new."sessionId";
END;
CREATE TRIGGER "Message_search_ad" AFTER DELETE ON "Message" WHEN old."role" = 'user' AND old."kind" = 'text' BEGIN
    DELETE FROM "SearchDoc" WHERE "kind" = 'm' AND "ref" = old."sessionId" || ':' || old."seq";
END;

CREATE TRIGGER "ArtifactInstance_search_ai" AFTER INSERT ON "ArtifactInstance" BEGIN
    INSERT OR IGNORE INTO "SearchOwner"("key") VALUES (new."enterpriseId" || char(31) || new."appId" || char(31) || new."userId");
    INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body", "own")
    SELECT 'a', new."id", NULL, new."title" || ' ' || coalesce((SELECT group_concat("value", ' ') FROM json_tree(new."state") WHERE "type" = 'text'), ''), 'o' || o."n"
    FROM "SearchOwner" o WHERE o."key" = new."enterpriseId" || char(31) || new."appId" || char(31) || new."userId";
END;
CREATE TRIGGER "ArtifactInstance_search_au" AFTER UPDATE OF "title", "state" ON "ArtifactInstance" BEGIN
    UPDATE "SearchDoc"
    SET "body" = new."title" || ' ' || coalesce((SELECT group_concat("value", ' ') FROM json_tree(new."state") WHERE "type" = 'text'), '')
    WHERE "kind" = 'a' AND "ref" = new."id";
END;
CREATE TRIGGER "ArtifactInstance_search_ad" AFTER DELETE ON "ArtifactInstance" BEGIN
    DELETE FROM "SearchDoc" WHERE "kind" = 'a' AND "ref" = old."id";
END;

-- Index what is already stored.
INSERT OR IGNORE INTO "SearchOwner"("key")
SELECT DISTINCT "enterpriseId" || char(31) || "appId" || char(31) || "userId" FROM "WorkflowSession"
UNION SELECT DISTINCT "enterpriseId" || char(31) || "appId" || char(31) || "userId" FROM "ArtifactInstance";
INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body", "own")
SELECT 's', s."id", s."id", s."title", 'o' || o."n" FROM "WorkflowSession" s
JOIN "SearchOwner" o ON o."key" = s."enterpriseId" || char(31) || s."appId" || char(31) || s."userId";
INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body", "own", "sess")
SELECT 'm', m."sessionId" || ':' || m."seq", m."sessionId", coalesce(json_extract(m."content", '$.text'), ''), d."own", 'n' || d."docId"
FROM "Message" m JOIN "SearchDoc" d ON d."kind" = 's' AND d."ref" = m."sessionId"
WHERE m."role" = 'user' AND m."kind" = 'text'
ORDER BY m."createdAt", m."sessionId", m."seq";
INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body", "own")
SELECT 'a', a."id", NULL, a."title" || ' ' || coalesce((SELECT group_concat(j."value", ' ') FROM json_tree(a."state") j WHERE j."type" = 'text'), ''), 'o' || o."n"
FROM "ArtifactInstance" a JOIN "SearchOwner" o ON o."key" = a."enterpriseId" || char(31) || a."appId" || char(31) || a."userId";
