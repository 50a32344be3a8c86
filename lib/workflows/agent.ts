import { createOfflineAgent } from "./agents/offline-agent.ts";
import type { SpecAgent } from "./agents/types.ts";

/**
 * The agent behind the Generator. The deterministic offline agent is the default (no network,
 * no keys); a model-backed agent plugs in here behind the same SpecAgent interface.
 */
export function createDefaultAgent(): SpecAgent {
  return createOfflineAgent();
}
