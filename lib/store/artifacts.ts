import { randomUUID } from "node:crypto";
import jsonMergePatch from "json-merge-patch";
import { z } from "zod";
import { artifactStateSchema, artifactTypeSchema, upgradeArtifactState } from "../artifacts/schemas.ts";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard } from "./prisma-errors.ts";
import { isOpen, toArtifact, type ArtifactRecord, type JsonObject } from "./records.ts";
import { assertStorable, parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema, TX_OPTIONS } from "./sessions.ts";

export const MAX_ARTIFACT_STATE_BYTES = 1024 * 1024;

const jsonObject = z.record(z.string(), z.json());

const createInput = z.strictObject({
  type: artifactTypeSchema,
  title: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((t) => t.isWellFormed() && !t.includes("\u0000"), "titles cannot contain NUL or broken Unicode"),
  state: jsonObject,
  createdBySessionId: idSchema.optional(),
});
export type CreateArtifactInput = z.input<typeof createInput>;

const updateInput = z.strictObject({
  expectedVersion: z.number().int().min(1),
  /** An RFC 7386 JSON Merge Patch: keys set to null are removed, objects merge, the rest replace. */
  patch: jsonObject,
});
export type UpdateArtifactInput = z.input<typeof updateInput>;

export interface ArtifactWithSessions extends ArtifactRecord {
  sessionIds: string[];
}

export interface Attachment {
  sessionId: string;
  artifactId: string;
  attachedAt: Date;
}

export function validateState(type: string, state: unknown): JsonObject {
  assertStorable(state, "artifact state");
  const valid = parseInput(artifactStateSchema(type), state, `${type} state`);
  if (Buffer.byteLength(JSON.stringify(valid)) > MAX_ARTIFACT_STATE_BYTES) {
    throw new TabflowError("invalid_payload", "artifact state is larger than 1 MiB");
  }
  return valid;
}

export async function createArtifactInstance(db: Db, scope: Scope, input: CreateArtifactInput): Promise<ArtifactRecord> {
  const owner = scopeWhere(scope);
  const data = parseInput(createInput, input, "artifact");
  const state = validateState(data.type, data.state);
  return guard(async () => {
    if (data.createdBySessionId) {
      const creator = await db.workflowSession.findFirst({ where: { id: data.createdBySessionId, ...owner }, select: { id: true } });
      if (!creator) throw new TabflowError("not_found", "session not found");
    }
    // The artifact and the first entry of its history are written together.
    const id = randomUUID();
    const now = new Date();
    const [row] = await db.$transaction([
      db.artifactInstance.create({
        data: {
          id,
          ...owner,
          type: data.type,
          title: data.title,
          state: state as object,
          version: 1,
          createdBySessionId: data.createdBySessionId ?? null,
          createdAt: now,
          updatedAt: now,
        },
      }),
      db.artifactVersion.create({ data: { artifactId: id, version: 1, state: state as object, createdAt: now } }),
    ]);
    return toArtifact(row);
  });
}

/**
 * Attaches an artifact to a session. Both sides are checked against the caller's scope and
 * written in one transaction: the attachment row (which both the session's artifact list and
 * the artifact's session list read) and the session's lastActivityAt. Attaching twice is a no-op.
 */
export async function attachArtifactToSession(db: Db, scope: Scope, sessionId: string, artifactId: string): Promise<Attachment> {
  const owner = scopeWhere(scope);
  const sid = parseInput(idSchema, sessionId, "session id");
  const aid = parseInput(idSchema, artifactId, "artifact id");
  return guard(() =>
    db.$transaction(async (tx) => {
      const session = await tx.workflowSession.findFirst({ where: { id: sid, ...owner }, select: { status: true } });
      if (!session) throw new TabflowError("not_found", "session not found");
      if (!isOpen(session.status)) throw new TabflowError("session_closed", "the session is closed and accepts no new artifacts");
      const artifact = await tx.artifactInstance.findFirst({ where: { id: aid, ...owner }, select: { id: true } });
      if (!artifact) throw new TabflowError("not_found", "artifact not found");
      const existing = await tx.sessionArtifact.findUnique({ where: { sessionId_artifactId: { sessionId: sid, artifactId: aid } } });
      if (existing) return existing;
      const now = new Date();
      const row = await tx.sessionArtifact.create({ data: { sessionId: sid, artifactId: aid, attachedAt: now } });
      await tx.workflowSession.update({ where: { id: sid }, data: { lastActivityAt: now } });
      return row;
    }, TX_OPTIONS),
  ).then((r) => ({ sessionId: r.sessionId, artifactId: r.artifactId, attachedAt: r.attachedAt }));
}

/**
 * Applies a JSON Merge Patch to an artifact's state, if the artifact is still at
 * `expectedVersion`. The write is conditional on that version, so of two concurrent updates
 * from the same version exactly one wins and the other gets `conflict`. A patch whose result
 * is not a valid state for the artifact's type is refused and nothing changes.
 */
export async function updateArtifactState(db: Db, scope: Scope, artifactId: string, input: UpdateArtifactInput): Promise<ArtifactRecord> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, artifactId, "artifact id");
  const update = parseInput(updateInput, input, "artifact update");
  return guard(async () => {
    const current = await db.artifactInstance.findFirst({ where: { id, ...owner } });
    if (!current) throw new TabflowError("not_found", "artifact not found");
    if (current.version !== update.expectedVersion) {
      throw new TabflowError("conflict", `the artifact is at version ${current.version}, not ${update.expectedVersion}`, {
        currentVersion: current.version,
      });
    }
    const patched: unknown = jsonMergePatch.apply(structuredClone(upgradeArtifactState(current.type, current.state)), update.patch);
    const state = validateState(current.type, patched);
    const now = new Date();
    await writeVersion(db, id, owner, update.expectedVersion, state, now);
    return toArtifact({ ...current, state, version: update.expectedVersion + 1, updatedAt: now });
  });
}

/**
 * Moves an artifact from `expectedVersion` to the next version with `state`, and records that
 * version in its history, in one transaction. The UPDATE is conditional on the version, so of
 * two writers from the same version exactly one wins; the other gets `conflict` and its
 * history row is never written (the transaction rolls back).
 */
export async function writeVersion(db: Db, id: string, owner: ReturnType<typeof scopeWhere>, expectedVersion: number, state: JsonObject, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const written = await tx.artifactInstance.updateMany({
      where: { id, ...owner, version: expectedVersion },
      data: { state: state as object, version: { increment: 1 }, updatedAt: now },
    });
    if (written.count === 0) {
      throw new TabflowError("conflict", "the artifact was changed by someone else; reload it and try again");
    }
    await tx.artifactVersion.create({ data: { artifactId: id, version: expectedVersion + 1, state: state as object, createdAt: now } });
  }, TX_OPTIONS);
}

export async function getArtifactInstance(db: Db, scope: Scope, artifactId: string): Promise<ArtifactWithSessions> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, artifactId, "artifact id");
  return guard(async () => {
    const row = await db.artifactInstance.findFirst({
      where: { id, ...owner },
      include: { sessions: { select: { sessionId: true }, orderBy: { attachedAt: "asc" } } },
    });
    if (!row) throw new TabflowError("not_found", "artifact not found");
    return { ...toArtifact(row), sessionIds: row.sessions.map((s) => s.sessionId) };
  });
}

/** The artifacts attached to a session, in the order they were attached. */
export async function listSessionArtifacts(db: Db, scope: Scope, sessionId: string): Promise<ArtifactRecord[]> {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    const session = await db.workflowSession.findFirst({ where: { id, ...owner }, select: { id: true } });
    if (!session) throw new TabflowError("not_found", "session not found");
    const rows = await db.sessionArtifact.findMany({
      where: { sessionId: id, artifact: owner },
      orderBy: [{ attachedAt: "asc" }, { artifactId: "asc" }],
      include: { artifact: true },
    });
    return rows.map((r) => toArtifact(r.artifact));
  });
}
