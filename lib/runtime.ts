import type { Identity, TabflowAuth } from "./auth/auth.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { Store } from "./store/index.ts";
import type { PreviewManager } from "./workflows/build/preview-manager.ts";
import type { WorkflowRuntime } from "./workflows/runtime.ts";

/**
 * What server.ts opened, made reachable from Next's route handlers and pages. Next bundles
 * its own copy of every module a route imports, so a module-level singleton would exist
 * twice; a well-known key on globalThis is shared by both copies.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  workflows: WorkflowRuntime;
  /** Live previews of built apps (this process only). */
  previews: PreviewManager;
  /** Set in cluster mode (REDIS_URL). */
  cluster?: { checkRedis(): Promise<void> };
  /** Better Auth (accounts). */
  auth: TabflowAuth;
  /** Who sent these request headers (their session cookie), or null when signed out. */
  identify(headers: Headers): Promise<Identity | null>;
}

const KEY = Symbol.for("tabflow.runtime");
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) {
    throw new Error("Tabflow's runtime is not initialised: start the app through server.ts (npm start or npm run dev)");
  }
  return runtime;
}
