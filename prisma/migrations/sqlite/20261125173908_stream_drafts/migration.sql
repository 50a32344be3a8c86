-- CreateTable
CREATE TABLE "StreamDraft" (
    "sessionId" TEXT NOT NULL PRIMARY KEY,
    "draftId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

