-- CreateTable
CREATE TABLE "BuildOutput" (
    "sessionId" TEXT NOT NULL PRIMARY KEY,
    "attempt" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BuildOutput_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "WorkflowSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

