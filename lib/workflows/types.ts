/**
 * The contract between the workflow runtime and the workflows it runs. Workflows publish
 * through WorkflowPublisher (persist, then broadcast), which the realtime layer implements:
 * nothing here imports Socket.IO.
 */
import type { Logger } from "../logger.ts";
import type { AppendMessageInput, ArtifactRecord, MessageRecord, Scope, SessionRecord, Store } from "../store/index.ts";
import type { SpecAgent } from "./agents/types.ts";
import type { CompileQueue } from "./build/compile-queue.ts";
import type { DraftEvent, DraftStream } from "./stream-draft.ts";
import type { Quotas } from "./quotas.ts";

export interface WorkflowPublisher {
  appendMessage(scope: Scope, sessionId: string, input: AppendMessageInput, options?: { endDraftId?: string }): Promise<{ message: MessageRecord; created: boolean }>;
  sessionChanged(session: SessionRecord): void;
  artifactChanged(sessionId: string, artifact: ArtifactRecord): void;
  /** Streamed reply text for the session's viewers (ephemeral). */
  draft(event: DraftEvent): void;
}

/** Test-only fault injection: lets a test make a named build step fail. Never set in the app. */
export interface TestHooks {
  beforeBuildStep?(step: string, session: SessionRecord): void | Promise<void>;
}

export interface RuntimeServices {
  store: Store;
  publisher: WorkflowPublisher;
  logger: Logger;
  agent: SpecAgent;
  /** Where build outputs live (…/builds/<sessionId>/attempt-<n>/). */
  dataDir: string;
  /** Pause between build file steps, so progress is visible; 0 in most tests. */
  buildPaceMs: number;
  /**
   * How much of a generated project the Build's check runs (BUILD_VERIFY): "full" installs,
   * type-checks, builds, starts and exercises it in the sandbox; "typecheck" stops after the
   * type-check; "off" (the default here, for tests of the run loop) runs only the quick check.
   */
  buildVerify?: "off" | "typecheck" | "full";
  testHooks?: TestHooks;
  /** The line for builds' heavy stage (BUILD_CONCURRENCY at once); the runtime makes a default one. */
  compileQueue?: CompileQueue;
  /** Per-user quotas checked before sessions are created and builds started (unset: none, as in most tests). */
  quotas?: Quotas;
  /** How often a streamed reply's text is written to its draft row (default 250 ms or 400 characters). */
  draftFlush?: { ms: number; chars: number };
}

/** What one call into a workflow can use; `session` is as it was when the call started. */
export interface WorkflowContext extends RuntimeServices {
  scope: Scope;
  session: SessionRecord;
  signal: AbortSignal;
  /** Persists a chat message from the agent (or the system) and broadcasts it. */
  say(text: string, options?: { role?: "agent" | "system"; kind?: string; extra?: Record<string, unknown>; key?: string; draft?: DraftStream }): Promise<void>;
  /** Starts streaming a reply: text goes live to viewers and to a draft row in batches; `say(…, {draft})` ends it. */
  openDraft(): DraftStream;
  /** Records the run's state (and step / error) and tells the owner's tabs. */
  setRun(update: Parameters<Store["updateRun"]>[2]): Promise<SessionRecord>;
  /** Tells viewers of this session that one of its artifacts was created or changed. */
  publishArtifact(artifact: ArtifactRecord): void;
  /**
   * Starts a new session of another workflow as a child of this one (lineage: this session and
   * the source artifact), attaches the given artifacts, and starts its job with `checkpoint`.
   */
  spawn(workflowName: string, options: { title: string; sourceArtifactId?: string; attach: string[]; checkpoint: unknown }): Promise<SessionRecord>;
  /** (Re)starts this session's job as a new attempt from `checkpoint`. */
  restartJob(checkpoint: unknown): Promise<SessionRecord>;
}

/** The user messages one agent turn answers (their seq, ascending; the texts are in the store). */
export interface UserTurn {
  seqs: number[];
}

export interface ActionAvailability {
  enabled: boolean;
  /** Why it is disabled (shown to the user), when it is. */
  reason?: string;
}

export interface ArtifactAction {
  id: string;
  label: string;
  /** The artifact types this action appears on. */
  artifactTypes: string[];
  /** Whether it can run now, for a user viewing `session`. Omitted actions are not shown. */
  availability(artifact: ArtifactRecord, session: SessionRecord): ActionAvailability | undefined;
  /** Runs it; returns the session the client should show next, if any. */
  perform(ctx: WorkflowContext, artifact: ArtifactRecord): Promise<{ sessionId?: string }>;
}

export interface WorkflowDefinition {
  name: string;
  title: string;
  description: string;
  /** Whether "New session" offers it (Build only starts from a spec's Start Build). */
  startable: boolean;
  onStart?(ctx: WorkflowContext): Promise<void>;
  /**
   * Answers the user messages that arrived since the last turn, all at once: a burst of messages
   * is one turn (coalesced by message-turns.ts), never one turn per message.
   */
  onUserMessage?(ctx: WorkflowContext, turn: UserTurn): Promise<void>;
  /** A background job (e.g. Build): runs until done, survives disconnects, resumes after a restart. */
  job?: {
    run(ctx: WorkflowContext): Promise<void>;
    /** After a restart found the run "running": resume it (true) or mark it failed (false). */
    resumable: boolean;
  };
  actions?: ArtifactAction[];
  /** Its sessions talk to the agent (the UI says which one). */
  usesAgent?: boolean;
}
