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

/** What a streaming agent reports while it works (all optional; the offline agent reports nothing). */
export interface AgentProgress {
  /** Reply text as it streams in (the chat shows it live). */
  text?(delta: string): void;
  /** The current answer is void (it will be retried): text streamed so far is to be dropped. */
  discard?(): Promise<void>;
  /** Waiting before another try (rate limited, invalid output…): shown in the chat and the tab. */
  retrying?(info: { reason: string; delayMs: number; attempt: number; maxAttempts: number }): Promise<void>;
}

export interface SpecAgent {
  readonly name: string;
  /** What the UI shows: "offline", or "gpt-4o-mini via api.openai.com". */
  readonly label: string;
  proposeSpec(input: { conversation: AgentTurn[]; current: AppSpec | null; signal?: AbortSignal; progress?: AgentProgress }): Promise<SpecReply>;
}

export type AgentFailureKind = "timeout" | "stalled" | "rate_limited" | "network" | "http" | "invalid_output";

/** The model could not give an answer; `message` is said in the chat and kept as the run's error. */
export class AgentFailure extends Error {
  constructor(
    readonly kind: AgentFailureKind,
    message: string,
  ) {
    super(message);
    this.name = "AgentFailure";
  }
}
