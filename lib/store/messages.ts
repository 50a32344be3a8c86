import { z } from "zod";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard, isUniqueViolation } from "./prisma-errors.ts";
import { MESSAGE_ROLES, toMessage, toSession, type MessageRecord, type SessionRecord } from "./records.ts";
import { assertStorable, parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema, TX_OPTIONS } from "./sessions.ts";

/** Largest message content the store accepts, as serialised JSON. */
export const MAX_CONTENT_BYTES = 256 * 1024;

const appendInput = z.strictObject({
  role: z.enum(MESSAGE_ROLES),
  kind: z.string().regex(/^[a-z][a-z0-9_.-]{0,31}$/, "message kinds are short lower-case names"),
  content: z.record(z.string(), z.json()),
  clientMessageId: z.string().trim().min(1).max(100).optional(),
});
export type AppendMessageInput = z.input<typeof appendInput>;

const listInput = z.strictObject({
  afterSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(1000),
});

export interface MessagePage {
  messages: MessageRecord[];
  /** The session's newest seq when the page was read. */
  lastSeq: number;
  /** True when messages after the last one returned exist (read the next page from its seq). */
  hasMore: boolean;
}

/**
 * Appends one message: the session's lastSeq is incremented and the row inserted with that
 * seq in one transaction, so concurrent appends get 1, 2, 3, … with no gap or duplicate
 * (the UPDATE takes the session row's lock on PostgreSQL; SQLite has one writer). A send
 * retried with the same clientMessageId returns the stored message and writes nothing.
 */
export async function appendMessage(db: Db, scope: Scope, sessionId: string, input: AppendMessageInput): Promise<MessageRecord> {
  return (await appendMessageWithStatus(db, scope, sessionId, input)).message;
}

export interface AppendOutcome {
  message: MessageRecord;
  /** False when the clientMessageId was already stored: nothing was written. */
  created: boolean;
  /** The session as the append left it (when created): what summaries announce. */
  session?: SessionRecord;
}

/** appendMessage, also saying whether this call stored the message or found it stored. */
export async function appendMessageWithStatus(
  db: Db,
  scope: Scope,
  sessionId: string,
  input: AppendMessageInput,
  /** endDraftId: the stream draft this message completes, deleted in the same transaction. */
  options: { endDraftId?: string } = {},
): Promise<AppendOutcome> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  const msg = parseInput(appendInput, input, "message");
  const serialised = JSON.stringify(msg.content);
  if (Buffer.byteLength(serialised) > MAX_CONTENT_BYTES) {
    throw new TabflowError("invalid_payload", `message content is larger than ${MAX_CONTENT_BYTES / 1024} KiB`);
  }
  assertStorable(msg.content, "message content");
  const findExisting = async () =>
    msg.clientMessageId
      ? db.message.findFirst({ where: { sessionId: id, clientMessageId: msg.clientMessageId, session: owner } })
      : null;

  return guard(async () => {
    const existing = await findExisting();
    if (existing) return { message: toMessage(existing), created: false };
    try {
      return await db.$transaction(async (tx) => {
        const now = new Date();
        const bumped = await tx.workflowSession.updateMany({
          where: { id, ...owner, status: "IN_PROGRESS" },
          data: { lastSeq: { increment: 1 }, lastActivityAt: now },
        });
        if (bumped.count === 0) {
          const session = await tx.workflowSession.findFirst({ where: { id, ...owner }, select: { status: true } });
          if (!session) throw new TabflowError("not_found", "session not found");
          throw new TabflowError("session_closed", `the session is ${session.status.toLowerCase().replace("_", " ")} and accepts no new messages`);
        }
        const session = toSession(await tx.workflowSession.findUniqueOrThrow({ where: { id } }));
        const lastSeq = session.lastSeq;
        const row = await tx.message.create({
          data: {
            sessionId: id,
            seq: lastSeq,
            role: msg.role,
            kind: msg.kind,
            content: msg.content as object,
            clientMessageId: msg.clientMessageId ?? null,
            createdAt: now,
          },
        });
        if (options.endDraftId) await tx.streamDraft.deleteMany({ where: { sessionId: id, draftId: options.endDraftId } });
        return { message: toMessage(row), created: true, session };
      }, TX_OPTIONS);
    } catch (err) {
      // The same clientMessageId raced in from two sends: the other one won; return it.
      if (msg.clientMessageId && isUniqueViolation(err)) {
        const winner = await findExisting();
        if (winner) return { message: toMessage(winner), created: false };
      }
      throw err;
    }
  });
}

/** Messages with seq > afterSeq in seq order, at most `limit` of them (the replay read). */
export async function listMessages(db: Db, scope: Scope, sessionId: string, afterSeq = 0, limit = 200): Promise<MessagePage> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  const page = parseInput(listInput, { afterSeq, limit }, "message list request");
  return guard(async () => {
    const session = await db.workflowSession.findFirst({ where: { id, ...owner }, select: { lastSeq: true } });
    if (!session) throw new TabflowError("not_found", "session not found");
    if (page.afterSeq >= session.lastSeq) return { messages: [], lastSeq: session.lastSeq, hasMore: false };
    const rows = await db.message.findMany({
      where: { sessionId: id, seq: { gt: page.afterSeq } },
      orderBy: { seq: "asc" },
      take: page.limit + 1,
    });
    const hasMore = rows.length > page.limit;
    const messages = (hasMore ? rows.slice(0, page.limit) : rows).map(toMessage);
    const newest = messages.at(-1)?.seq ?? 0;
    return { messages, lastSeq: Math.max(session.lastSeq, newest), hasMore };
  });
}
