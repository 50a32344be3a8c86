import type { AppSpec } from "../../artifacts/schemas.ts";

export interface AgentTurn {
  role: "user" | "agent";
  text: string;
}

export type SpecReply =
  /** message: a short chat reply; changes: what differs from `current` (empty for a first spec). */
  | { type: "spec"; spec: AppSpec; message: string; changes: string[] }
  /** Asked when the input is too unclear to build (or change) a spec. */
  | { type: "question"; message: string };

export interface SpecAgent {
  readonly name: string;
  proposeSpec(input: { conversation: AgentTurn[]; current: AppSpec | null; signal?: AbortSignal }): Promise<SpecReply>;
}
