-- CreateTable
CREATE TABLE "StreamDraft" (
    "sessionId" TEXT NOT NULL,
    "draftId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StreamDraft_pkey" PRIMARY KEY ("sessionId")
);

