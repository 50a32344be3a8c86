-- AlterEnum
ALTER TYPE "RunState" ADD VALUE 'queued';

-- CreateTable
CREATE TABLE "BuildOutput" (
    "sessionId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuildOutput_pkey" PRIMARY KEY ("sessionId")
);

-- AddForeignKey
ALTER TABLE "BuildOutput" ADD CONSTRAINT "BuildOutput_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "WorkflowSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

