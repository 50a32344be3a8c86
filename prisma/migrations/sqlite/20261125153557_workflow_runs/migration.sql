-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WorkflowSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "enterpriseId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "workflowName" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'IN_PROGRESS',
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "archivedAt" DATETIME,
    "parentSessionId" TEXT,
    "sourceArtifactId" TEXT,
    "legacyId" TEXT,
    "runState" TEXT NOT NULL DEFAULT 'idle',
    "runStep" TEXT,
    "runError" TEXT,
    "runCheckpoint" JSONB,
    "runAttempt" INTEGER NOT NULL DEFAULT 0,
    "runUpdatedAt" DATETIME,
    CONSTRAINT "WorkflowSession_parentSessionId_fkey" FOREIGN KEY ("parentSessionId") REFERENCES "WorkflowSession" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "WorkflowSession_sourceArtifactId_fkey" FOREIGN KEY ("sourceArtifactId") REFERENCES "ArtifactInstance" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_WorkflowSession" ("appId", "archivedAt", "completedAt", "createdAt", "enterpriseId", "id", "lastActivityAt", "lastSeq", "legacyId", "parentSessionId", "sourceArtifactId", "status", "title", "updatedAt", "userId", "workflowName") SELECT "appId", "archivedAt", "completedAt", "createdAt", "enterpriseId", "id", "lastActivityAt", "lastSeq", "legacyId", "parentSessionId", "sourceArtifactId", "status", "title", "updatedAt", "userId", "workflowName" FROM "WorkflowSession";
DROP TABLE "WorkflowSession";
ALTER TABLE "new_WorkflowSession" RENAME TO "WorkflowSession";
CREATE UNIQUE INDEX "WorkflowSession_legacyId_key" ON "WorkflowSession"("legacyId");
CREATE INDEX "WorkflowSession_userId_enterpriseId_appId_status_lastActivityAt_idx" ON "WorkflowSession"("userId", "enterpriseId", "appId", "status", "lastActivityAt" DESC);
CREATE INDEX "WorkflowSession_parentSessionId_idx" ON "WorkflowSession"("parentSessionId");
CREATE INDEX "WorkflowSession_sourceArtifactId_idx" ON "WorkflowSession"("sourceArtifactId");
CREATE INDEX "WorkflowSession_runState_idx" ON "WorkflowSession"("runState");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

