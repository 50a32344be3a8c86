-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('IN_PROGRESS', 'COMPLETED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "MessageRole" AS ENUM ('user', 'agent', 'system');

-- CreateTable
CREATE TABLE "WorkflowSession" (
    "id" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "workflowName" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "parentSessionId" TEXT,
    "sourceArtifactId" TEXT,
    "legacyId" TEXT,

    CONSTRAINT "WorkflowSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "role" "MessageRole" NOT NULL,
    "kind" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "clientMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("sessionId","seq")
);

-- CreateTable
CREATE TABLE "ArtifactInstance" (
    "id" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdBySessionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArtifactInstance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionArtifact" (
    "sessionId" TEXT NOT NULL,
    "artifactId" TEXT NOT NULL,
    "attachedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionArtifact_pkey" PRIMARY KEY ("sessionId","artifactId")
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowSession_legacyId_key" ON "WorkflowSession"("legacyId");

-- CreateIndex
CREATE INDEX "WorkflowSession_userId_enterpriseId_appId_status_lastActivi_idx" ON "WorkflowSession"("userId", "enterpriseId", "appId", "status", "lastActivityAt" DESC);

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

-- AddForeignKey
ALTER TABLE "WorkflowSession" ADD CONSTRAINT "WorkflowSession_parentSessionId_fkey" FOREIGN KEY ("parentSessionId") REFERENCES "WorkflowSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkflowSession" ADD CONSTRAINT "WorkflowSession_sourceArtifactId_fkey" FOREIGN KEY ("sourceArtifactId") REFERENCES "ArtifactInstance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "WorkflowSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionArtifact" ADD CONSTRAINT "SessionArtifact_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "WorkflowSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionArtifact" ADD CONSTRAINT "SessionArtifact_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "ArtifactInstance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

