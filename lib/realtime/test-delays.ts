/**
 * Test fixture: holds back the answers to session:create and session:join, so end-to-end
 * tests can type while a session is still starting or being joined (the input-loss bug).
 * Reached only through Config.testDelays, which loadConfig sets only with TABFLOW_TEST_FIXTURES=1.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { TestDelays } from "../config.ts";
import type { Handler, Handlers } from "./server-types.ts";

function delayed<H extends Handler<never>>(handler: H, ms: number): H {
  if (ms <= 0) return handler;
  return (async (payload: never, ctx: never) => {
    await sleep(ms);
    return handler(payload, ctx);
  }) as unknown as H;
}

export function withTestDelays<T extends Handlers>(handlers: T, delays: TestDelays): T {
  const out = { ...handlers };
  if (out["session:create"]) out["session:create"] = delayed(out["session:create"] as Handler<never>, delays.sessionCreateMs) as never;
  if (out["session:join"]) out["session:join"] = delayed(out["session:join"] as Handler<never>, delays.sessionJoinMs) as never;
  return out;
}
