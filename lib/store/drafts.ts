/**
 * Stream drafts: the text of an agent reply that is still arriving, one per session at most.
 * The producer flushes it every few hundred ms (never per token); a client joining mid-stream
 * reads it here, whichever node it is on. The final Message is appended and the draft deleted
 * in one transaction (messages.ts, `endDraftId`), so a reader sees one or the other, never both.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard } from "./prisma-errors.ts";
import { assertStorable, parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema } from "./sessions.ts";

/** Longest draft kept (a model reply is far shorter; the cap protects the row). */
export const MAX_DRAFT_CHARS = 200_000;

const draftInput = z.strictObject({
  draftId: z.string().regex(/^[\w.:-]{1,100}$/, "draft ids are 1 to 100 letters, digits or _ . : -"),
  text: z.string().max(MAX_DRAFT_CHARS, `drafts are at most ${MAX_DRAFT_CHARS} characters`),
});
export type DraftInput = z.input<typeof draftInput>;

export interface DraftRecord {
  sessionId: string;
  draftId: string;
  text: string;
  updatedAt: Date;
}

async function ownedSession(db: Db, scope: Scope, id: string): Promise<{ status: string }> {
  const session = await db.workflowSession.findFirst({ where: { id, ...scopeWhere(scope) }, select: { status: true } });
  if (!session) throw new TabflowError("not_found", "session not found");
  return session;
}

/** Writes the session's draft (replacing any other one): one statement per flush. */
export async function saveDraft(db: Db, scope: Scope, sessionId: string, input: DraftInput): Promise<DraftRecord> {
  const id = parseInput(idSchema, sessionId, "session id");
  const draft = parseInput(draftInput, input, "draft");
  assertStorable(draft.text, "draft text");
  return guard(async () => {
    const session = await ownedSession(db, scope, id);
    if (session.status !== "IN_PROGRESS") throw new TabflowError("session_closed", "the session accepts no new messages");
    const row = await db.streamDraft.upsert({
      where: { sessionId: id },
      create: { sessionId: id, draftId: draft.draftId, text: draft.text },
      update: { draftId: draft.draftId, text: draft.text },
    });
    return { sessionId: row.sessionId, draftId: row.draftId, text: row.text, updatedAt: row.updatedAt };
  });
}

/** The session's draft, if a reply is being streamed (as of its last flush). */
export async function getDraft(db: Db, scope: Scope, sessionId: string): Promise<DraftRecord | null> {
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    await ownedSession(db, scope, id);
    const row = await db.streamDraft.findUnique({ where: { sessionId: id } });
    return row && { sessionId: row.sessionId, draftId: row.draftId, text: row.text, updatedAt: row.updatedAt };
  });
}

/** Drops the session's draft (only that one, when draftId is given); true when one was removed. */
export async function deleteDraft(db: Db, scope: Scope, sessionId: string, draftId?: string): Promise<boolean> {
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    await ownedSession(db, scope, id);
    const { count } = await db.streamDraft.deleteMany({ where: { sessionId: id, ...(draftId ? { draftId } : {}) } });
    return count > 0;
  });
}
