/**
 * What the store hands out: plain objects, independent of which generated Prisma client
 * (SQLite or PostgreSQL) produced them.
 */
import { upgradeArtifactState } from "../artifacts/schemas.ts";

export const SESSION_STATUSES = ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const RUN_STATES = ["idle", "queued", "running", "waiting_input", "succeeded", "failed", "stopped"] as const;
export type RunState = (typeof RUN_STATES)[number];
/** A run still under way: executing, or waiting in the build line ("queued"). Recovery and Stop treat both alike. */
export const ACTIVE_RUN_STATES = ["running", "queued"] as const satisfies readonly RunState[];
export const MESSAGE_ROLES = ["user", "agent", "system"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export type JsonObject = { [key: string]: unknown };

export interface SessionRecord {
  id: string;
  enterpriseId: string;
  appId: string;
  userId: string;
  workflowName: string;
  title: string;
  status: SessionStatus;
  lastSeq: number;
  lastActivityAt: Date;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  archivedAt: Date | null;
  parentSessionId: string | null;
  sourceArtifactId: string | null;
  legacyId: string | null;
  runState: RunState;
  runStep: string | null;
  runError: string | null;
  runCheckpoint: unknown;
  runAttempt: number;
  runUpdatedAt: Date | null;
}

export interface MessageRecord {
  sessionId: string;
  seq: number;
  role: MessageRole;
  kind: string;
  content: JsonObject;
  clientMessageId: string | null;
  createdAt: Date;
}

export interface ArtifactRecord {
  id: string;
  enterpriseId: string;
  appId: string;
  userId: string;
  type: string;
  title: string;
  state: JsonObject;
  version: number;
  createdBySessionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Sessions that accept new messages and artifacts. ARCHIVED is closed, exactly like COMPLETED. */
export function isOpen(status: SessionStatus): boolean {
  return status === "IN_PROGRESS";
}

type Row = Record<string, unknown>;

export function toSession(row: Row): SessionRecord {
  const r = row as unknown as SessionRecord;
  return {
    id: r.id,
    enterpriseId: r.enterpriseId,
    appId: r.appId,
    userId: r.userId,
    workflowName: r.workflowName,
    title: r.title,
    status: r.status,
    lastSeq: r.lastSeq,
    lastActivityAt: r.lastActivityAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    completedAt: r.completedAt,
    archivedAt: r.archivedAt,
    parentSessionId: r.parentSessionId,
    sourceArtifactId: r.sourceArtifactId,
    legacyId: r.legacyId,
    runState: r.runState,
    runStep: r.runStep,
    runError: r.runError,
    runCheckpoint: r.runCheckpoint ?? null,
    runAttempt: r.runAttempt,
    runUpdatedAt: r.runUpdatedAt,
  };
}

export function toMessage(row: Row): MessageRecord {
  const r = row as unknown as MessageRecord;
  return {
    sessionId: r.sessionId,
    seq: r.seq,
    role: r.role,
    kind: r.kind,
    content: r.content,
    clientMessageId: r.clientMessageId,
    createdAt: r.createdAt,
  };
}

export function toArtifact(row: Row): ArtifactRecord {
  const r = row as unknown as ArtifactRecord;
  return {
    id: r.id,
    enterpriseId: r.enterpriseId,
    appId: r.appId,
    userId: r.userId,
    type: r.type,
    title: r.title,
    // Stored states of an older shape are read in the current one (e.g. app spec v1 → v2).
    state: upgradeArtifactState(r.type, r.state) as JsonObject,
    version: r.version,
    createdBySessionId: r.createdBySessionId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
