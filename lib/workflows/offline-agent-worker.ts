/**
 * Worker-thread entry of the offline agent pool (offline-agent-pool.ts): the agent's text
 * analysis is CPU work (~1 ms per 100 characters), so it runs here, off the server's event loop.
 */
import { createOfflineAgent } from "./agents/offline-agent.ts";
import type { AgentTurn } from "./agents/types.ts";
import type { AppSpec } from "../artifacts/schemas.ts";

const agent = createOfflineAgent();

export default function propose(input: { conversation: AgentTurn[]; current: AppSpec | null }) {
  return agent.proposeSpec({ conversation: input.conversation, current: input.current });
}
