import { isTabflowError } from "./errors.ts";
import type { Store } from "./store/index.ts";

type Check = "ok" | "unreachable";
export interface Health {
  httpStatus: 200 | 503;
  /** `redis` is reported in cluster mode only. */
  body: { status: "ok"; db: "ok"; redis?: "ok" } | { status: "unavailable"; db: Check; redis?: Check; reason: string };
}

/**
 * The health check: the database answers a trivial query within a bounded time, and in
 * cluster mode Redis answers PING (a node without Redis cannot reach clients on other nodes).
 */
export async function checkHealth(store: Pick<Store, "ping">, cluster?: { checkRedis(): Promise<void> }): Promise<Health> {
  const [db, redis] = await Promise.all([
    store.ping().then(
      () => undefined,
      (err: unknown) => (isTabflowError(err) ? err.message : "the database check failed"),
    ),
    cluster?.checkRedis().then(
      () => undefined,
      (err: unknown) => `Redis is unreachable: ${(err as Error).message}`,
    ),
  ]);
  const redisField = cluster ? { redis: (redis === undefined ? "ok" : "unreachable") as Check } : {};
  if (db === undefined && redis === undefined) return { httpStatus: 200, body: { status: "ok", db: "ok", ...(cluster ? { redis: "ok" as const } : {}) } };
  return { httpStatus: 503, body: { status: "unavailable", db: db === undefined ? "ok" : "unreachable", ...redisField, reason: (db ?? redis)! } };
}
