-- CreateEnum
CREATE TYPE "RunState" AS ENUM ('idle', 'running', 'waiting_input', 'succeeded', 'failed', 'stopped');

-- AlterTable
ALTER TABLE "WorkflowSession" ADD COLUMN     "runAttempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "runCheckpoint" JSONB,
ADD COLUMN     "runError" TEXT,
ADD COLUMN     "runState" "RunState" NOT NULL DEFAULT 'idle',
ADD COLUMN     "runStep" TEXT,
ADD COLUMN     "runUpdatedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "WorkflowSession_runState_idx" ON "WorkflowSession"("runState");

