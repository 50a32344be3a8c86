import type { SessionRecord } from "../store/index.ts";

/**
 * Where background runs execute. Without one the workflow runtime runs jobs in its own
 * process (one node, the default). In cluster mode a shared queue (lib/cluster/runs.ts,
 * BullMQ) implements this: any node may execute a run, exactly one does at a time.
 */
export interface RunScheduler {
  /** The session is already recorded "running" (with its checkpoint): get it executed. */
  enqueue(session: SessionRecord): Promise<void>;
  /** The run was recorded "stopped": abort it wherever it executes. */
  cancel(sessionId: string): Promise<void>;
  /** Start-up: runs left "running" get executed (or marked failed), never twice. */
  recover(): Promise<{ resumed: number; failed: number }>;
  /** Stop taking runs; resolves once this node's executing runs are handed back. */
  close(): Promise<void>;
}
