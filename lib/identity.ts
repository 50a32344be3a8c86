import type { Scope } from "./store/index.ts";

/**
 * The single local user of a fresh install. Until accounts exist, every request acts as
 * this scope; the realtime layer carries it in a server-signed token rather than trusting
 * anything a client sends.
 */
export const LOCAL_SCOPE: Scope = Object.freeze({ enterpriseId: "default", appId: "default", userId: "local" });
