import { TabflowError, isTabflowError } from "../errors.ts";
import { ACTIVE_RUN_STATES, type ArtifactRecord, type Scope, type SessionRecord } from "../store/index.ts";
import { createCompileQueue, defaultBuildConcurrency } from "./build/compile-queue.ts";
import { findBuildDownload } from "./build.ts";
import { JobAbort } from "./job-abort.ts";
import { createRegistry, type Registry } from "./registry.ts";
import type { RunScheduler } from "./run-scheduler.ts";
import { createDraftStream } from "./stream-draft.ts";
import type { RuntimeServices, WorkflowContext, WorkflowDefinition } from "./types.ts";

export { JobAbort };

export interface ActionDescription {
  id: string;
  label: string;
  enabled: boolean;
  reason?: string;
}

export interface UserMessage {
  scope: Scope;
  message: { sessionId: string; seq: number };
  text: string;
}

/**
 * Runs workflows: starts sessions, hands them user messages (one at a time per session),
 * performs artifact actions, runs background jobs and finds interrupted ones at start-up.
 * It keeps memory only for work in progress: a per-session queue while a message is being
 * handled and an AbortController while a job runs. An idle session costs nothing here.
 */
export function createWorkflowRuntime(input: RuntimeServices, registry: Registry = createRegistry()) {
  const services: RuntimeServices = { ...input, compileQueue: input.compileQueue ?? createCompileQueue(defaultBuildConcurrency()) };
  const { store, publisher, logger } = services;
  const queues = new Map<string, Promise<void>>();
  const jobs = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** undefined: runs execute in this process (one node). Set: a shared queue decides (cluster). */
  let scheduler: RunScheduler | undefined;
  /** The message being handled per session (e.g. a model request in flight), so Stop can abort it. */
  const turns = new Map<string, { controller: AbortController; done: Promise<void> }>();

  /** Runs fn after whatever this session is already doing; the entry goes when the queue drains. */
  function serial(sessionId: string, fn: () => Promise<void>): Promise<void> {
    const previous = queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => {});
    queues.set(sessionId, tail);
    void tail.then(() => {
      if (queues.get(sessionId) === tail) queues.delete(sessionId);
    });
    return next;
  }

  function context(scope: Scope, session: SessionRecord, signal: AbortSignal): WorkflowContext {
    const ctx: WorkflowContext = {
      ...services,
      scope,
      session,
      signal,
      say: async (text, options = {}) => {
        await options.draft?.close();
        await publisher.appendMessage(
          scope,
          session.id,
          {
            role: options.role ?? "agent",
            kind: options.kind ?? "text",
            content: { text, ...options.extra, ...(options.draft ? { draftId: options.draft.draftId } : {}) },
            clientMessageId: options.key,
          },
          { endDraftId: options.draft?.draftId },
        );
      },
      openDraft: () =>
        createDraftStream({ store, broadcast: (e) => publisher.draft(e), logger, scope, sessionId: session.id, flush: services.draftFlush }),
      setRun: async (update) => {
        const updated = await store.updateRun(scope, session.id, update);
        publisher.sessionChanged(updated);
        return updated;
      },
      publishArtifact: (artifact) => publisher.artifactChanged(session.id, artifact),
      spawn: async (workflowName, options) => {
        const child = await store.createWorkflowSession(scope, {
          workflowName,
          title: options.title,
          parentSessionId: session.id,
          sourceArtifactId: options.sourceArtifactId,
        });
        for (const artifactId of options.attach) await store.attachArtifactToSession(scope, child.id, artifactId);
        const running = await store.updateRun(scope, child.id, { state: "running", step: "queued", error: null, checkpoint: options.checkpoint as never, newAttempt: true });
        publisher.sessionChanged(running);
        await startJob(scope, running);
        return running;
      },
      restartJob: async (checkpoint) => {
        const running = await store.updateRun(scope, session.id, {
          state: "running",
          step: "queued",
          error: null,
          checkpoint: checkpoint as never,
          newAttempt: true,
          ifStateIn: ["failed", "stopped", "succeeded", "idle"],
        });
        publisher.sessionChanged(running);
        await startJob(scope, running);
        return running;
      },
    };
    return ctx;
  }

  function definitionOf(session: SessionRecord): WorkflowDefinition | undefined {
    try {
      return registry.get(session.workflowName);
    } catch {
      return undefined; // e.g. an imported legacy workflow this version does not run
    }
  }

  /** Runs the job here (one node), or hands it to the shared queue (cluster). */
  async function startJob(scope: Scope, session: SessionRecord): Promise<void> {
    if (!scheduler) return runHere(scope, session);
    if (!definitionOf(session)?.job) throw new TabflowError("blocked", `${session.workflowName} sessions have no background run`);
    await scheduler.enqueue(session);
  }

  function runHere(scope: Scope, session: SessionRecord): void {
    const job = definitionOf(session)?.job;
    if (!job) throw new TabflowError("blocked", `${session.workflowName} sessions have no background run`);
    if (jobs.has(session.id)) throw new TabflowError("conflict", "this session's run is already going");
    const controller = new AbortController();
    const ctx = context(scope, session, controller.signal);
    const done = job
      .run(ctx)
      .catch(async (err: unknown) => {
        if (err instanceof JobAbort || controller.signal.aborted) return;
        // A job handles its own step failures; reaching here is a bug: never leave it "running".
        logger.error({ err, sessionId: session.id }, "a workflow job failed unexpectedly");
        await ctx.setRun({ state: "failed", error: "an unexpected error stopped the run", ifStateIn: [...ACTIVE_RUN_STATES] }).catch(() => {});
        await ctx.say("The run stopped because of an unexpected error.", { role: "system" }).catch(() => {});
      })
      .finally(() => jobs.delete(session.id));
    jobs.set(session.id, { controller, done });
  }

  async function createSession(scope: Scope, input: { workflowName: string; title?: string }): Promise<SessionRecord> {
    const def = registry.get(input.workflowName);
    if (!def.startable) throw new TabflowError("blocked", `${def.title} sessions are started from an artifact, not directly`);
    const session = await store.createWorkflowSession(scope, { workflowName: def.name, title: input.title ?? def.title });
    publisher.sessionChanged(session);
    if (def.onStart) {
      const ctx = context(scope, session, new AbortController().signal);
      await serial(session.id, () => def.onStart!(ctx));
    }
    return store.getWorkflowSession(scope, session.id);
  }

  async function handleUserMessage({ scope, message, text }: UserMessage): Promise<void> {
    await serial(message.sessionId, async () => {
      const session = await store.getWorkflowSession(scope, message.sessionId);
      const def = definitionOf(session);
      if (!def?.onUserMessage || session.status !== "IN_PROGRESS") return;
      const controller = new AbortController();
      const ctx = context(scope, session, controller.signal);
      let finished = () => {};
      turns.set(session.id, { controller, done: new Promise<void>((resolve) => (finished = resolve)) });
      try {
        await def.onUserMessage(ctx, text);
      } catch (err) {
        if (isTabflowError(err, "session_closed") || controller.signal.aborted) return;
        logger.error({ err, sessionId: session.id }, "a workflow could not handle a message");
        await ctx.say("Sorry, something went wrong while handling that message. Please try again.", { role: "system", key: `error-for:${message.seq}` });
        await ctx.setRun({ state: "failed", error: "could not handle the last message" });
      } finally {
        turns.delete(session.id);
        finished();
      }
    });
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
    const job = jobs.get(sessionId) ?? turns.get(sessionId);
    job?.controller.abort(new JobAbort("stopped"));
    // Another node may be running it: tell it (it would also stop at its next checkpoint).
    if (!job) await scheduler?.cancel(sessionId);
    await job?.done;
    const during = session.runState === "queued" ? " while it waited in the build line" : stopped.runStep ? ` during ${stopped.runStep}` : "";
    await context(scope, stopped, new AbortController().signal).say(`Stopped by you${during}.`, {
      role: "system",
      key: `stopped:${stopped.runAttempt}`,
    });
    return store.getWorkflowSession(scope, sessionId);
  }

  /** Start-up: runs a stopped process left "running" are resumed or failed, never left hanging. */
  async function recover(): Promise<{ resumed: number; failed: number }> {
    // In a cluster the shared queue owns recovery: a run "running" here may be live on another node.
    if (scheduler) return scheduler.recover();
    let resumed = 0;
    let failed = 0;
    // Queued builds were waiting for the build line: they resume and queue again.
    for (const session of await store.listSessionsByRunState([...ACTIVE_RUN_STATES])) {
      if (jobs.has(session.id)) continue;
      const scope = { enterpriseId: session.enterpriseId, appId: session.appId, userId: session.userId };
      const ctx = context(scope, session, new AbortController().signal);
      const def = definitionOf(session);
      try {
        if (def?.job?.resumable && session.status === "IN_PROGRESS") {
          await ctx.say(`The server restarted during this run; resuming from ${session.runStep ?? "the start"}.`, {
            role: "system",
            key: `resume:${session.runAttempt}:${session.runUpdatedAt?.getTime() ?? 0}`,
          });
          runHere(scope, session);
          resumed++;
        } else {
          // A reply that was streaming when the process stopped: its draft will never finish.
          await store.deleteDraft(scope, session.id).catch(() => false);
          const interrupted = def?.job ? "The server restarted during this run and it could not be resumed." : "The server restarted while this message was being handled; please send it again.";
          await ctx.setRun({ state: def?.job ? "failed" : "waiting_input", error: def?.job ? "interrupted by a server restart" : null });
          if (session.status === "IN_PROGRESS") await ctx.say(interrupted, { role: "system", key: `interrupted:${session.runAttempt}:${session.runUpdatedAt?.getTime() ?? 0}` });
          failed++;
        }
      } catch (err) {
        logger.error({ err, sessionId: session.id }, "could not recover an interrupted run");
      }
    }
    return { resumed, failed };
  }

  /** Shutdown: jobs stop where they are and stay "running", so the next start resumes them. */
  async function close(): Promise<void> {
    const schedulerClosed = scheduler?.close(); // first: take no new runs from the queue
    for (const { controller } of [...jobs.values(), ...turns.values()]) controller.abort(new JobAbort("shutdown"));
    await Promise.all([...jobs.values()].map((j) => j.done));
    await Promise.all([...queues.values()]);
    await schedulerClosed;
  }

  /**
   * What a shared run queue needs from this process: run a job here (resolving when it ends,
   * with why it was aborted, if it was), abort one, and record a run it gives up on.
   */
  const runner = {
    async execute(session: SessionRecord, options: { resumed: boolean }): Promise<{ aborted?: "stopped" | "shutdown" }> {
      const scope = { enterpriseId: session.enterpriseId, appId: session.appId, userId: session.userId };
      if (options.resumed) {
        await context(scope, session, new AbortController().signal).say(`The server running this build stopped; resuming from ${session.runStep ?? "the start"} on another server.`, {
          role: "system",
          key: `resume:${session.runAttempt}:${session.runUpdatedAt?.getTime() ?? 0}`,
        });
      }
      runHere(scope, session);
      const job = jobs.get(session.id)!;
      await job.done;
      const reason = job.controller.signal.reason as JobAbort | undefined;
      return { aborted: job.controller.signal.aborted ? reason?.reason ?? "stopped" : undefined };
    },
    abort(sessionId: string, reason: "stopped" | "shutdown"): boolean {
      // A build job, or a model request a Stop on another node asked to cancel.
      const job = jobs.get(sessionId) ?? turns.get(sessionId);
      job?.controller.abort(new JobAbort(reason));
      return job !== undefined;
    },
    async fail(session: SessionRecord, error: string, text: string, state: "failed" | "waiting_input" = "failed"): Promise<void> {
      const scope = { enterpriseId: session.enterpriseId, appId: session.appId, userId: session.userId };
      const ctx = context(scope, session, new AbortController().signal);
      await ctx.setRun({ state, error: state === "failed" ? error : null, ifStateIn: [...ACTIVE_RUN_STATES] });
      if (session.status === "IN_PROGRESS") await ctx.say(text, { role: "system", key: `lost:${session.runAttempt}` });
      // Artifact buttons depend on the run state (Retry appears now): send them again.
      for (const artifact of await store.listSessionArtifacts(scope, session.id)) publisher.artifactChanged(session.id, artifact);
    },
    definitionOf,
    isRunningHere: (sessionId: string) => jobs.has(sessionId),
  };

  return {
    registry,
    download: (scope: Scope, sessionId: string) => findBuildDownload(store, scope, sessionId),
    workflows: () =>
      registry.list().map((w) => ({ name: w.name, title: w.title, description: w.description, startable: w.startable })),
    createSession,
    handleUserMessage,
    /** The agent a session talks to, as the UI names it; null for workflows without one. */
    agentFor: (session: SessionRecord) => (definitionOf(session)?.usesAgent ? services.agent.label : null),
    describeActions,
    performAction,
    stopRun,
    recover,
    close,
    /** Cluster mode: runs go through this shared queue instead of starting in this process. */
    useScheduler: (make: (r: RunRunner) => RunScheduler) => {
      scheduler = make(runner);
    },
    /** For tests and benchmarks: how much per-session state the runtime holds right now. */
    stats: () => ({ queues: queues.size, jobs: jobs.size }),
    /** The build line of this process (BUILD_CONCURRENCY). */
    compileQueue: services.compileQueue!,
    /** Resolves when the session has no message being handled and no job running. */
    whenIdle: async (sessionId: string) => {
      while (queues.has(sessionId) || jobs.has(sessionId)) await Promise.all([queues.get(sessionId), jobs.get(sessionId)?.done]);
    },
  };
}

export type WorkflowRuntime = ReturnType<typeof createWorkflowRuntime>;
export interface RunRunner {
  execute(session: SessionRecord, options: { resumed: boolean }): Promise<{ aborted?: "stopped" | "shutdown" }>;
  abort(sessionId: string, reason: "stopped" | "shutdown"): boolean;
  fail(session: SessionRecord, error: string, text: string, state?: "failed" | "waiting_input"): Promise<void>;
  definitionOf(session: SessionRecord): WorkflowDefinition | undefined;
  isRunningHere(sessionId: string): boolean;
}
