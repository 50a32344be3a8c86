-- CreateTable
CREATE TABLE "WorkflowSession" (
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
    CONSTRAINT "WorkflowSession_parentSessionId_fkey" FOREIGN KEY ("parentSessionId") REFERENCES "WorkflowSession" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "WorkflowSession_sourceArtifactId_fkey" FOREIGN KEY ("sourceArtifactId") REFERENCES "ArtifactInstance" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Message" (
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "clientMessageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("sessionId", "seq"),
    CONSTRAINT "Message_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "WorkflowSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ArtifactInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "enterpriseId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdBySessionId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SessionArtifact" (
    "sessionId" TEXT NOT NULL,
    "artifactId" TEXT NOT NULL,
    "attachedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("sessionId", "artifactId"),
    CONSTRAINT "SessionArtifact_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "WorkflowSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SessionArtifact_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "ArtifactInstance" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowSession_legacyId_key" ON "WorkflowSession"("legacyId");

-- CreateIndex
CREATE INDEX "WorkflowSession_userId_enterpriseId_appId_status_lastActivityAt_idx" ON "WorkflowSession"("userId", "enterpriseId", "appId", "status", "lastActivityAt" DESC);

-- CreateIndex
CREATE INDEX "WorkflowSession_parentSessionId_idx" ON "WorkflowSession"("parentSessionId");

-- CreateIndex
CREATE INDEX "WorkflowSession_sourceArtifactId_idx" ON "WorkflowSession"("sourceArtifactId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_sessionId_clientMessageId_key" ON "Message"("sessionId", "clientMessageId");

-- CreateIndex
CREATE INDEX "ArtifactInstance_userId_enterpriseId_appId_idx" ON "ArtifactInstance"("userId", "enterpriseId", "appId");

-- CreateIndex
CREATE INDEX "ArtifactInstance_createdBySessionId_idx" ON "ArtifactInstance"("createdBySessionId");

-- CreateIndex
CREATE INDEX "SessionArtifact_artifactId_idx" ON "SessionArtifact"("artifactId");

