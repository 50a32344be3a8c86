import { describeRedis, type ClusterConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { TabflowServer } from "../realtime/server-types.ts";
import type { Store } from "../store/index.ts";
import type { WorkflowRuntime } from "../workflows/runtime.ts";
import { pingRedis } from "./redis.ts";
import { createClusterRuns } from "./runs.ts";
import { attachRedisAdapter } from "./socket-adapter.ts";

export interface ClusterNode {
  /** Rejects with a reason when this node cannot reach Redis. */
  checkRedis(): Promise<void>;
  /** Closes the Redis connections (after the runtime and Socket.IO are closed). */
  close(): Promise<void>;
}

/**
 * Cluster mode (REDIS_URL with a PostgreSQL DATABASE_URL): Socket.IO's Redis adapter carries
 * broadcasts between nodes and BullMQ runs the workflow jobs. Called once by start-up, after
 * the socket server and workflow runtime exist and before recovery.
 */
export function startClusterNode(deps: { cluster: ClusterConfig; io: TabflowServer; workflows: WorkflowRuntime; store: Store; logger: Logger }): ClusterNode {
  const { cluster, logger } = deps;
  const adapter = attachRedisAdapter(deps.io, { redisUrl: cluster.redisUrl, prefix: cluster.prefix, logger });
  deps.workflows.useScheduler(createClusterRuns({ cluster, store: deps.store, logger }).scheduler);
  logger.info({ redis: describeRedis(cluster.redisUrl), prefix: cluster.prefix }, "cluster mode: Socket.IO Redis adapter and shared run queue");
  return {
    checkRedis: () => pingRedis(adapter.pub),
    close: () => adapter.close(),
  };
}
