import { Queue, WaitingError, Worker, type Job } from "bullmq";
import type { ClusterConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { ACTIVE_RUN_STATES, type SessionRecord, type Store } from "../store/index.ts";
import type { RunScheduler } from "../workflows/run-scheduler.ts";
import type { RunRunner } from "../workflows/runtime.ts";
import { redisClient } from "./redis.ts";

/**
 * Shared durable runs on BullMQ. Starting a run (the session is already recorded "running",
 * with its checkpoint, in PostgreSQL) adds a job whose id is `<sessionId>-<attempt>`, so the
 * same run is never queued twice. Every node runs a Worker; BullMQ gives each job to exactly
 * one of them and keeps a lock on it that the node renews. A node that dies (kill -9) stops
 * renewing: after `lockMs`, the next stalled check (every `stalledCheckMs`, on any node) puts
 * the job back in the queue and another node resumes it from the persisted checkpoint (its
 * progress messages are idempotent, so nothing is announced twice). After `maxStalled` such
 * losses BullMQ fails the job and the session is marked failed with a message.
 *
 * A reconciler (each node, every `stalledCheckMs`, and at start) compares the database with the
 * queue: a run recorded "running" with no job whose checkpoint has not moved for a lock period
 * (Redis lost its data, or the add failed while Redis was away) is queued again; a run whose job failed is marked failed. It never touches a
 * job another node is executing, so recovery at start cannot double-run anything.
 *
 * Stop works from any node: the stopping node records "stopped" in the database, then
 * publishes the session id on `<prefix>:run-cancel`; the node executing it aborts at once (and
 * would stop at its next checkpoint anyway, as the database no longer says "running").
 */
const QUEUE_NAME = "runs";
/** Runs that do not go through a job (a message being handled) count as lost after this. */
const MESSAGE_HANDLING_GRACE_MS = 2 * 60_000;

interface RunJobData {
  sessionId: string;
  attempt: number;
}

export const runJobId = (sessionId: string, attempt: number) => `${sessionId}-${attempt}`;

export interface ClusterRuns {
  scheduler: (runner: RunRunner) => RunScheduler;
  /** Compares the database with the queue once (see above). */
  reconcile(): Promise<{ queued: number; failed: number }>;
}

export function createClusterRuns(deps: { cluster: ClusterConfig; store: Store; logger: Logger }): ClusterRuns {
  const { cluster, store, logger } = deps;
  const prefix = `${cluster.prefix}:bull`;
  const cancelChannel = `${cluster.prefix}:run-cancel`;
  let runner: RunRunner | undefined;
  let queue: Queue<RunJobData> | undefined;

  async function enqueue(session: SessionRecord): Promise<void> {
    const data: RunJobData = { sessionId: session.id, attempt: session.runAttempt };
    try {
      await queue!.add("run", data, {
        jobId: runJobId(session.id, session.runAttempt),
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
      });
    } catch (err) {
      // The run is recorded "running" in the database: the reconciler queues it once Redis is back.
      logger.warn({ err: (err as Error).message, sessionId: session.id }, "could not queue a run now; it will be queued when Redis answers");
    }
  }

  async function reconcile(): Promise<{ queued: number; failed: number }> {
    let queued = 0;
    let failed = 0;
    if (!queue || !runner) return { queued, failed };
    for (const session of await store.listSessionsByRunState([...ACTIVE_RUN_STATES])) {
      try {
        const def = runner.definitionOf(session);
        if (!def?.job) {
          const age = Date.now() - (session.runUpdatedAt?.getTime() ?? 0);
          if (age > MESSAGE_HANDLING_GRACE_MS) {
            await runner.fail(session, "interrupted", "The server handling the last message stopped; please send it again.", "waiting_input");
            failed++;
          }
          continue;
        }
        const id = runJobId(session.id, session.runAttempt);
        const job = await queue.getJob(id);
        const state = job ? await job.getState() : "missing";
        if (state === "failed") {
          await runner.fail(
            session,
            job?.failedReason || "no server could finish it",
            `This build was marked failed: no server could finish it (${job?.failedReason || "its job failed"}). Use "Retry build" to try again.`,
          );
          await job!.remove().catch(() => {});
          failed++;
        } else if (state === "missing" || state === "completed" || state === "unknown") {
          // A run still making progress (its checkpoint moved within a lock period) has a live
          // node even if Redis lost its job (a Redis restart without persistence): leave it.
          const idleMs = Date.now() - (session.runUpdatedAt?.getTime() ?? 0);
          if (runner.isRunningHere(session.id) || idleMs < cluster.lockMs) continue;
          if (job) await job.remove().catch(() => {});
          await enqueue(session);
          queued++;
        }
      } catch (err) {
        logger.warn({ err: (err as Error).message, sessionId: session.id }, "could not reconcile a run with the queue");
      }
    }
    if (queued || failed) logger.info({ queued, failed }, "reconciled runs with the queue");
    return { queued, failed };
  }

  function scheduler(r: RunRunner): RunScheduler {
    runner = r;
    const connection = { url: cluster.redisUrl, maxRetriesPerRequest: null };
    // Producers fail fast while Redis is away (the reconciler re-queues); workers wait for it.
    queue = new Queue<RunJobData>(QUEUE_NAME, { connection: { url: cluster.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 }, prefix });
    queue.on("error", (err) => logger.debug({ err: err.message }, "run queue: Redis error"));

    let closing = false;
    const worker = new Worker<RunJobData>(
      QUEUE_NAME,
      async (job: Job<RunJobData>, token?: string) => {
        // Shutting down: a job fetched while closing goes straight back for another node.
        if (closing && token) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        const [session] = await store.listSessionsByIds([job.data.sessionId]);
        // Stopped, finished, retried (a newer attempt) or deleted meanwhile: nothing to do.
        if (!session || !(ACTIVE_RUN_STATES as readonly string[]).includes(session.runState) || session.runAttempt !== job.data.attempt) return { skipped: true };
        const def = r.definitionOf(session);
        const resumed = session.runStep !== "queued";
        if (!def?.job || (resumed && !def.job.resumable)) {
          await r.fail(session, "interrupted by a server stopping", "The server running this stopped and it could not be resumed.");
          return { skipped: true };
        }
        logger.info({ sessionId: session.id, attempt: session.runAttempt, resumed, jobId: job.id }, "running a queued run on this node");
        const { aborted } = await r.execute(session, { resumed });
        if (aborted === "shutdown" && token) {
          // This node is shutting down: hand the run straight back to the queue for another node.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        return { aborted: aborted ?? null };
      },
      {
        connection,
        prefix,
        concurrency: cluster.concurrency,
        lockDuration: cluster.lockMs,
        stalledInterval: cluster.stalledCheckMs,
        maxStalledCount: cluster.maxStalled,
      },
    );
    let workerDown = false;
    worker.on("error", (err) => {
      if (!workerDown) logger.warn({ err: err.message }, "run worker: Redis error");
      workerDown = true;
    });
    worker.on("ready", () => {
      workerDown = false;
    });
    worker.on("failed", (job, err) => logger.warn({ jobId: job?.id, err: err.message }, "a queued run failed"));

    const cancels = redisClient(cluster.redisUrl, logger, "tabflow-run-cancel");
    cancels.on("message", (channel: string, sessionId: string) => {
      if (channel === cancelChannel && r.abort(sessionId, "stopped")) logger.info({ sessionId }, "stopped a run at another node's request");
    });
    void cancels.subscribe(cancelChannel).catch((err: Error) => logger.warn({ err: err.message }, "could not subscribe to run cancels"));
    const publisher = redisClient(cluster.redisUrl, logger, "tabflow-run-cancel-pub", { enableOfflineQueue: false, maxRetriesPerRequest: 1 });

    let reconciling: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      reconciling = reconciling.then(() => reconcile()).catch((err: unknown) => logger.warn({ err: (err as Error).message }, "reconcile failed"));
    }, cluster.stalledCheckMs);
    timer.unref();

    return {
      enqueue,
      cancel: async (sessionId) => {
        await publisher.publish(cancelChannel, sessionId).catch((err: Error) => logger.warn({ err: err.message, sessionId }, "could not publish a run cancel; the run stops at its next step"));
      },
      recover: async () => {
        const { queued, failed } = await reconcile();
        return { resumed: queued, failed };
      },
      close: async () => {
        closing = true;
        clearInterval(timer);
        await worker.close();
        await reconciling.catch(() => {});
        await queue!.close();
        await Promise.allSettled([cancels.quit(), publisher.quit()]);
        cancels.disconnect();
        publisher.disconnect();
      },
    };
  }

  return { scheduler, reconcile };
}
