import { TabflowError } from "../errors.ts";
import { DEFAULT_LIMITS, DEFAULT_TURNS } from "../limits/limits-config.ts";
import { ACTIVE_RUN_STATES, type ArtifactRecord, type Scope, type SessionRecord } from "../store/index.ts";
import { createCompileQueue, defaultBuildConcurrency } from "./build/compile-queue.ts";
import { createBackgroundJobs, type RunRunner } from "./background-jobs.ts";
import { findBuildDownload } from "./build.ts";
import { JobAbort } from "./job-abort.ts";
import { createMessageTurns, type TurnTiming, type UserMessage } from "./message-turns.ts";
import { createRegistry, type Registry } from "./registry.ts";
import { recoverRuns } from "./run-recovery.ts";
import type { RunScheduler } from "./run-scheduler.ts";
import type { RuntimeServices, WorkflowDefinition } from "./types.ts";
import { createContextFactory } from "./workflow-context.ts";

export { JobAbort };
export type { RunRunner, UserMessage };

export interface ActionDescription {
  id: string;
  label: string;
  enabled: boolean;
  reason?: string;
}

const DEFAULT_TIMING: TurnTiming = { quietMs: DEFAULT_TURNS.quietMs, maxWaitMs: DEFAULT_TURNS.maxWaitMs, maxPending: DEFAULT_LIMITS.pendingPerSession };

/**
 * Runs workflows: starts sessions, answers user messages (message-turns.ts: a burst is one
 * coalesced turn, a session's waiting work is bounded), performs artifact actions, runs
 * background jobs (background-jobs.ts) and finds interrupted ones at start-up (run-recovery.ts).
 * It keeps memory only for work in progress; an idle session costs nothing here.
 */
export function createWorkflowRuntime(input: RuntimeServices, registry: Registry = createRegistry(), timing: TurnTiming = DEFAULT_TIMING) {
  const services: RuntimeServices = { ...input, compileQueue: input.compileQueue ?? createCompileQueue(defaultBuildConcurrency()) };
  const { store, publisher, logger } = services;

  function definitionOf(session: SessionRecord): WorkflowDefinition | undefined {
    try {
      return registry.get(session.workflowName);
    } catch {
      return undefined; // e.g. an imported legacy workflow this version does not run
    }
  }

  const jobs = createBackgroundJobs({ store, publisher, logger, definitionOf, context: () => context, runningTurn: (id) => turns.running(id) });
  const context = createContextFactory(services, jobs.startJob);
  const turns = createMessageTurns({ store, logger, definitionOf, context, timing });

  async function createSession(scope: Scope, input: { workflowName: string; title?: string }): Promise<SessionRecord> {
    const def = registry.get(input.workflowName);
    if (!def.startable) throw new TabflowError("blocked", `${def.title} sessions are started from an artifact, not directly`);
    await services.quotas?.beforeSessionCreate(scope);
    const session = await store.createWorkflowSession(scope, { workflowName: def.name, title: input.title ?? def.title });
    publisher.sessionChanged(session);
    if (def.onStart) await def.onStart(context(scope, session, new AbortController().signal));
    return store.getWorkflowSession(scope, session.id);
  }

  /**
   * Before a user's message is stored: refuses what would never be answered (a closed session,
   * a workflow without a conversation, such as a Build) and what is over a limit. Returns the
   * release of the reservation the message holds in its session's queue.
   */
  async function admitMessage(scope: Scope, sessionId: string, text: string): Promise<() => void> {
    turns.admit(scope, sessionId)(); // refuses at once while shutting down or when full, before any query
    const session = await store.getWorkflowSession(scope, sessionId);
    if (session.status !== "IN_PROGRESS") throw new TabflowError("session_closed", "this session is closed; it accepts no new messages");
    const def = definitionOf(session);
    if (!def?.onUserMessage) {
      const retry = def?.job && (session.runState === "failed" || session.runState === "stopped") ? " (Retry build runs it again)" : "";
      throw new TabflowError("not_accepted", `${def?.title ?? "This"} sessions do not take chat messages: nothing would answer them${retry}`);
    }
    await services.quotas?.beforeUserMessage(scope, session, text);
    return turns.admit(scope, sessionId);
  }

  function describeActions(artifact: ArtifactRecord, session: SessionRecord): ActionDescription[] {
    return registry.actionsFor(artifact.type).flatMap((a) => {
      const availability = a.availability(artifact, session);
      return availability ? [{ id: a.id, label: a.label, ...availability }] : [];
    });
  }

  async function performAction(scope: Scope, input: { artifactId: string; action: string; sessionId?: string }): Promise<{ sessionId?: string }> {
    const artifact = await store.getArtifactInstance(scope, input.artifactId);
    const action = registry.action(input.action, artifact.type);
    const sessionId = input.sessionId ?? artifact.createdBySessionId ?? artifact.sessionIds[0];
    if (!sessionId || !artifact.sessionIds.includes(sessionId)) throw new TabflowError("not_found", "that artifact is not in this session");
    const session = await store.getWorkflowSession(scope, sessionId);
    const availability = action.availability(artifact, session);
    if (!availability?.enabled) throw new TabflowError("blocked", availability?.reason ?? `${action.label} is not available here`);
    return action.perform(context(scope, session, new AbortController().signal), artifact);
  }

  async function stopRun(scope: Scope, sessionId: string): Promise<SessionRecord> {
    const session = await store.getWorkflowSession(scope, sessionId);
    if (session.runState !== "running" && session.runState !== "queued") throw new TabflowError("conflict", "nothing is running in this session");
    // Recorded first, so the job's own next update (guarded by "still running") cannot undo it.
    // A queued build leaves the line when its job is aborted below; the others move up.
    const stopped = await store.updateRun(scope, sessionId, { state: "stopped", error: null, ifStateIn: [...ACTIVE_RUN_STATES] });
    publisher.sessionChanged(stopped);
    const job = jobs.jobs.get(sessionId) ?? turns.running(sessionId);
    job?.controller.abort(new JobAbort("stopped"));
    // Another node may be running it: tell it (it would also stop at its next checkpoint).
    if (!job) await jobs.scheduler()?.cancel(sessionId);
    await job?.done;
    const during = session.runState === "queued" ? " while it waited in the build line" : stopped.runStep ? ` during ${stopped.runStep}` : "";
    await context(scope, stopped, new AbortController().signal).say(`Stopped by you${during}.`, {
      role: "system",
      key: `stopped:${stopped.runAttempt}`,
    });
    return store.getWorkflowSession(scope, sessionId);
  }

  return {
    registry,
    download: (scope: Scope, sessionId: string) => findBuildDownload(store, scope, sessionId),
    workflows: () =>
      registry.list().map((w) => ({ name: w.name, title: w.title, description: w.description, startable: w.startable })),
    createSession,
    admitMessage,
    /** A stored user message; resolves when the turn that answers it has ended. */
    handleUserMessage: (event: UserMessage, release?: () => void) => turns.accept(event, release),
    /** The agent a session talks to, as the UI names it; null for workflows without one. */
    agentFor: (session: SessionRecord) => (definitionOf(session)?.usesAgent ? services.agent.label : null),
    describeActions,
    performAction,
    stopRun,
    recover: () => recoverRuns({ store, logger, jobs, context, definitionOf }),
    /** Shutdown: turns and jobs stop where they are and stay "running", so the next start resumes or reports them. */
    async close(): Promise<void> {
      await Promise.all([turns.close(new JobAbort("shutdown")), jobs.close()]);
    },
    /** Cluster mode: runs go through this shared queue instead of starting in this process. */
    useScheduler: (make: (r: RunRunner) => RunScheduler) => jobs.useScheduler(make),
    /** For tests and benchmarks: how much per-session state the runtime holds right now. */
    stats: () => ({ queues: turns.size(), jobs: jobs.jobs.size }),
    /** The build line of this process (BUILD_CONCURRENCY). */
    compileQueue: services.compileQueue!,
    /** Agent turns started since this runtime was made (a burst of messages should be one). */
    turnsStarted: () => turns.turnsStarted(),
    /** Resolves when the session has no message waiting or being answered and no job running. */
    whenIdle: async (sessionId: string) => {
      while (turns.has(sessionId) || jobs.jobs.has(sessionId)) await Promise.all([turns.whenIdle(sessionId), jobs.jobs.get(sessionId)?.done]);
    },
  };
}

export type WorkflowRuntime = ReturnType<typeof createWorkflowRuntime>;
