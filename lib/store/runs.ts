import { z } from "zod";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard } from "./prisma-errors.ts";
import { RUN_STATES, toSession, type RunState, type SessionRecord } from "./records.ts";
import { parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema } from "./sessions.ts";

const runUpdate = z.strictObject({
  state: z.enum(RUN_STATES),
  /** undefined keeps the current step; null clears it. */
  step: z.string().max(200).nullable().optional(),
  error: z.string().max(2000).nullable().optional(),
  checkpoint: z.json().nullable().optional(),
  /** A new run (first start or a retry): bumps runAttempt. */
  newAttempt: z.boolean().optional(),
  /** Only apply when the run is in one of these states (guards against a racing stop). */
  ifStateIn: z.array(z.enum(RUN_STATES)).min(1).optional(),
});
export type RunUpdate = z.input<typeof runUpdate>;

/**
 * Records what a session's workflow run is doing. Returns the session, or throws `conflict`
 * when `ifStateIn` did not match (e.g. the run was stopped while a step was finishing).
 */
export async function updateRun(db: Db, scope: Scope, sessionId: string, input: RunUpdate): Promise<SessionRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  const u = parseInput(runUpdate, input, "run update");
  return guard(async () => {
    const data: Record<string, unknown> = { runState: u.state, runUpdatedAt: new Date() };
    if (u.step !== undefined) data.runStep = u.step;
    if (u.error !== undefined) data.runError = u.error;
    if (u.checkpoint !== undefined) data.runCheckpoint = u.checkpoint === null ? null : u.checkpoint;
    if (u.newAttempt) data.runAttempt = { increment: 1 };
    const res = await db.workflowSession.updateMany({
      where: { id, ...owner, ...(u.ifStateIn ? { runState: { in: u.ifStateIn } } : {}) },
      data: data as never,
    });
    if (res.count === 0) {
      const exists = await db.workflowSession.findFirst({ where: { id, ...owner }, select: { runState: true } });
      if (!exists) throw new TabflowError("not_found", "session not found");
      throw new TabflowError("conflict", `the run is ${exists.runState.replace("_", " ")}`, { runState: exists.runState });
    }
    const row = await db.workflowSession.findFirst({ where: { id, ...owner } });
    return toSession(row!);
  });
}

/**
 * Sessions of every owner whose run is in one of the given states: what start-up recovery
 * reads to find runs a stopped process left "running". Not scoped: a system operation.
 */
export async function listSessionsByRunState(db: Db, states: RunState[]): Promise<SessionRecord[]> {
  const wanted = parseInput(z.array(z.enum(RUN_STATES)).min(1), states, "run states");
  return guard(async () => {
    const rows = await db.workflowSession.findMany({ where: { runState: { in: wanted } }, orderBy: { runUpdatedAt: "asc" } });
    return rows.map(toSession);
  });
}

/** Sessions of any owner by id (system use: matching build folders on disk to sessions). */
export async function listSessionsByIds(db: Db, ids: string[]): Promise<SessionRecord[]> {
  const wanted = parseInput(z.array(idSchema).max(10_000), ids, "session ids");
  if (wanted.length === 0) return [];
  return guard(async () => (await db.workflowSession.findMany({ where: { id: { in: wanted } } })).map(toSession));
}
