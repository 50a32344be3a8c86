import { z } from "zod";
import type { Database, Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard, isUniqueViolation } from "./prisma-errors.ts";
import { MESSAGE_ROLES, toMessage, toSession, type MessageRecord, type SessionRecord } from "./records.ts";
import { assertStorable, parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema, TX_OPTIONS } from "./sessions.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

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

export interface MessageRow {
  sessionId: string;
  seq: number;
  role: (typeof MESSAGE_ROLES)[number];
  kind: string;
  content: unknown;
  clientMessageId: null;
  createdAt: Date;
}

export type InsertMessageRows = (tx: Tx, rows: MessageRow[]) => Promise<void>;

/**
 * One multi-row INSERT per batch. Measured here: Prisma's createMany of 500 messages took
 * ~18× as long as this statement inside the same transaction, so group commit uses it. Values
 * are bound parameters, written in the formats Prisma itself uses for these columns.
 */
export function multiRowInsert(database: Pick<Database, "config">): InsertMessageRows {
  const config = database.config;
  const cols = `("sessionId","seq","role","kind","content","clientMessageId","createdAt")`;
  if (config.provider === "sqlite") {
    return async (tx, rows) => {
      const params = rows.flatMap((r) => [r.sessionId, r.seq, r.role, r.kind, JSON.stringify(r.content), r.clientMessageId, r.createdAt.toISOString().replace("Z", "+00:00")]);
      await tx.$executeRawUnsafe(`INSERT INTO "Message" ${cols} VALUES ${rows.map(() => "(?,?,?,?,?,?,?)").join(",")}`, ...params);
    };
  }
  const q = config.schema ? `"${config.schema.replaceAll('"', '""')}".` : "";
  return async (tx, rows) => {
    const params = rows.flatMap((r) => [r.sessionId, r.seq, r.role, r.kind, JSON.stringify(r.content), r.clientMessageId, r.createdAt.toISOString()]);
    const values = rows.map((_, i) => {
      const n = i * 7;
      return `($${n + 1},$${n + 2},$${n + 3}::${q}"MessageRole",$${n + 4},$${n + 5}::jsonb,$${n + 6},$${n + 7}::timestamp(3))`;
    });
    await tx.$executeRawUnsafe(`INSERT INTO ${q}"Message" ${cols} VALUES ${values.join(",")}`, ...params);
  };
}

/** Most messages one batched append writes in one transaction. */
export const MAX_BATCH = 500;

function checkContent(msg: z.output<typeof appendInput>): void {
  if (Buffer.byteLength(JSON.stringify(msg.content)) > MAX_CONTENT_BYTES) {
    throw new TabflowError("invalid_payload", `message content is larger than ${MAX_CONTENT_BYTES / 1024} KiB`);
  }
  assertStorable(msg.content, "message content");
}

/** Thrown inside an append's transaction when the session is not an open one of this owner. */
class NotOpen extends Error {}

/**
 * Bumps lastSeq by `count` for an open session of this owner and returns the session: one
 * statement (an UPDATE that finds nothing throws, which ends the transaction on PostgreSQL,
 * so the reason is looked up after it by `whyNotOpen`).
 */
async function reserveSeqs(tx: Tx, id: string, owner: ReturnType<typeof scopeWhere>, count: number, now: Date): Promise<SessionRecord> {
  try {
    return toSession(
      await tx.workflowSession.update({
        where: { id, ...owner, status: "IN_PROGRESS" },
        data: { lastSeq: { increment: count }, lastActivityAt: now },
      }),
    );
  } catch (err) {
    if ((err as { code?: unknown })?.code === "P2025") throw new NotOpen();
    throw err;
  }
}

async function whyNotOpen(db: Db, id: string, owner: ReturnType<typeof scopeWhere>): Promise<never> {
  const session = await db.workflowSession.findFirst({ where: { id, ...owner }, select: { status: true } });
  if (!session) throw new TabflowError("not_found", "session not found");
  throw new TabflowError("session_closed", `the session is ${session.status.toLowerCase().replace("_", " ")} and accepts no new messages`);
}

export interface BatchOutcome {
  /** The stored messages, in the order given, with consecutive seqs. */
  messages: MessageRecord[];
  /** The session as the batch left it. */
  session: SessionRecord;
}

/**
 * Appends several messages in one transaction (group commit): lastSeq goes up by their count
 * and the rows get the consecutive seqs, all or nothing. Messages sent by a client carry a
 * clientMessageId and go through appendMessageWithStatus instead, which de-duplicates them.
 */
export async function appendMessageBatch(
  db: Db,
  scope: Scope,
  sessionId: string,
  inputs: AppendMessageInput[],
  insertRows: InsertMessageRows,
): Promise<BatchOutcome> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  if (inputs.length === 0 || inputs.length > MAX_BATCH) {
    throw new TabflowError("invalid_payload", `a batch holds 1 to ${MAX_BATCH} messages`);
  }
  const msgs = inputs.map((input) => {
    const msg = parseInput(appendInput, input, "message");
    if (msg.clientMessageId !== undefined) throw new TabflowError("invalid_payload", "batched messages carry no clientMessageId");
    checkContent(msg);
    return msg;
  });
  return guard(async () => {
    try {
      return await db.$transaction(async (tx) => {
        const now = new Date();
        const session = await reserveSeqs(tx, id, owner, msgs.length, now);
        const first = session.lastSeq - msgs.length + 1;
        const rows: MessageRow[] = msgs.map((msg, i) => ({
          sessionId: id,
          seq: first + i,
          role: msg.role,
          kind: msg.kind,
          content: msg.content,
          clientMessageId: null,
          createdAt: now,
        }));
        await insertRows(tx, rows);
        return { messages: rows.map((r) => toMessage({ ...r })), session };
      }, TX_OPTIONS);
    } catch (err) {
      if (err instanceof NotOpen) return whyNotOpen(db, id, owner);
      throw err;
    }
  });
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
  checkContent(msg);
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
        const session = await reserveSeqs(tx, id, owner, 1, now);
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
      if (err instanceof NotOpen) return whyNotOpen(db, id, owner);
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
