import { isTabflowError } from "./errors.ts";
import type { Store } from "./store/index.ts";

export interface Health {
  httpStatus: 200 | 503;
  body: { status: "ok"; db: "ok" } | { status: "unavailable"; db: "unreachable"; reason: string };
}

/** The health check: the database answers a trivial query within a bounded time. */
export async function checkHealth(store: Pick<Store, "ping">): Promise<Health> {
  try {
    await store.ping();
    return { httpStatus: 200, body: { status: "ok", db: "ok" } };
  } catch (err) {
    const reason = isTabflowError(err) ? err.message : "the database check failed";
    return { httpStatus: 503, body: { status: "unavailable", db: "unreachable", reason } };
  }
}
