import type { Logger } from "../logger.ts";
import { ACTIVE_RUN_STATES, type SessionRecord, type Store } from "../store/index.ts";
import { scopeOf, type BackgroundJobs } from "./background-jobs.ts";
import type { WorkflowDefinition } from "./types.ts";
import type { ContextFactory } from "./workflow-context.ts";

/**
 * Start-up: runs a stopped process left "running" are resumed (resumable jobs) or marked
 * failed / waiting with a message saying so, never left hanging. In a cluster the shared queue
 * owns this (a run "running" here may be live on another node).
 */
export async function recoverRuns(deps: {
  store: Store;
  logger: Logger;
  jobs: BackgroundJobs;
  context: ContextFactory;
  definitionOf(session: SessionRecord): WorkflowDefinition | undefined;
}): Promise<{ resumed: number; failed: number }> {
  const { store, logger, jobs, context, definitionOf } = deps;
  const scheduler = jobs.scheduler();
  if (scheduler) return scheduler.recover();
  let resumed = 0;
  let failed = 0;
  // Queued builds were waiting for the build line: they resume and queue again.
  for (const session of await store.listSessionsByRunState([...ACTIVE_RUN_STATES])) {
    if (jobs.jobs.has(session.id)) continue;
    const scope = scopeOf(session);
    const ctx = context(scope, session, new AbortController().signal);
    const def = definitionOf(session);
    try {
      if (def?.job?.resumable && session.status === "IN_PROGRESS") {
        await ctx.say(`The server restarted during this run; resuming from ${session.runStep ?? "the start"}.`, {
          role: "system",
          key: `resume:${session.runAttempt}:${session.runUpdatedAt?.getTime() ?? 0}`,
        });
        jobs.runHere(scope, session);
        resumed++;
      } else {
        // A reply that was streaming when the process stopped: its draft will never finish.
        await store.deleteDraft(scope, session.id).catch(() => false);
        const interrupted = def?.job
          ? "The server restarted during this run and it could not be resumed."
          : "The server restarted while this message was being handled; please send it again.";
        await ctx.setRun({ state: def?.job ? "failed" : "waiting_input", error: def?.job ? "interrupted by a server restart" : null });
        if (session.status === "IN_PROGRESS") {
          await ctx.say(interrupted, { role: "system", key: `interrupted:${session.runAttempt}:${session.runUpdatedAt?.getTime() ?? 0}` });
        }
        failed++;
      }
    } catch (err) {
      logger.error({ err, sessionId: session.id }, "could not recover an interrupted run");
    }
  }
  return { resumed, failed };
}
