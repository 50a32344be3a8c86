/**
 * The OpenAI-compatible agent against a local fake model server (tests/fixtures/fake-openai.ts),
 * through the real workflow runtime and Socket.IO server: structured output becomes the App
 * spec; the reply streams live and a client joining mid-stream sees the text so far and then
 * the tail, nothing doubled; Stop closes the request; a 429 is retried after its retry-after;
 * a stall times out visibly; invalid answers are retried, then reported, and the spec keeps its
 * last valid version; the database is written per flush, not per token.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import pino from "pino";
import type { AppSpec } from "../lib/artifacts/schemas.ts";
import { createTabflowClient, type TabflowSocket } from "../lib/realtime/client.ts";
import type { DraftEvent, MessageDto, SessionSummary } from "../lib/realtime/protocol.ts";
import { workflowsOf } from "../lib/realtime/socket-server.ts";
import type { Scope } from "../lib/store/index.ts";
import { createOpenAIAgent, type OpenAIAgentConfig } from "../lib/workflows/agents/openai-agent.ts";
import type { SpecAgent } from "../lib/workflows/agents/types.ts";
import { createWorkflowRuntime, type WorkflowRuntime } from "../lib/workflows/runtime.ts";
import { gate, startFakeOpenAI, streamJson, split, type FakeOpenAI } from "./fixtures/fake-openai.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";
import { ok, record, startRealtimeServer, TEST_SECRET, waitForState, withTimeout, type RealtimeHarness } from "./helpers/realtime.ts";
import { verifyIdentityToken } from "./helpers/test-identity-token.ts";

const SPEC: AppSpec = {
  name: "Recipe Box",
  summary: "Share recipes and comment on them.",
  features: ["Post recipes", "Comment on recipes"],
  entities: [
    { name: "Recipe", fields: [{ name: "title", type: "string", required: true }, { name: "steps", type: "text", required: true }] },
    { name: "Comment", fields: [{ name: "body", type: "text", required: true }, { name: "recipe", type: "reference", references: "Recipe", required: true }] },
  ],
  pages: [{ name: "Recipes", path: "/recipes", entity: "Recipe" }],
};
const SPEC_V2: AppSpec = { ...SPEC, features: [...SPEC.features, "Rate recipes"] };
const MESSAGE = "Here is Recipe Box: recipes and their comments, with a list page. Tell me what to change!";

function agentConfig(fake: FakeOpenAI, overrides: Partial<OpenAIAgentConfig> = {}): OpenAIAgentConfig {
  return { kind: "openai", baseURL: fake.baseURL, model: "fake-model", apiKey: "test-key", timeoutMs: 20_000, idleTimeoutMs: 15_000, maxRetries: 2, responseFormat: "json_object", ...overrides };
}

for (const provider of PROVIDERS) {
  describe(`OpenAI-compatible agent on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    let h: RealtimeHarness;
    let fake: FakeOpenAI;
    let runtime: WorkflowRuntime;
    let dataDir: string;
    /** Tests swap the model behind the runtime (e.g. a short stall timeout); the label stays. */
    let agent: SpecAgent;
    const flush = { ms: 50, chars: 10_000 };
    let users = 0;
    const newUser = (): Scope => ({ enterpriseId: "acme", appId: "app", userId: `agent-user-${++users}` });

    before(async () => {
      t = await createTestDatabase(provider);
      fake = await startFakeOpenAI();
      agent = createOpenAIAgent(agentConfig(fake));
      dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-agent-"));
      const delegate: SpecAgent = { name: "openai", label: agent.label, proposeSpec: (input) => agent.proposeSpec(input) };
      h = await startRealtimeServer(t.store, {
        workflows: (publisher) =>
          createWorkflowRuntime({ store: t.store, publisher, logger: pino({ level: "silent" }), agent: delegate, dataDir, buildPaceMs: 0, draftFlush: flush }),
      });
      runtime = workflowsOf(h.io)!;
    });
    afterEach(() => {
      agent = createOpenAIAgent(agentConfig(fake));
      Object.assign(flush, { ms: 50, chars: 10_000 });
      assert.equal(fake.pending(), 0, "every scripted answer was used");
    });
    after(async () => {
      await runtime?.close();
      await h?.close();
      await fake?.close();
      await t?.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function generator(socket: TabflowSocket) {
      const gen = await ok(socket, "session:create", { workflowName: "generator" });
      const joined = await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      return { gen, joined };
    }

    async function untilRun(socket: TabflowSocket, id: string, predicate: (s: SessionSummary) => boolean, what: string) {
      const updates = record(socket, "session:updated");
      const now = (await ok(socket, "session:list", {})).find((s) => s.id === id);
      if (now && predicate(now)) return now;
      return (await updates.until((u) => u.some((s) => s.id === id && predicate(s)), what)).filter((s) => s.id === id && predicate(s)).at(-1)!;
    }

    async function messagesOf(socket: TabflowSocket, sessionId: string): Promise<MessageDto[]> {
      return (await ok(socket, "message:list", { sessionId, afterSeq: 0, limit: 500 })).messages;
    }

    it("turns the model's streamed structured output into the App spec, and says which agent it is", async () => {
      const socket = await h.connect(newUser());
      const { gen, joined } = await generator(socket);
      assert.equal(joined.agent, `fake-model via ${fake.host}`);
      assert.equal(joined.draft, null);
      fake.enqueue(streamJson({ type: "spec", message: MESSAGE, spec: SPEC, changes: [] }));
      const drafts = record(socket, "message:draft");
      const artifacts = record(socket, "artifact:updated");
      const before = fake.requests.length;
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "first", text: "A recipe sharing app with comments" });
      const [update] = await artifacts.until((a) => a.length > 0, "the app spec");
      assert.equal(update!.artifact.type, "app_spec");
      assert.deepEqual(update!.artifact.state, SPEC);
      await runtime.whenIdle(gen.id);

      // What the model was asked: a streamed JSON answer, the conversation, the schema.
      const request = fake.requests[before]!;
      assert.equal(request.body.model, "fake-model");
      assert.equal(request.body.stream, true);
      assert.deepEqual(request.body.response_format, { type: "json_object" });
      assert.equal(request.headers.authorization, "Bearer test-key");
      assert.match(request.body.messages![0]!.content, /JSON Schema/);
      assert.deepEqual(request.body.messages!.at(-1), { role: "user", content: "A recipe sharing app with comments" });

      // The reply's text arrived live, piece by piece, as deltas of one draft, then ended.
      const deltas = drafts.items.filter((d): d is Extract<DraftEvent, { type: "delta" }> => d.type === "delta");
      assert.ok(deltas.length > 5, `the reply streamed in pieces (${deltas.length} deltas)`);
      assert.equal(deltas.map((d) => d.text).join(""), MESSAGE);
      const draftId = deltas[0]!.draftId;
      assert.ok(drafts.items.some((d) => d.type === "end" && d.draftId === draftId));
      const final = (await messagesOf(socket, gen.id)).at(-1)!;
      assert.equal(final.role, "agent");
      assert.equal(final.content.text, MESSAGE);
      assert.equal(final.content.draftId, draftId);
      assert.equal(await t.store.getDraft(newUserScope(socket), gen.id), null, "the draft row went with the final message");
      const session = (await ok(socket, "session:list", {})).find((s) => s.id === gen.id)!;
      assert.equal(session.title, "Recipe Box");
      assert.equal(session.run.state, "idle", "a spec waits for nobody");
    });

    it("a client joining mid-stream sees the text so far, then the live tail, with nothing doubled", async () => {
      const scope = newUser();
      const author = await h.connect(scope);
      const { gen } = await generator(author);
      const answer = JSON.stringify({ type: "spec", message: MESSAGE, spec: SPEC });
      const pieces = split(answer, 4);
      // Pause the model once a good part of the message is out (the message comes first).
      const cut = Math.floor((answer.indexOf(MESSAGE) + MESSAGE.length / 2) / 4);
      const pause = gate();
      fake.enqueue({ kind: "stream", pieces, pause: { before: cut, gate: pause } });
      const shownBefore = JSON.parse(`"${pieces.slice(0, cut).join("").split('"message":"')[1]}"`) as string;
      const snapshots = record(author, "message:draft");
      await ok(author, "message:send", { sessionId: gen.id, clientMessageId: "m1", text: "recipes please" });
      await withTimeout(pause.reached, "the model to pause mid-stream");
      // Wait until the text so far is flushed (the snapshot broadcast follows the write).
      await snapshots.until((items) => items.some((d) => d.type === "snapshot" && d.text === shownBefore), "the draft to be flushed");

      const late = await h.connect(scope);
      const client = createTabflowClient(late);
      const seen: string[] = [];
      client.subscribe((s) => {
        const text = s.current?.draft?.text;
        if (text !== undefined && text !== seen.at(-1)) seen.push(text);
      });
      await client.show(gen.id);
      assert.equal(client.getState().current?.draft?.text, shownBefore, "the join returned the text so far");

      pause.open();
      const done = await waitForState(client, (s) => s.current?.messages.at(-1)?.content.text === MESSAGE, "the final message");
      assert.equal(done.current?.draft, undefined, "the draft gave way to the message");
      assert.equal(seen[0], shownBefore);
      assert.equal(seen.at(-1), MESSAGE, "the live tail reached the client");
      for (const text of seen) assert.ok(MESSAGE.startsWith(text), `never doubled or garbled: ${JSON.stringify(text)}`);
      assert.equal(done.current?.messages.filter((m) => m.content.text === MESSAGE).length, 1);
      client.dispose();
      await runtime.whenIdle(gen.id);
    });

    it("a session completed while its reply streams keeps no draft behind", async () => {
      const scope = newUser();
      const socket = await h.connect(scope);
      const { gen } = await generator(socket);
      const pause = gate();
      fake.enqueue({ kind: "stream", pieces: split(JSON.stringify({ type: "spec", message: MESSAGE, spec: SPEC }), 4), pause: { before: 12, gate: pause } });
      const drafts = record(socket, "message:draft");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "c1", text: "recipes" });
      await withTimeout(pause.reached, "the model to pause");
      await drafts.until((d) => d.some((x) => x.type === "snapshot"), "a flushed draft");
      assert.notEqual(await t.store.getDraft(scope, gen.id), null);
      await ok(socket, "session:complete", { sessionId: gen.id });
      pause.open();
      await withTimeout(runtime.whenIdle(gen.id), "the turn to end");
      assert.equal(await t.store.getDraft(scope, gen.id), null);
      await drafts.until((d) => d.some((x) => x.type === "end"), "viewers to be told the draft ended");
    });

    it("Stop cancels the request in flight: the model's connection is closed and the run is stopped", async () => {
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      fake.enqueue({ kind: "stall", pieces: split(`{"type":"spec","message":"Working on it`, 5) });
      const drafts = record(socket, "message:draft");
      const before = fake.requests.length;
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "s1", text: "an app" });
      await drafts.until((d) => d.some((x) => x.type === "delta"), "the reply to start streaming");
      const stopped = await ok(socket, "run:stop", { sessionId: gen.id });
      assert.equal(stopped.run.state, "stopped");
      const request = fake.requests[before]!;
      await withTimeout(request.closed, "the model connection to close");
      assert.equal(request.abortedByClient, true);
      await withTimeout(runtime.whenIdle(gen.id), "the turn to end");
      const last = (await messagesOf(socket, gen.id)).at(-1)!;
      assert.match(String(last.content.text), /^Stopped by you/);
      await drafts.until((d) => d.some((x) => x.type === "end"), "the draft to end");
      const again = await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      assert.equal(again.draft, null, "no draft is left behind");
      assert.equal(again.artifacts.length, 0);
      assert.equal(again.session.run.state, "stopped");
    });

    it("retries a 429 after its retry-after, visibly, then succeeds", async () => {
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      fake.enqueue(
        { kind: "error", status: 429, headers: { "retry-after": "1" }, body: { error: { message: "Rate limit reached", type: "requests" } } },
        streamJson({ type: "spec", message: MESSAGE, spec: SPEC }),
      );
      const steps = record(socket, "session:updated");
      const artifacts = record(socket, "artifact:updated");
      const before = fake.requests.length;
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "r1", text: "recipes" });
      await artifacts.until((a) => a.length > 0, "the spec after the retry");
      await runtime.whenIdle(gen.id);
      const [first, second] = fake.requests.slice(before);
      assert.ok(second, "the request was sent again");
      assert.ok(second.receivedAt - first!.receivedAt >= 950, `waited for retry-after (${second.receivedAt - first!.receivedAt} ms)`);
      assert.ok(steps.items.some((s) => s.id === gen.id && s.run.step === "retrying in 1s (try 2 of 3)"), "the tab showed the retry");
      const texts = (await messagesOf(socket, gen.id)).map((m) => String(m.content.text));
      assert.ok(texts.some((x) => /^The model is rate-limited \(429\).*retrying in 1s \(try 2 of 3\)\.$/.test(x)), texts.join(" | "));
      assert.equal(texts.at(-1), MESSAGE);
    });

    it("a rate limit asking for a longer wait than Tabflow allows fails at once; a 5xx is retried", async () => {
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      fake.enqueue({ kind: "error", status: 429, headers: { "retry-after": "600" } });
      const before = fake.requests.length;
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "l1", text: "recipes" });
      const failed = await untilRun(socket, gen.id, (s) => s.run.state === "failed", "the run to fail");
      assert.equal(failed.run.error, "the model is rate-limited and asks to wait 600 s, longer than Tabflow waits");
      await runtime.whenIdle(gen.id);
      assert.equal(fake.requests.length, before + 1);

      fake.enqueue({ kind: "error", status: 503, headers: { "retry-after-ms": "10" }, body: { error: { message: "overloaded" } } }, streamJson({ type: "question", message: "Who uses it?" }));
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "l2", text: "an app" });
      await untilRun(socket, gen.id, (s) => s.run.state === "waiting_input", "the question after the retry");
      await runtime.whenIdle(gen.id);
      const texts = (await messagesOf(socket, gen.id)).map((m) => String(m.content.text));
      assert.deepEqual(texts.slice(-2), ["The model server failed (503): overloaded; retrying in 1s (try 2 of 3).", "Who uses it?"]);
    });

    it("a model that stalls mid-answer times out visibly: failed run, reason in the chat, connection closed", async () => {
      agent = createOpenAIAgent(agentConfig(fake, { idleTimeoutMs: 300 }));
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      fake.enqueue({ kind: "stall", pieces: split(`{"type":"spec","message":"Let me think`, 4) });
      const before = fake.requests.length;
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "st1", text: "an app" });
      const failed = await untilRun(socket, gen.id, (s) => s.run.state === "failed", "the run to fail");
      assert.equal(failed.run.error, "the model sent nothing more for 0.3 s (stalled)");
      await runtime.whenIdle(gen.id);
      const last = (await messagesOf(socket, gen.id)).at(-1)!;
      assert.equal(last.role, "system");
      assert.equal(last.content.text, "The model could not answer: the model sent nothing more for 0.3 s (stalled).");
      await withTimeout(fake.requests[before]!.closed, "the stalled connection to close");
      assert.equal(fake.requests.length, before + 1, "a stall is not retried");
      const joined = await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      assert.equal(joined.draft, null);
    });

    it("a model that never starts answering times out too", async () => {
      agent = createOpenAIAgent(agentConfig(fake, { idleTimeoutMs: 300 }));
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      fake.enqueue({ kind: "stall" });
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "st2", text: "an app" });
      const failed = await untilRun(socket, gen.id, (s) => s.run.state === "failed", "the run to fail");
      assert.equal(failed.run.error, "the model did not start answering for 0.3 s (stalled)");
    });

    it("retries invalid answers, then reports them, and the spec keeps its last valid version", async () => {
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      const artifacts = record(socket, "artifact:updated");
      fake.enqueue(streamJson({ type: "spec", message: "First version.", spec: SPEC }));
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "v1", text: "recipes" });
      const [v1] = await artifacts.until((a) => a.length > 0, "spec v1");
      await runtime.whenIdle(gen.id);

      // Broken JSON, then a schema violation, then half an object: three tries, all invalid.
      fake.enqueue(
        { kind: "stream", pieces: split(`{"type":"spec","message":"Sure, adding ratings." "spec":`, 6) },
        streamJson({ type: "spec", message: "Adding ratings.", spec: { ...SPEC_V2, entities: [{ name: "recipe", fields: [] }] } }),
        { kind: "stream", pieces: [`{"type":"spec","message":"Adding`] },
      );
      const before = fake.requests.length;
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "v2", text: "add ratings" });
      const failed = await untilRun(socket, gen.id, (s) => s.run.state === "failed", "the run to fail");
      await runtime.whenIdle(gen.id);
      assert.equal(fake.requests.length, before + 3, "two retries, no more");
      const retry = fake.requests[before + 1]!.body.messages!;
      assert.equal(retry.at(-1)!.role, "user");
      assert.match(retry.at(-1)!.content, /^That answer was not valid: not valid JSON/);
      assert.match(failed.run.error ?? "", /^the model's answer was still not a valid spec \(.*\) after 3 tries$/);

      const texts = (await messagesOf(socket, gen.id)).map((m) => String(m.content.text));
      const tail = texts.slice(-3);
      assert.match(tail[0]!, /^The model's answer was not a valid spec \(not valid JSON.*\); asking again \(try 2 of 3\)\.$/);
      assert.match(tail[1]!, /^The model's answer was not a valid spec \(spec\.entities\.0\.name: .*\); asking again \(try 3 of 3\)\.$/);
      assert.match(tail[2]!, /^The model could not answer: the model's answer was still not a valid spec .* after 3 tries\. The spec stays at version 1\.$/);
      const spec = await t.store.getArtifactInstance(newUserScope(socket), v1!.artifact.id);
      assert.equal(spec.version, 1);
      assert.deepEqual(spec.state, SPEC);
      const joined = await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      assert.equal(joined.draft, null, "the drafts of the invalid tries are gone");

      // One invalid answer then a valid one: the retry repairs it and the spec moves to v2.
      fake.enqueue({ kind: "stream", pieces: ["not json at all"] }, streamJson({ type: "spec", message: "Added ratings.", spec: SPEC_V2 }));
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "v3", text: "add ratings, please" });
      const updates = await artifacts.until((a) => a.some((x) => x.artifact.version === 2), "spec v2");
      assert.deepEqual(updates.find((x) => x.artifact.version === 2)!.artifact.state, SPEC_V2);
      await runtime.whenIdle(gen.id);
      const last = (await messagesOf(socket, gen.id)).at(-1)!;
      assert.match(String(last.content.text), /^Added ratings\.\n\nChanges:\n- .*Rate recipes/, "changes computed from the two versions when the model lists none");
    });

    it("network errors fail the run with the reason in the chat", async () => {
      const closed = await startFakeOpenAI();
      const url = closed.baseURL;
      await closed.close(); // nothing listens there any more
      agent = createOpenAIAgent(agentConfig(fake, { baseURL: url }));
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "n1", text: "an app" });
      const failed = await untilRun(socket, gen.id, (s) => s.run.state === "failed", "the run to fail");
      assert.match(failed.run.error ?? "", /^could not reach the model at 127\.0\.0\.1:\d+/);
      await runtime.whenIdle(gen.id);
      const last = (await messagesOf(socket, gen.id)).at(-1)!;
      assert.match(String(last.content.text), /^The model could not answer: could not reach the model/);
    });

    it("writes the draft per flush, not per token", async () => {
      Object.assign(flush, { ms: 60_000, chars: 100 }); // flushes by size only: deterministic
      const socket = await h.connect(newUser());
      const { gen } = await generator(socket);
      const long = "This reply streams one or two characters at a time, like a real model does. ".repeat(6).trim();
      fake.enqueue({ kind: "stream", pieces: split(JSON.stringify({ type: "spec", message: long, spec: SPEC }), 2) });
      const drafts = record(socket, "message:draft");
      t.reset();
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "w1", text: "recipes" });
      await record(socket, "artifact:updated").until((a) => a.length > 0, "the spec");
      await runtime.whenIdle(gen.id);
      const deltas = drafts.items.filter((d) => d.type === "delta").length;
      const snapshots = drafts.items.filter((d) => d.type === "snapshot").length;
      const draftWrites = t.writes().filter((s) => /StreamDraft/.test(s));
      assert.ok(deltas >= long.length / 2 - 1, `the text went out token by token (${deltas} deltas)`);
      // At most one upsert per 100 characters, and the delete with the final message.
      const flushes = Math.floor(long.length / 100);
      assert.ok(draftWrites.length >= 2 && draftWrites.length <= flushes + 1, draftWrites.join("\n"));
      assert.ok(draftWrites.filter((s) => /^DELETE/.test(s)).length === 1);
      assert.ok(snapshots >= 1 && snapshots <= flushes, `${snapshots} snapshots`);
      assert.ok(t.writes().length < deltas / 4, `${t.writes().length} writes for ${deltas} deltas`);
    });
  });
}

/** The scope a harness socket was connected with. */
function newUserScope(socket: TabflowSocket): Scope {
  return verifyIdentityToken((socket.auth as { token: string }).token, TEST_SECRET);
}
