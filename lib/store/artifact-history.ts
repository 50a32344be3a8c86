/**
 * An artifact's history: every state it has had (ArtifactVersion rows, written with each
 * create/update in lib/store/artifacts.ts), the Builds started from it, and restoring an old
 * version as a new one. History is never deleted or rewritten.
 */
import { z } from "zod";
import { upgradeArtifactState } from "../artifacts/schemas.ts";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { validateState, writeVersion } from "./artifacts.ts";
import { guard } from "./prisma-errors.ts";
import { isOpen, toArtifact, type ArtifactRecord, type JsonObject, type RunState, type SessionStatus } from "./records.ts";
import { parseInput, scopeWhere, type Scope } from "./scope.ts";
import { idSchema } from "./sessions.ts";

const versionSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export interface ArtifactVersionInfo {
  version: number;
  createdAt: Date;
}

/** A session started from the artifact (a Build), and which version of it it was started from. */
export interface ArtifactBuildRef {
  sessionId: string;
  title: string;
  workflowName: string;
  status: SessionStatus;
  runState: RunState;
  runStep: string | null;
  /** The artifact version the session was started from (its checkpoint's specVersion), if known. */
  version: number | null;
  createdAt: Date;
}

export interface ArtifactHistory {
  artifactId: string;
  /** The artifact's current version (the newest entry). */
  version: number;
  /** Oldest first. Artifacts older than the history table start at the version they had then. */
  versions: ArtifactVersionInfo[];
  builds: ArtifactBuildRef[];
}

export interface ArtifactVersionState {
  artifactId: string;
  type: string;
  version: number;
  state: JsonObject;
  createdAt: Date;
  /** The entry before this one, for a diff (null for the first). */
  previous: { version: number; state: JsonObject; createdAt: Date } | null;
}

async function ownedArtifact(db: Db, scope: Scope, artifactId: string) {
  const owner = scopeWhere(scope);
  const id = parseInput(idSchema, artifactId, "artifact id");
  const row = await db.artifactInstance.findFirst({ where: { id, ...owner } });
  if (!row) throw new TabflowError("not_found", "artifact not found");
  return { row, owner, id };
}

function checkpointVersion(checkpoint: unknown): number | null {
  const v = (checkpoint as { specVersion?: unknown } | null)?.specVersion;
  return typeof v === "number" && Number.isInteger(v) ? v : null;
}

export async function listArtifactHistory(db: Db, scope: Scope, artifactId: string): Promise<ArtifactHistory> {
  return guard(async () => {
    const { row, owner, id } = await ownedArtifact(db, scope, artifactId);
    const [versions, spawned] = await Promise.all([
      db.artifactVersion.findMany({ where: { artifactId: id }, orderBy: { version: "asc" }, select: { version: true, createdAt: true } }),
      db.workflowSession.findMany({
        where: { sourceArtifactId: id, ...owner },
        orderBy: { createdAt: "asc" },
        select: { id: true, title: true, workflowName: true, status: true, runState: true, runStep: true, runCheckpoint: true, createdAt: true },
      }),
    ]);
    return {
      artifactId: id,
      version: row.version,
      // An artifact written before history existed and never migrated has no rows: its current
      // state is its whole history (read as such, nothing written on a read).
      versions: versions.length > 0 ? versions : [{ version: row.version, createdAt: row.updatedAt }],
      builds: spawned.map((s) => ({
        sessionId: s.id,
        title: s.title,
        workflowName: s.workflowName,
        status: s.status as SessionStatus,
        runState: s.runState as RunState,
        runStep: s.runStep,
        version: checkpointVersion(s.runCheckpoint),
        createdAt: s.createdAt,
      })),
    };
  });
}

export async function getArtifactVersion(db: Db, scope: Scope, artifactId: string, version: number): Promise<ArtifactVersionState> {
  const v = parseInput(versionSchema, version, "version");
  return guard(async () => {
    const { row, id } = await ownedArtifact(db, scope, artifactId);
    const rows = await db.artifactVersion.findMany({
      where: { artifactId: id, version: { lte: v } },
      orderBy: { version: "desc" },
      take: 2,
    });
    const read = (r: { version: number; state: unknown; createdAt: Date }) => ({
      version: r.version,
      state: upgradeArtifactState(row.type, r.state) as JsonObject,
      createdAt: r.createdAt,
    });
    const [self, previous] = rows;
    if (self && self.version === v) return { artifactId: id, type: row.type, ...read(self), previous: previous ? read(previous) : null };
    if (rows.length === 0 && v === row.version) {
      const current = toArtifact(row);
      return { artifactId: id, type: row.type, version: v, state: current.state, createdAt: row.updatedAt, previous: null };
    }
    throw new TabflowError("not_found", `version ${v} of this artifact is not in its history`);
  });
}

const restoreInput = z.strictObject({ version: versionSchema, expectedVersion: versionSchema });
export type RestoreArtifactInput = z.input<typeof restoreInput>;

/**
 * Makes an old version current again by writing it as a new version (history only grows).
 * Conditional on `expectedVersion` like any update: a restore racing another change gets
 * `conflict`. Refused while the artifact's session is closed or its run is busy (a restore
 * under a running Build or Generator turn would pull the state from under it).
 */
export async function restoreArtifactVersion(db: Db, scope: Scope, artifactId: string, input: RestoreArtifactInput): Promise<ArtifactRecord> {
  const data = parseInput(restoreInput, input, "restore request");
  return guard(async () => {
    const { row, owner, id } = await ownedArtifact(db, scope, artifactId);
    if (row.version !== data.expectedVersion) {
      throw new TabflowError("conflict", `the artifact is at version ${row.version}, not ${data.expectedVersion}`, { currentVersion: row.version });
    }
    if (row.createdBySessionId) {
      const session = await db.workflowSession.findFirst({ where: { id: row.createdBySessionId, ...owner }, select: { status: true, runState: true } });
      if (session && !isOpen(session.status as SessionStatus)) throw new TabflowError("session_closed", "the artifact's session is closed; its history is read-only");
      if (session?.runState === "running") throw new TabflowError("blocked", "the artifact's session is working right now; restore once it is done");
    }
    const old = await db.artifactVersion.findUnique({ where: { artifactId_version: { artifactId: id, version: data.version } } });
    if (!old) throw new TabflowError("not_found", `version ${data.version} of this artifact is not in its history`);
    // Re-validated: an old version is read in the current shape of its type.
    const state = validateState(row.type, upgradeArtifactState(row.type, old.state));
    const now = new Date();
    await writeVersion(db, id, owner, data.expectedVersion, state, now);
    return toArtifact({ ...row, state, version: data.expectedVersion + 1, updatedAt: now });
  });
}
