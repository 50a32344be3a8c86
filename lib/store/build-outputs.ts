/**
 * Built zips, stored as bytes in the shared database so every node can serve any download
 * (cluster mode shares PostgreSQL already; no shared file system is needed). One row per
 * session: a newer attempt replaces the older one. Reads are scoped to the session's owner.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard } from "./prisma-errors.ts";
import { parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema } from "./sessions.ts";

/** Largest zip stored (a generated project's source zips to well under 1 MB). */
export const BUILD_OUTPUT_MAX_BYTES = 50 * 1024 * 1024;

const outputInput = z.strictObject({
  attempt: z.number().int().min(0),
  filename: z.string().regex(/^[a-z0-9-]{1,100}\.zip$/, "a zip file name of lower-case letters, digits and dashes"),
});

export interface BuildOutputRecord {
  sessionId: string;
  attempt: number;
  filename: string;
  bytes: Uint8Array;
  size: number;
  sha256: string;
  createdAt: Date;
}

export async function saveBuildOutput(db: Db, scope: Scope, sessionId: string, input: z.input<typeof outputInput>, bytes: Uint8Array): Promise<{ size: number; sha256: string }> {
  const id = parseInput(idSchema, sessionId, "session id");
  const meta = parseInput(outputInput, input, "build output");
  if (bytes.byteLength > BUILD_OUTPUT_MAX_BYTES) {
    throw new TabflowError("blocked", `the built zip is ${(bytes.byteLength / 1048576).toFixed(1)} MB; at most ${BUILD_OUTPUT_MAX_BYTES / 1048576} MB can be stored`, {
      size: bytes.byteLength,
      limit: BUILD_OUTPUT_MAX_BYTES,
    });
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return guard(async () => {
    const owned = await db.workflowSession.findFirst({ where: { id, ...scopeWhere(scope) }, select: { id: true } });
    if (!owned) throw new TabflowError("not_found", "session not found");
    const data = { attempt: meta.attempt, filename: meta.filename, bytes: Buffer.from(bytes), size: bytes.byteLength, sha256 };
    await db.buildOutput.upsert({ where: { sessionId: id }, create: { sessionId: id, ...data }, update: { ...data, createdAt: new Date() } });
    return { size: bytes.byteLength, sha256 };
  });
}

/** The stored zip of that attempt, for the session's owner; not_found otherwise. */
export async function getBuildOutput(db: Db, scope: Scope, sessionId: string, attempt: number): Promise<BuildOutputRecord> {
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => {
    const row = await db.buildOutput.findFirst({ where: { sessionId: id, attempt, session: scopeWhere(scope) } });
    if (!row) throw new TabflowError("not_found", "no stored build output");
    return { ...row, bytes: new Uint8Array(row.bytes) };
  });
}

export async function hasBuildOutput(db: Db, scope: Scope, sessionId: string, attempt: number): Promise<boolean> {
  const id = parseInput(idSchema, sessionId, "session id");
  return guard(async () => (await db.buildOutput.count({ where: { sessionId: id, attempt, session: scopeWhere(scope) } })) > 0);
}

/** Removes a session's stored zip (a failed or retried attempt). */
export async function deleteBuildOutput(db: Db, scope: Scope, sessionId: string): Promise<void> {
  const id = parseInput(idSchema, sessionId, "session id");
  await guard(() => db.buildOutput.deleteMany({ where: { sessionId: id, session: scopeWhere(scope) } }));
}
