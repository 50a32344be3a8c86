/**
 * The session store: the only code that calls Prisma. Every operation takes the caller's
 * scope and refuses (with `not_found`) what is not theirs. createStore binds the
 * operations to one database so callers never see the client.
 */
import type { Database, Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import * as accounts from "./accounts.ts";
import * as artifacts from "./artifacts.ts";
import * as buildOutputs from "./build-outputs.ts";
import * as history from "./artifact-history.ts";
import * as search from "./search.ts";
import * as drafts from "./drafts.ts";
import { importLegacySessions } from "./legacy-import.ts";
import * as messages from "./messages.ts";
import { guard } from "./prisma-errors.ts";
import * as runs from "./runs.ts";
import * as sessions from "./sessions.ts";
import type { Scope } from "./scope.ts";
import type { AppendMessageInput } from "./messages.ts";

export * from "./records.ts";
export type { Scope } from "./scope.ts";
export type { MessagePage, AppendMessageInput, AppendOutcome, BatchOutcome } from "./messages.ts";
export { MAX_BATCH, MAX_CONTENT_BYTES } from "./messages.ts";
export type { CreateSessionInput, ListSessionsInput } from "./sessions.ts";
export type { CreateArtifactInput, UpdateArtifactInput, ArtifactWithSessions, Attachment } from "./artifacts.ts";
export type { DraftInput, DraftRecord } from "./drafts.ts";
export type { ArtifactHistory, ArtifactBuildRef, ArtifactVersionInfo, ArtifactVersionState, RestoreArtifactInput } from "./artifact-history.ts";
export type { SessionSearchHit, SearchMatch, SearchSessionsInput } from "./search.ts";
export type { LegacyImportReport } from "./legacy-import.ts";
export type { RunUpdate } from "./runs.ts";
export type { BuildOutputRecord } from "./build-outputs.ts";
export { BUILD_OUTPUT_MAX_BYTES } from "./build-outputs.ts";

export interface RowCounts {
  sessions: number;
  messages: number;
  artifacts: number;
  attachments: number;
}

async function ping(db: Db, timeoutMs = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TabflowError("unavailable", `the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([guard(() => db.$queryRawUnsafe("SELECT 1")), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function countRows(db: Db): Promise<RowCounts> {
  return guard(async () => {
    const [s, m, a, at] = await Promise.all([
      db.workflowSession.count(),
      db.message.count(),
      db.artifactInstance.count(),
      db.sessionArtifact.count(),
    ]);
    return { sessions: s, messages: m, artifacts: a, attachments: at };
  });
}

type Bound<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => R : never;

export function createStore(database: Database) {
  const db = database.prisma;
  const insertRows = messages.multiRowInsert(database);
  const bind =
    <A extends unknown[], R>(fn: (db: Db, ...args: A) => R) =>
    (...args: A): R =>
      fn(db, ...args);
  return {
    provider: database.provider,
    createWorkflowSession: bind(sessions.createWorkflowSession),
    getWorkflowSession: bind(sessions.getWorkflowSession),
    listWorkflowSessions: bind(sessions.listWorkflowSessions),
    countWorkflowSessions: bind(sessions.countWorkflowSessions),
    completeWorkflowSession: bind(sessions.completeWorkflowSession),
    archiveWorkflowSession: bind(sessions.archiveWorkflowSession),
    unarchiveWorkflowSession: bind(sessions.unarchiveWorkflowSession),
    renameWorkflowSession: bind(sessions.renameWorkflowSession),
    appendMessage: bind(messages.appendMessage),
    appendMessageWithStatus: bind(messages.appendMessageWithStatus),
    appendMessageBatch: (scope: Scope, sessionId: string, inputs: AppendMessageInput[]) =>
      messages.appendMessageBatch(db, scope, sessionId, inputs, insertRows),
    listMessages: bind(messages.listMessages),
    createArtifactInstance: bind(artifacts.createArtifactInstance),
    attachArtifactToSession: bind(artifacts.attachArtifactToSession),
    updateArtifactState: bind(artifacts.updateArtifactState),
    getArtifactInstance: bind(artifacts.getArtifactInstance),
    listSessionArtifacts: bind(artifacts.listSessionArtifacts),
    listArtifactHistory: bind(history.listArtifactHistory),
    getArtifactVersion: bind(history.getArtifactVersion),
    restoreArtifactVersion: bind(history.restoreArtifactVersion),
    searchSessions: (scope: Scope, input: search.SearchSessionsInput) => search.searchSessions(database, db, scope, input),
    updateRun: bind(runs.updateRun),
    listSessionsByRunState: bind(runs.listSessionsByRunState),
    listSessionsByIds: bind(runs.listSessionsByIds),
    saveBuildOutput: bind(buildOutputs.saveBuildOutput),
    getBuildOutput: bind(buildOutputs.getBuildOutput),
    hasBuildOutput: bind(buildOutputs.hasBuildOutput),
    deleteBuildOutput: bind(buildOutputs.deleteBuildOutput),
    saveDraft: bind(drafts.saveDraft),
    getDraft: bind(drafts.getDraft),
    deleteDraft: bind(drafts.deleteDraft),
    importLegacySessions: bind(importLegacySessions),
    ensureAccountScope: bind(accounts.ensureAccountScope),
    getAccountScope: bind(accounts.getAccountScope),
    liveAuthSessions: bind(accounts.liveAuthSessions),
    hasAnyAccount: bind(accounts.hasAnyAccount),
    ping: bind(ping) as Bound<typeof ping>,
    countRows: bind(countRows),
  };
}

export type Store = ReturnType<typeof createStore>;
export type { Scope as StoreScope };
