/**
 * Which agent the Generator talks to, from the environment. Nothing set: the offline agent.
 * AGENT_MODEL set: any OpenAI-compatible chat-completions endpoint (AGENT_BASE_URL, default
 * OpenAI's; AGENT_API_KEY, required for OpenAI itself, optional for a local server).
 */
import { z } from "zod";

const ms = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

export const RESPONSE_FORMATS = ["json_object", "json_schema", "none"] as const;

export const agentEnv = {
  AGENT_BASE_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: "must be an http:// or https:// URL" }),
  AGENT_API_KEY: optionalText,
  AGENT_MODEL: optionalText.refine((v) => v === undefined || v.length <= 200, { message: "must be at most 200 characters" }),
  /** Longest one model request may take, first byte to last (ms). */
  AGENT_TIMEOUT_MS: ms(1000, 3_600_000).default(120_000),
  /** Longest silence inside a streamed answer (and before its first byte) before it counts as stalled. */
  AGENT_IDLE_TIMEOUT_MS: ms(100, 600_000).default(30_000),
  /** Further tries after a rate limit (429), a server error (5xx) or an invalid answer. */
  AGENT_MAX_RETRIES: ms(0, 10).default(2),
  /** How to ask for JSON: json_object (most servers), json_schema (strict servers, e.g. OpenAI, vLLM, llama.cpp), none. */
  AGENT_RESPONSE_FORMAT: z.enum(RESPONSE_FORMATS, { error: `must be one of ${RESPONSE_FORMATS.join(", ")}` }).default("json_object"),
};

export type AgentConfig =
  | { kind: "offline" }
  | {
      kind: "openai";
      baseURL: string;
      apiKey?: string;
      model: string;
      timeoutMs: number;
      idleTimeoutMs: number;
      maxRetries: number;
      responseFormat: (typeof RESPONSE_FORMATS)[number];
    };

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

type AgentEnv = { [K in keyof typeof agentEnv]: z.output<(typeof agentEnv)[K]> };

/** The agent config, or a one-line reason the combination is unusable. */
export function agentConfigFrom(e: AgentEnv): AgentConfig | string {
  if (!e.AGENT_MODEL) {
    if (e.AGENT_BASE_URL || e.AGENT_API_KEY) return "AGENT_MODEL is required when AGENT_BASE_URL or AGENT_API_KEY is set (leave all three unset for the offline agent)";
    return { kind: "offline" };
  }
  const baseURL = (e.AGENT_BASE_URL ?? OPENAI_BASE_URL).replace(/\/+$/, "");
  if (baseURL === OPENAI_BASE_URL && !e.AGENT_API_KEY) return "AGENT_API_KEY is required for api.openai.com (set AGENT_BASE_URL for a local server that needs no key)";
  return {
    kind: "openai",
    baseURL,
    apiKey: e.AGENT_API_KEY,
    model: e.AGENT_MODEL,
    timeoutMs: e.AGENT_TIMEOUT_MS,
    idleTimeoutMs: e.AGENT_IDLE_TIMEOUT_MS,
    maxRetries: e.AGENT_MAX_RETRIES,
    responseFormat: e.AGENT_RESPONSE_FORMAT,
  };
}

/** "gpt-4o-mini via api.openai.com", "llama3.1 via localhost:11434": what the UI shows. */
export function describeAgent(config: AgentConfig): string {
  if (config.kind === "offline") return "offline";
  let host = config.baseURL;
  try {
    host = new URL(config.baseURL).host;
  } catch {
    // keep the raw value
  }
  return `${config.model} via ${host}`;
}
