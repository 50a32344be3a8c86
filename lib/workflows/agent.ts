import { type AgentConfig } from "./agents/agent-config.ts";
import { createOfflineAgent } from "./agents/offline-agent.ts";
import { createOpenAIAgent } from "./agents/openai-agent.ts";
import type { SpecAgent } from "./agents/types.ts";
import { createPooledOfflineAgent } from "./offline-agent-pool.ts";

/**
 * The agent behind the Generator. The deterministic offline agent is the default (no network,
 * no keys); AGENT_MODEL (with AGENT_BASE_URL / AGENT_API_KEY) selects an OpenAI-compatible model.
 */
export function createDefaultAgent(config: AgentConfig = { kind: "offline" }): SpecAgent {
  return config.kind === "openai" ? createOpenAIAgent(config) : createOfflineAgent();
}

/**
 * The server's agent: as createDefaultAgent, with the offline agent on `workers` worker threads
 * (0: on the event loop). close() gives the threads back at shutdown.
 */
export function createServerAgent(config: AgentConfig, workers: number): SpecAgent & { close(): Promise<void> } {
  if (config.kind === "openai") return Object.assign(createOpenAIAgent(config), { close: async () => {} });
  return createPooledOfflineAgent(workers);
}
