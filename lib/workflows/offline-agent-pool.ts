/**
 * The offline agent on worker threads (piscina). Measured on these machines: the agent spends
 * ~130 ms on 12 kB of conversation and ~0.9 s on 120 kB, all of it synchronous; on the event
 * loop that froze every socket and /api/health while it thought. In a pool the loop only
 * posts the conversation and receives the answer. Stop and shutdown abort a turn in flight
 * (piscina ends that worker), so nothing waits for a long analysis to finish.
 */
import { Piscina } from "piscina";
import { createOfflineAgent } from "./agents/offline-agent.ts";
import type { SpecAgent, SpecReply } from "./agents/types.ts";

export interface PooledAgent extends SpecAgent {
  close(): Promise<void>;
}

export function createPooledOfflineAgent(threads: number): PooledAgent {
  const inline = createOfflineAgent();
  if (threads <= 0) return { ...inline, name: inline.name, label: inline.label, proposeSpec: inline.proposeSpec, close: async () => {} };
  const pool = new Piscina({
    filename: new URL("./offline-agent-worker.ts", import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    // A thread is kept a minute after its last turn, then given back (an idle server holds none).
    idleTimeout: 60_000,
  });
  return {
    name: inline.name,
    label: inline.label,
    async proposeSpec({ conversation, current, signal }) {
      // Only data crosses to the worker: the conversation and the current spec.
      return (await pool.run({ conversation, current }, { signal: signal ?? null })) as SpecReply;
    },
    close: () => pool.destroy(),
  };
}
