import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard } from "./prisma-errors.ts";
import { SESSION_STATUSES, toSession, type SessionRecord, type SessionStatus } from "./records.ts";
import { parseInput, scopeWhere, type Scope } from "./scope.ts";

/*
 * There is no pauseWorkflowSession / resumeWorkflowSession. Any number of sessions are
 * IN_PROGRESS at once, like open tabs; switching between them is only re-joining a socket
 * room and writes nothing here. See ../shared/original-design/session-status-simplification.md.
 */

export const idSchema = z
  .string()
  .min(1, "an id is required")
  .max(100, "ids are at most 100 characters")
  .regex(/^[\w.:-]+$/, "ids are letters, digits and . _ : -");
export const workflowNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "workflow names are lower-case identifiers");

const createInput = z.strictObject({
  workflowName: workflowNameSchema,
  title: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((t) => t.isWellFormed() && !t.includes("\u0000"), "titles cannot contain NUL or broken Unicode")
    .optional(),
  parentSessionId: idSchema.optional(),
  sourceArtifactId: idSchema.optional(),
});
export type CreateSessionInput = z.input<typeof createInput>;

const listInput = z.strictObject({
  statuses: z.array(z.enum(SESSION_STATUSES)).min(1).max(3).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  /** Keyset paging: only sessions after this one in the list's order (newest activity first). */
  before: z.strictObject({ lastActivityAt: z.coerce.date(), id: z.string().min(1).max(100) }).optional(),
});
export type ListSessionsInput = z.input<typeof listInput>;

export const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

function defaultTitle(workflowName: string): string {
  return workflowName.charAt(0).toUpperCase() + workflowName.slice(1).replace(/[-_]/g, " ");
}

export async function createWorkflowSession(db: Db, scope: Scope, input: CreateSessionInput): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const data = parseInput(createInput, input, "session");
  return guard(async () => {
    const create = async (tx: Pick<Db, "workflowSession" | "artifactInstance">) => {
      if (data.parentSessionId) {
        const parent = await tx.workflowSession.findFirst({ where: { id: data.parentSessionId, ...owner }, select: { id: true } });
        if (!parent) throw new TabflowError("not_found", "parent session not found");
      }
      if (data.sourceArtifactId) {
        const source = await tx.artifactInstance.findFirst({ where: { id: data.sourceArtifactId, ...owner }, select: { id: true } });
        if (!source) throw new TabflowError("not_found", "source artifact not found");
      }
      const row = await tx.workflowSession.create({
        data: {
          id: randomUUID(),
          ...owner,
          workflowName: data.workflowName,
          title: data.title ?? defaultTitle(data.workflowName),
          status: "IN_PROGRESS",
          parentSessionId: data.parentSessionId ?? null,
          sourceArtifactId: data.sourceArtifactId ?? null,
        },
      });
      return toSession(row);
    };
    // Lineage is checked and written in one transaction; a plain session is one INSERT.
    if (data.parentSessionId || data.sourceArtifactId) return db.$transaction((tx) => create(tx), TX_OPTIONS);
    return create(db);
  });
}

export async function getWorkflowSession(db: Db, scope: Scope, sessionId: string): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    const row = await db.workflowSession.findFirst({ where: { id, ...owner } });
    if (!row) throw new TabflowError("not_found", "session not found");
    return toSession(row);
  });
}

/** The caller's sessions with the given statuses (IN_PROGRESS by default), newest activity first. */
export async function listWorkflowSessions(db: Db, scope: Scope, input: ListSessionsInput = {}): Promise<SessionRecord[]> {
  const owner = scopeWhere(scope);
  const opts = parseInput(listInput, input, "session list request");
  return guard(async () => {
    const rows = await db.workflowSession.findMany({
      where: {
        ...owner,
        status: { in: opts.statuses ?? ["IN_PROGRESS"] },
        ...(opts.before && {
          OR: [{ lastActivityAt: { lt: opts.before.lastActivityAt } }, { lastActivityAt: opts.before.lastActivityAt, id: { lt: opts.before.id } }],
        }),
      },
      orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
      take: opts.limit ?? 200,
    });
    return rows.map(toSession);
  });
}

/** IN_PROGRESS → COMPLETED. Completing a closed (completed or archived) session changes nothing. */
export async function completeWorkflowSession(db: Db, scope: Scope, sessionId: string): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    const now = new Date();
    await db.workflowSession.updateMany({
      where: { id, ...owner, status: "IN_PROGRESS" },
      data: { status: "COMPLETED", completedAt: now },
    });
    return getWorkflowSession(db, scope, id);
  });
}

/** Hides a session from the default views. The backend treats ARCHIVED exactly like COMPLETED. */
export async function archiveWorkflowSession(db: Db, scope: Scope, sessionId: string): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    const now = new Date();
    const fromOpen = await db.workflowSession.updateMany({
      where: { id, ...owner, status: "IN_PROGRESS" },
      data: { status: "ARCHIVED", archivedAt: now, completedAt: now },
    });
    if (fromOpen.count === 0) {
      await db.workflowSession.updateMany({
        where: { id, ...owner, status: "COMPLETED" },
        data: { status: "ARCHIVED", archivedAt: now },
      });
    }
    return getWorkflowSession(db, scope, id);
  });
}

/** ARCHIVED → COMPLETED (archiving closed the session; un-hiding it does not reopen it). */
export async function unarchiveWorkflowSession(db: Db, scope: Scope, sessionId: string): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    await db.workflowSession.updateMany({
      where: { id, ...owner, status: "ARCHIVED" },
      data: { status: "COMPLETED", archivedAt: null },
    });
    return getWorkflowSession(db, scope, id);
  });
}

export function parseStatus(value: unknown): SessionStatus {
  return parseInput(z.enum(SESSION_STATUSES), value, "status");
}

const titleSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((t) => t.isWellFormed() && !t.includes("\u0000"), "titles cannot contain NUL or broken Unicode");

/** Renames a session (e.g. the Generator after the app it is specifying). */
export async function renameWorkflowSession(db: Db, scope: Scope, sessionId: string, title: string): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  const t = parseInput(titleSchema, title, "title");
  return guard(async () => {
    const res = await db.workflowSession.updateMany({ where: { id, ...owner }, data: { title: t } });
    if (res.count === 0) throw new TabflowError("not_found", "session not found");
    return getWorkflowSession(db, scope, id);
  });
}
