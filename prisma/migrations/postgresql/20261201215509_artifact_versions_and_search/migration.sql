-- CreateTable
CREATE TABLE "ArtifactVersion" (
    "artifactId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArtifactVersion_pkey" PRIMARY KEY ("artifactId","version")
);

-- AddForeignKey
ALTER TABLE "ArtifactVersion" ADD CONSTRAINT "ArtifactVersion_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "ArtifactInstance"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill (by hand): an artifact older than this table gets its current state as the first
-- entry of its history.
INSERT INTO "ArtifactVersion" ("artifactId", "version", "state", "createdAt")
SELECT "id", "version", "state", "updatedAt" FROM "ArtifactInstance";

-- Full-text search (by hand; Prisma does not model these objects): GIN expression indexes
-- over the same expressions the search query uses (lib/store/search.ts), so nothing extra is
-- written by the application and the batched append path is unchanged. The 'simple'
-- configuration (no stemming, no stop words) makes prefix matching predictable in any language.
-- Only the user's own text messages are indexed (a partial index).
CREATE INDEX "WorkflowSession_title_search_idx" ON "WorkflowSession" USING GIN (to_tsvector('simple'::regconfig, "title"));
CREATE INDEX "Message_text_search_idx" ON "Message" USING GIN (to_tsvector('simple'::regconfig, coalesce("content"->>'text', '')))
    WHERE "role" = 'user' AND "kind" = 'text';
CREATE INDEX "ArtifactInstance_search_idx" ON "ArtifactInstance" USING GIN (
    (to_tsvector('simple'::regconfig, "title") || jsonb_to_tsvector('simple'::regconfig, "state", '["string"]'))
);
