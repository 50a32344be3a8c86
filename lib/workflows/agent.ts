import { type AgentConfig } from "./agents/agent-config.ts";
import { createOfflineAgent } from "./agents/offline-agent.ts";
import { createOpenAIAgent } from "./agents/openai-agent.ts";
import type { SpecAgent } from "./agents/types.ts";

/**
 * The agent behind the Generator. The deterministic offline agent is the default (no network,
 * no keys); AGENT_MODEL (with AGENT_BASE_URL / AGENT_API_KEY) selects an OpenAI-compatible model.
 */
export function createDefaultAgent(config: AgentConfig = { kind: "offline" }): SpecAgent {
  return config.kind === "openai" ? createOpenAIAgent(config) : createOfflineAgent();
}
