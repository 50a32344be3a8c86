import { isTabflowError } from "../../errors.ts";
import { JobAbort } from "../job-abort.ts";
import type { WorkflowContext } from "../types.ts";
import { queuedStep } from "./compile-queue.ts";

/**
 * Waits for this build's turn at the heavy stage. While it waits, the run is recorded
 * `queued` with its place in line as the step ("Queued (2nd in line)"), so its tab and its
 * progress artifact say so and follow the line as it moves; once a slot is free the run is
 * `running` again. A Stop (or shutdown) while waiting rejects with the job's abort, leaving
 * the line at once. Returns the slot's release (call it when the heavy stage ends).
 */
export async function waitForCompileSlot(ctx: WorkflowContext, runningStep: string, show: (step: string) => Promise<void>): Promise<() => void> {
  const queue = ctx.compileQueue;
  if (!queue) return () => {};
  // Position updates are written in order; the last one is awaited before "running" is recorded.
  let writes = Promise.resolve();
  const release = await queue.acquire(ctx.session.id, {
    signal: ctx.signal,
    onPosition: (position) => {
      const step = queuedStep(position);
      writes = writes
        .then(async () => {
          if (ctx.signal.aborted) return;
          await ctx.setRun({ state: "queued", step, ifStateIn: ["running", "queued"] });
          await show(step);
        })
        .catch((err: unknown) => {
          // conflict: stopped meanwhile (the abort ends the wait); anything else is only a late display.
          if (!isTabflowError(err, "conflict")) ctx.logger.warn({ err, sessionId: ctx.session.id }, "could not show a build's place in line");
        });
    },
  });
  try {
    await writes;
    if (ctx.signal.aborted) throw ctx.signal.reason instanceof JobAbort ? ctx.signal.reason : new JobAbort("stopped");
    // Always recorded: a build resumed after a restart may still say "queued" from before.
    await ctx.setRun({ state: "running", step: runningStep, ifStateIn: ["running", "queued"] });
    return release;
  } catch (err) {
    release();
    if (isTabflowError(err, "conflict")) throw new JobAbort("stopped");
    throw err;
  }
}
