/**
 * A spec agent backed by any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM,
 * llama.cpp, a gateway), through the official `openai` client. It streams the answer, shows
 * the reply's "message" field live (progress.text), and validates the JSON it gets with the
 * same zod schema the store uses for the App spec.
 *
 * Failures are bounded and say why: a rate limit (429, honouring retry-after) or a server error
 * is retried up to maxRetries times, visibly (progress.retrying); so is an answer that is not a
 * valid spec (the model is told what was wrong). A request that takes longer than timeoutMs,
 * or sends nothing for idleTimeoutMs, is aborted. Network errors and other refusals fail at
 * once. The caller's signal (Stop) aborts the request in flight: its connection is closed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { z } from "zod";
import { appSpecState, type AppSpec } from "../../artifacts/schemas.ts";
import { describeAgent, type AgentConfig } from "./agent-config.ts";
import { diffSpecs } from "./offline/diff.ts";
import { partialStringField } from "./partial-json.ts";
import { AgentFailure, type AgentProgress, type AgentTurn, type SpecAgent, type SpecReply } from "./types.ts";

export type OpenAIAgentConfig = Extract<AgentConfig, { kind: "openai" }>;

/** Longest retry-after honoured; a model asking for a longer wait fails the run instead. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Largest answer accepted (a spec is a few KB). */
const MAX_ANSWER_CHARS = 200_000;

const message = z.string().trim().min(1).max(4000);
export const modelReplySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("question"), message }),
  z.object({
    type: z.literal("spec"),
    message,
    spec: appSpecState,
    changes: z.array(z.string().trim().min(1).max(300)).max(50).optional(),
  }),
]);

const SCHEMA_TEXT = JSON.stringify(z.toJSONSchema(modelReplySchema, { io: "input", unrepresentable: "any" }));

function systemPrompt(current: AppSpec | null): string {
  return [
    "You are the spec writer of Tabflow: you turn a conversation about an app into an app spec.",
    "Answer with exactly one JSON object and nothing else (no prose, no code fences), matching this JSON Schema:",
    SCHEMA_TEXT,
    'Write the keys in this order: "type", then "message", then "spec" and "changes".',
    '"message" is a short, friendly chat reply to the user (one to three sentences) saying what you did.',
    'type "spec": "spec" is the complete spec (every field, unchanged ones too); "changes" lists briefly what differs from the current spec (empty for a first spec).',
    'type "question": when the request is too unclear to write or change a spec, ask one clarifying question in "message".',
    "Entity names are PascalCase, field names are identifiers (camelCase), page paths are lower-case and start with /. " +
      'A field of type "reference" names the entity it points at in "references"; "cardinality" is "many-to-one" (the default) or "many-to-many". ' +
      'Many-to-many links between two entities go through a join entity ("who scored in each match" → Goal with references to Player and Match).',
    'Type fields as a data modeller would (spec schema v2): a status or any fixed set of choices is "enum" with "values" (lower-case slugs, e.g. "paid or unpaid" → ["unpaid","paid"]; ' +
      '"approve or reject" → ["pending","approved","rejected"]); prices and amounts are "money" (with "currency", an ISO 4217 code, only when the user states one); ' +
      'quantities with a unit are "decimal" with "unit" ("km", "kg"); counts are "integer"; phone numbers "phone"; photos "image"; links "url"; days "date", moments "datetime", times of day "time". ' +
      'When people have roles (coach/player, manager/employee, owner/renter), put a "role" enum on the user-like entity instead of one entity per role. ' +
      'Entities and fields may carry a human "label" (entities also "pluralLabel") when the name alone reads badly.',
    current ? `The current spec (change it as the user asks; keep what they did not mention):\n${JSON.stringify(current)}` : "There is no spec yet.",
  ].join("\n\n");
}

type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

function chatMessages(conversation: AgentTurn[], current: AppSpec | null): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt(current) },
    ...conversation.map((t): ChatMessage => ({ role: t.role === "agent" ? "assistant" : "user", content: t.text })),
  ];
}

/** The model's text as a reply, or why it is not one (said back to the model on a retry). */
export function parseModelReply(raw: string, current: AppSpec | null): { ok: true; reply: SpecReply } | { ok: false; error: string } {
  const text = raw.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: text ? `not valid JSON (${(err as Error).message})` : "an empty answer" };
  }
  const parsed = modelReplySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.length ? issue.path.join(".") : "the answer"}: ${issue.message}` };
  }
  const r = parsed.data;
  if (r.type === "question") return { ok: true, reply: { type: "question", message: r.message } };
  const changes = r.changes ?? (current ? diffSpecs(current, r.spec, { entities: new Map(), fields: new Map() }) : []);
  return { ok: true, reply: { type: "spec", spec: r.spec, message: r.message, changes } };
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers?.get("retry-after");
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Number(after) * 1000;
  const at = Date.parse(after);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error("The operation was aborted");
  err.name = "AbortError";
  return err;
}

export function createOpenAIAgent(config: OpenAIAgentConfig): SpecAgent {
  const client = new OpenAI({
    baseURL: config.baseURL,
    // Local servers (Ollama, llama.cpp) take any key; the client insists on one.
    apiKey: config.apiKey ?? "unused",
    maxRetries: 0, // retries are ours: visible in the chat and bounded by AGENT_MAX_RETRIES
    timeout: config.timeoutMs,
  });
  const host = describeAgent(config).split(" via ").at(-1)!;
  const responseFormat =
    config.responseFormat === "json_object"
      ? { response_format: { type: "json_object" as const } }
      : config.responseFormat === "json_schema"
        ? { response_format: { type: "json_schema" as const, json_schema: { name: "tabflow_spec_reply", schema: JSON.parse(SCHEMA_TEXT) as Record<string, unknown>, strict: false } } }
        : {};

  /** One streamed request; resolves with the whole answer text. */
  async function streamOnce(messages: ChatMessage[], signal: AbortSignal | undefined, progress: AgentProgress | undefined): Promise<string> {
    const controller = new AbortController();
    let failure: AgentFailure | undefined;
    const fail = (f: AgentFailure) => {
      failure ??= f;
      controller.abort(f);
    };
    const onAbort = () => controller.abort(signal!.reason);
    if (signal?.aborted) throw abortReason(signal);
    signal?.addEventListener("abort", onAbort, { once: true });
    const total = setTimeout(() => fail(new AgentFailure("timeout", `the model did not finish its answer within ${seconds(config.timeoutMs)}`)), config.timeoutMs);
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (what: string) => {
      clearTimeout(idle);
      idle = setTimeout(() => fail(new AgentFailure("stalled", `the model ${what} for ${seconds(config.idleTimeoutMs)} (stalled)`)), config.idleTimeoutMs);
    };
    armIdle("did not start answering");
    try {
      const stream = await client.chat.completions.create({ model: config.model, messages, stream: true, ...responseFormat }, { signal: controller.signal });
      let raw = "";
      let shown = "";
      let messageDone = false;
      for await (const chunk of stream) {
        armIdle("sent nothing more");
        const delta = chunk.choices[0]?.delta?.content;
        if (!delta) continue;
        raw += delta;
        if (raw.length > MAX_ANSWER_CHARS) throw new AgentFailure("invalid_output", `the model's answer was longer than ${MAX_ANSWER_CHARS} characters`);
        if (!messageDone) {
          const visible = partialStringField(raw, "message");
          messageDone = visible.done;
          if (visible.text.length > shown.length) {
            progress?.text?.(visible.text.slice(shown.length));
            shown = visible.text;
          }
        }
      }
      // An aborted stream can simply end (the SDK stops iterating): never take it as an answer.
      if (signal?.aborted) throw abortReason(signal);
      if (failure) throw failure;
      if (controller.signal.aborted) throw new AgentFailure("network", "the request to the model was aborted");
      return raw;
    } catch (err) {
      if (signal?.aborted) throw abortReason(signal);
      if (failure) throw failure;
      throw err;
    } finally {
      clearTimeout(total);
      clearTimeout(idle);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** What went wrong, and how long to wait before a retry if one makes sense. */
  function classify(err: unknown, attempt: number): { failure: AgentFailure; retryInMs?: number } {
    if (err instanceof AgentFailure) return { failure: err };
    if (err instanceof APIConnectionTimeoutError) return { failure: new AgentFailure("timeout", `the model did not answer within ${seconds(config.timeoutMs)}`) };
    if (err instanceof APIUserAbortError) return { failure: new AgentFailure("network", "the request to the model was aborted") };
    if (err instanceof APIConnectionError) {
      const cause = (err.cause as Error | undefined)?.message;
      return { failure: new AgentFailure("network", `could not reach the model at ${host}${cause ? ` (${cause})` : ""}`) };
    }
    if (err instanceof APIError && err.status !== undefined) {
      const detail = err.message.replace(/^\d{3}\s*/, "").slice(0, 300);
      if (err.status === 429) {
        const wait = retryAfterMs(err.headers) ?? 1000 * 2 ** (attempt - 1);
        const failure = new AgentFailure("rate_limited", `the model is rate-limited (429)${detail ? `: ${detail}` : ""}`);
        if (wait > MAX_RETRY_AFTER_MS) return { failure: new AgentFailure("rate_limited", `the model is rate-limited and asks to wait ${seconds(wait)}, longer than Tabflow waits`) };
        return { failure, retryInMs: wait };
      }
      if (err.status >= 500) {
        const wait = Math.min(retryAfterMs(err.headers) ?? 1000 * 2 ** (attempt - 1), MAX_RETRY_AFTER_MS);
        return { failure: new AgentFailure("http", `the model server failed (${err.status})${detail ? `: ${detail}` : ""}`), retryInMs: wait };
      }
      const hint = err.status === 401 || err.status === 403 ? " (check AGENT_API_KEY)" : err.status === 404 ? " (check AGENT_MODEL and AGENT_BASE_URL)" : "";
      return { failure: new AgentFailure("http", `the model server refused the request (${err.status})${hint}${detail ? `: ${detail}` : ""}`) };
    }
    return { failure: new AgentFailure("network", `the connection to the model failed (${(err as Error)?.message ?? String(err)})`) };
  }

  return {
    name: "openai",
    label: describeAgent(config),
    async proposeSpec({ conversation, current, signal, progress }) {
      const messages = chatMessages(conversation, current);
      const maxAttempts = config.maxRetries + 1;
      for (let attempt = 1; ; attempt++) {
        let raw: string;
        try {
          raw = await streamOnce(messages, signal, progress);
        } catch (err) {
          if (signal?.aborted) throw abortReason(signal);
          await progress?.discard?.();
          const { failure, retryInMs } = classify(err, attempt);
          if (retryInMs === undefined || attempt >= maxAttempts) throw failure;
          await progress?.retrying?.({ reason: failure.message, delayMs: retryInMs, attempt: attempt + 1, maxAttempts });
          await sleep(retryInMs, undefined, { signal }).catch(() => {
            throw abortReason(signal!);
          });
          continue;
        }
        const parsed = parseModelReply(raw, current);
        if (parsed.ok) return parsed.reply;
        await progress?.discard?.();
        const reason = `the model's answer was not a valid spec (${parsed.error})`;
        if (attempt >= maxAttempts) {
          throw new AgentFailure("invalid_output", `${reason.replace("answer was", `answer was still`)} after ${maxAttempts} ${maxAttempts === 1 ? "try" : "tries"}`);
        }
        await progress?.retrying?.({ reason, delayMs: 0, attempt: attempt + 1, maxAttempts });
        messages.push(
          { role: "assistant", content: raw.slice(0, 8000) },
          { role: "user", content: `That answer was not valid: ${parsed.error}. Answer again with only the JSON object the instructions describe.` },
        );
      }
    },
  };
}
