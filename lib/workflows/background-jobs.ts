/**
 * Background jobs (a Build's run): started here on one node, or handed to the shared run
 * queue in cluster mode; the `runner` is what that queue calls back to execute one here.
 */
import { TabflowError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { ACTIVE_RUN_STATES, type Scope, type SessionRecord, type Store } from "../store/index.ts";
import { JobAbort } from "./job-abort.ts";
import type { RunScheduler } from "./run-scheduler.ts";
import type { WorkflowDefinition, WorkflowPublisher } from "./types.ts";
import type { ContextFactory } from "./workflow-context.ts";

export interface RunRunner {
  execute(session: SessionRecord, options: { resumed: boolean }): Promise<{ aborted?: "stopped" | "shutdown" }>;
  abort(sessionId: string, reason: "stopped" | "shutdown"): boolean;
  fail(session: SessionRecord, error: string, text: string, state?: "failed" | "waiting_input"): Promise<void>;
  definitionOf(session: SessionRecord): WorkflowDefinition | undefined;
  isRunningHere(sessionId: string): boolean;
}

export const scopeOf = (session: SessionRecord): Scope => ({ enterpriseId: session.enterpriseId, appId: session.appId, userId: session.userId });

export function createBackgroundJobs(deps: {
  store: Store;
  publisher: WorkflowPublisher;
  logger: Logger;
  definitionOf(session: SessionRecord): WorkflowDefinition | undefined;
  /** Late-bound: the context factory needs startJob, and startJob needs a context. */
  context(): ContextFactory;
  /** A message turn being handled (Stop from another node may abort it too). */
  runningTurn(sessionId: string): { controller: AbortController } | undefined;
}) {
  const { store, publisher, logger, definitionOf } = deps;
  const jobs = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** undefined: runs execute in this process (one node). Set: a shared queue decides (cluster). */
  let scheduler: RunScheduler | undefined;

  function runHere(scope: Scope, session: SessionRecord): void {
    const job = definitionOf(session)?.job;
    if (!job) throw new TabflowError("blocked", `${session.workflowName} sessions have no background run`);
    if (jobs.has(session.id)) throw new TabflowError("conflict", "this session's run is already going");
    const controller = new AbortController();
    const ctx = deps.context()(scope, session, controller.signal);
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

  /** Runs the job here (one node), or hands it to the shared queue (cluster). */
  async function startJob(scope: Scope, session: SessionRecord): Promise<void> {
    if (!scheduler) return runHere(scope, session);
    if (!definitionOf(session)?.job) throw new TabflowError("blocked", `${session.workflowName} sessions have no background run`);
    await scheduler.enqueue(session);
  }

  const runner: RunRunner = {
    async execute(session, options) {
      const scope = scopeOf(session);
      if (options.resumed) {
        await deps.context()(scope, session, new AbortController().signal).say(
          `The server running this build stopped; resuming from ${session.runStep ?? "the start"} on another server.`,
          { role: "system", key: `resume:${session.runAttempt}:${session.runUpdatedAt?.getTime() ?? 0}` },
        );
      }
      runHere(scope, session);
      const job = jobs.get(session.id)!;
      await job.done;
      const reason = job.controller.signal.reason as JobAbort | undefined;
      return { aborted: job.controller.signal.aborted ? reason?.reason ?? "stopped" : undefined };
    },
    abort(sessionId, reason) {
      // A build job, or a model request a Stop on another node asked to cancel.
      const job = jobs.get(sessionId) ?? deps.runningTurn(sessionId);
      job?.controller.abort(new JobAbort(reason));
      return job !== undefined;
    },
    async fail(session, error, text, state = "failed") {
      const scope = scopeOf(session);
      const ctx = deps.context()(scope, session, new AbortController().signal);
      await ctx.setRun({ state, error: state === "failed" ? error : null, ifStateIn: [...ACTIVE_RUN_STATES] });
      if (session.status === "IN_PROGRESS") await ctx.say(text, { role: "system", key: `lost:${session.runAttempt}` });
      // Artifact buttons depend on the run state (Retry appears now): send them again.
      for (const artifact of await store.listSessionArtifacts(scope, session.id)) publisher.artifactChanged(session.id, artifact);
    },
    definitionOf,
    isRunningHere: (sessionId) => jobs.has(sessionId),
  };

  return {
    jobs,
    runHere,
    startJob,
    runner,
    scheduler: () => scheduler,
    useScheduler(make: (r: RunRunner) => RunScheduler) {
      scheduler = make(runner);
    },
    /** Shutdown: take no new runs from the queue, abort ours (they stay "running" for a resume). */
    async close(): Promise<void> {
      const schedulerClosed = scheduler?.close();
      for (const { controller } of jobs.values()) controller.abort(new JobAbort("shutdown"));
      await Promise.all([...jobs.values()].map((j) => j.done));
      await schedulerClosed;
    },
  };
}

export type BackgroundJobs = ReturnType<typeof createBackgroundJobs>;
