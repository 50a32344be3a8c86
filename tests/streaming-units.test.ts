/**
 * The pure parts of the model agent and of streaming: the AGENT_* configuration, the live
 * "message" extraction from partial JSON, the model-answer parser, and the client's draft merge
 * (overlaps cut, gaps wait for a snapshot, ended drafts stay ended).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { applyDraftEvent, emptyDraftState, endDraftsOf, type DraftEvent } from "../lib/realtime/draft.ts";
import { describeAgent } from "../lib/workflows/agents/agent-config.ts";
import { parseModelReply } from "../lib/workflows/agents/openai-agent.ts";
import { partialStringField } from "../lib/workflows/agents/partial-json.ts";
import { createDefaultAgent } from "../lib/workflows/agent.ts";

describe("agent configuration", () => {
  it("uses the offline agent when nothing is set", () => {
    const c = loadConfig({});
    assert.deepEqual(c.agent, { kind: "offline" });
    assert.equal(createDefaultAgent(c.agent).label, "offline");
  });

  it("points at an OpenAI-compatible server with AGENT_MODEL (and a base URL or a key)", () => {
    const ollama = loadConfig({ AGENT_MODEL: "llama3.1", AGENT_BASE_URL: "http://localhost:11434/v1/" });
    assert.equal(ollama.agent.kind, "openai");
    assert.equal(ollama.agent.kind === "openai" && ollama.agent.baseURL, "http://localhost:11434/v1");
    assert.equal(describeAgent(ollama.agent), "llama3.1 via localhost:11434");
    const openai = loadConfig({ AGENT_MODEL: "gpt-4o-mini", AGENT_API_KEY: "sk-test", AGENT_TIMEOUT_MS: "5000" });
    assert.equal(createDefaultAgent(openai.agent).label, "gpt-4o-mini via api.openai.com");
    assert.equal(openai.agent.kind === "openai" && openai.agent.timeoutMs, 5000);
  });

  for (const [env, pattern] of [
    [{ AGENT_BASE_URL: "http://localhost:11434/v1" }, /^Invalid configuration: AGENT_MODEL is required/],
    [{ AGENT_MODEL: "gpt-4o-mini" }, /^Invalid configuration: AGENT_API_KEY is required for api\.openai\.com/],
    [{ AGENT_MODEL: "m", AGENT_BASE_URL: "localhost:11434" }, /^Invalid configuration: AGENT_BASE_URL must be an http/],
    [{ AGENT_MODEL: "m", AGENT_BASE_URL: "http://x", AGENT_TIMEOUT_MS: "soon" }, /^Invalid configuration: AGENT_TIMEOUT_MS must be a number/],
    [{ AGENT_MODEL: "m", AGENT_BASE_URL: "http://x", AGENT_RESPONSE_FORMAT: "xml" }, /^Invalid configuration: AGENT_RESPONSE_FORMAT must be one of/],
    [{ AGENT_MODEL: "m", AGENT_BASE_URL: "http://x", AGENT_MAX_RETRIES: "50" }, /^Invalid configuration: AGENT_MAX_RETRIES must be at most 10/],
  ] as const) {
    it(`refuses ${JSON.stringify(env)} in one line`, () => {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && pattern.test(err.message) && !err.message.includes("\n"));
    });
  }
});

describe("the live message of a streaming JSON answer", () => {
  it("grows as a prefix of the final message at every cut, escapes and emoji included", () => {
    const message = 'Here is "Recipe Box":\n\té, \\ and 😀 (\ud83d\ude00) done';
    const raw = JSON.stringify({ type: "spec", message, spec: { name: "x" } });
    const escaped = raw.replace("😀", "\\ud83d\\ude00"); // some servers escape non-ASCII
    for (const answer of [raw, escaped]) {
      let previous = "";
      for (let i = 0; i <= answer.length; i++) {
        const { text } = partialStringField(answer.slice(0, i), "message");
        assert.ok(text.startsWith(previous), `prefix-stable at ${i}`);
        assert.ok(text.isWellFormed(), `never half a character at ${i}`);
        previous = text;
      }
      assert.deepEqual(partialStringField(answer, "message"), { text: message, done: true });
    }
    assert.deepEqual(partialStringField('{"type":"spec"', "message"), { text: "", done: false });
  });
});

describe("parsing the model's answer", () => {
  const spec = { name: "A", summary: "", features: [], entities: [], pages: [] };
  it("accepts a spec or a question, code fences tolerated", () => {
    const r = parseModelReply("```json\n" + JSON.stringify({ type: "spec", message: "ok", spec }) + "\n```", null);
    assert.deepEqual(r, { ok: true, reply: { type: "spec", spec, message: "ok", changes: [] } });
    assert.deepEqual(parseModelReply(JSON.stringify({ type: "question", message: "What for?" }), null), { ok: true, reply: { type: "question", message: "What for?" } });
  });
  it("says what is wrong otherwise", () => {
    assert.match((parseModelReply("{nope", null) as { error: string }).error, /^not valid JSON/);
    assert.equal((parseModelReply("", null) as { error: string }).error, "an empty answer");
    assert.match((parseModelReply(JSON.stringify({ type: "spec", message: "x", spec: { ...spec, pages: [{ name: "P", path: "no-slash" }] } }), null) as { error: string }).error, /^spec\.pages\.0\.path: /);
    assert.match((parseModelReply(JSON.stringify({ type: "poem", message: "x" }), null) as { error: string }).error, /^type: /);
  });
});

describe("the client's copy of a streamed draft", () => {
  const d = (e: Partial<DraftEvent> & { type: DraftEvent["type"] }) => ({ sessionId: "s", draftId: "d1", ...e }) as DraftEvent;

  it("appends deltas in order and cuts an overlap instead of doubling it", () => {
    const s = emptyDraftState();
    assert.equal(applyDraftEvent(s, d({ type: "delta", offset: 0, text: "Hello" })), true);
    assert.equal(applyDraftEvent(s, d({ type: "delta", offset: 5, text: " wor" })), true);
    assert.equal(applyDraftEvent(s, d({ type: "delta", offset: 5, text: " wor" })), false, "a repeat changes nothing");
    assert.equal(applyDraftEvent(s, d({ type: "delta", offset: 7, text: "orld" })), true, "only the new tail of an overlap is added");
    assert.equal(s.draft?.text, "Hello world");
  });

  it("keeps deltas past a gap (or from a mid-stream start) until a snapshot reaches them", () => {
    const s = emptyDraftState();
    const text = (): string | undefined => (s as { draft?: { text: string } }).draft?.text;
    assert.equal(applyDraftEvent(s, d({ type: "delta", offset: 5, text: "fgh" })), false, "joined mid-stream: nothing to show yet");
    assert.equal(text(), undefined);
    applyDraftEvent(s, d({ type: "snapshot", text: "abc" }));
    assert.equal(text(), "abc", "still a gap (d, e) before the kept delta");
    applyDraftEvent(s, d({ type: "snapshot", text: "abcdef" }));
    assert.equal(text(), "abcdefgh", "the kept delta is spliced in, its overlap cut");
    assert.equal(applyDraftEvent(s, d({ type: "snapshot", text: "abcd" })), false, "an older snapshot never shortens the text");
    applyDraftEvent(s, d({ type: "delta", offset: 10, text: "k" }));
    applyDraftEvent(s, d({ type: "delta", offset: 8, text: "ij" }));
    assert.equal(text(), "abcdefghijk", "deltas out of order are put in order");
    assert.equal(s.ahead.length, 0);
  });

  it("a new draft replaces an old one; an ended draft ignores late events", () => {
    const s = emptyDraftState();
    applyDraftEvent(s, d({ type: "delta", offset: 0, text: "first try" }));
    applyDraftEvent(s, d({ type: "delta", draftId: "d2", offset: 0, text: "second" }));
    assert.deepEqual(s.draft, { draftId: "d2", text: "second" });
    assert.equal(endDraftsOf(s, [{ content: { text: "second, final", draftId: "d2" } }]), true);
    assert.equal(s.draft, undefined);
    assert.equal(applyDraftEvent(s, d({ type: "snapshot", draftId: "d2", text: "second" })), false, "a late snapshot of an ended draft");
    applyDraftEvent(s, d({ type: "end", draftId: "d3" }));
    assert.equal(applyDraftEvent(s, d({ type: "delta", draftId: "d3", offset: 0, text: "x" })), false);
  });
});
