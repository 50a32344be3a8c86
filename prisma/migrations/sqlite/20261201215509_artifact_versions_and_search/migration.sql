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
-- transaction; only user text messages add a row. "SearchFts" is an FTS5 index over it
-- (external content: the text is stored once, in SearchDoc). docId is an INTEGER PRIMARY KEY,
-- so VACUUM never renumbers it (it may renumber the implicit rowids of the source tables).
-- A later migration that rebuilds one of the source tables drops its triggers:
-- tests/schema.test.ts checks they exist after every migration.
CREATE TABLE "SearchDoc" (
    "docId" INTEGER PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "sessionId" TEXT,
    "body" TEXT NOT NULL
);
CREATE UNIQUE INDEX "SearchDoc_kind_ref_key" ON "SearchDoc"("kind", "ref");

CREATE VIRTUAL TABLE "SearchFts" USING fts5(
    body,
    content = 'SearchDoc',
    content_rowid = 'docId',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER "SearchDoc_ai" AFTER INSERT ON "SearchDoc" BEGIN
    INSERT INTO "SearchFts"(rowid, body) VALUES (new."docId", new."body");
END;
CREATE TRIGGER "SearchDoc_ad" AFTER DELETE ON "SearchDoc" BEGIN
    INSERT INTO "SearchFts"("SearchFts", rowid, body) VALUES ('delete', old."docId", old."body");
END;
CREATE TRIGGER "SearchDoc_au" AFTER UPDATE OF "body" ON "SearchDoc" BEGIN
    INSERT INTO "SearchFts"("SearchFts", rowid, body) VALUES ('delete', old."docId", old."body");
    INSERT INTO "SearchFts"(rowid, body) VALUES (new."docId", new."body");
END;

CREATE TRIGGER "WorkflowSession_search_ai" AFTER INSERT ON "WorkflowSession" BEGIN
    INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body") VALUES ('s', new."id", new."id", new."title");
END;
CREATE TRIGGER "WorkflowSession_search_au" AFTER UPDATE OF "title" ON "WorkflowSession" WHEN new."title" IS NOT old."title" BEGIN
    UPDATE "SearchDoc" SET "body" = new."title" WHERE "kind" = 's' AND "ref" = new."id";
END;
CREATE TRIGGER "WorkflowSession_search_ad" AFTER DELETE ON "WorkflowSession" BEGIN
    DELETE FROM "SearchDoc" WHERE "kind" = 's' AND "ref" = old."id";
END;

CREATE TRIGGER "Message_search_ai" AFTER INSERT ON "Message" WHEN new."role" = 'user' AND new."kind" = 'text' BEGIN
    INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body")
    VALUES ('m', new."sessionId" || ':' || new."seq", new."sessionId", coalesce(json_extract(new."content", '$.text'), ''));
END;
CREATE TRIGGER "Message_search_ad" AFTER DELETE ON "Message" WHEN old."role" = 'user' AND old."kind" = 'text' BEGIN
    DELETE FROM "SearchDoc" WHERE "kind" = 'm' AND "ref" = old."sessionId" || ':' || old."seq";
END;

CREATE TRIGGER "ArtifactInstance_search_ai" AFTER INSERT ON "ArtifactInstance" BEGIN
    INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body")
    VALUES ('a', new."id", NULL, new."title" || ' ' || coalesce((SELECT group_concat("value", ' ') FROM json_tree(new."state") WHERE "type" = 'text'), ''));
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
INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body") SELECT 's', "id", "id", "title" FROM "WorkflowSession";
INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body")
SELECT 'm', "sessionId" || ':' || "seq", "sessionId", coalesce(json_extract("content", '$.text'), '')
FROM "Message" WHERE "role" = 'user' AND "kind" = 'text';
INSERT INTO "SearchDoc"("kind", "ref", "sessionId", "body")
SELECT 'a', "id", NULL, "title" || ' ' || coalesce((SELECT group_concat(j."value", ' ') FROM json_tree("ArtifactInstance"."state") j WHERE j."type" = 'text'), '')
FROM "ArtifactInstance";
