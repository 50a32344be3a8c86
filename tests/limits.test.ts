/**
 * Every rate limit and quota refuses with its typed error, through the real socket protocol
 * and workflow runtime (SQLite), with small limits so each is reached in a few requests; the
 * counters hold across two nodes sharing a Redis; and the UI's text for each refusal.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import pino from "pino";
import { isTabflowError } from "../lib/errors.ts";
import { createLimiters, type Limiters } from "../lib/limits/limiter.ts";
import { DEFAULT_LIMITS, type LimitsConfig } from "../lib/limits/limits-config.ts";
import { errorTextFor } from "../lib/realtime/error-text.ts";
import { workflowsOf } from "../lib/realtime/socket-server.ts";
import type { Scope } from "../lib/store/index.ts";
import { createOfflineAgent } from "../lib/workflows/agents/offline-agent.ts";
import { createQuotas } from "../lib/workflows/quotas.ts";
import { createWorkflowRuntime, type WorkflowRuntime } from "../lib/workflows/runtime.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.ts";
import { ok, request, startRealtimeServer, type RealtimeHarness } from "./helpers/realtime.ts";

const SMALL: LimitsConfig = {
  ...DEFAULT_LIMITS,
  socketEvents: { perSec: 1000, burst: 0 },
  userEvents: { perSec: 1000, burst: 0 },
  userMessages: { perSec: 1000, burst: 0 },
  connectionsPerUser: 2,
  sessionsPerMin: 1000,
  openSessions: 1000,
  messagesPerSession: 1000,
  pendingPerSession: 1000,
  messageBytesPerDay: 1024 * 1024,
  concurrentBuilds: 1000,
};

async function code(promise: Promise<{ ok: boolean; error?: { code: string } }>): Promise<string> {
  const ack = await promise;
  return ack.ok ? "ok" : ack.error!.code;
}

describe("rate limits and quotas", () => {
  let t: TestDatabase;
  let h: RealtimeHarness;
  let runtime: WorkflowRuntime;
  let dataDir: string;
  const limits: LimitsConfig = { ...SMALL };
  let users = 0;
  const newUser = (): Scope => ({ enterpriseId: "acme", appId: "app", userId: `limits-${++users}` });

  before(async () => {
    t = await createTestDatabase("sqlite");
    dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-limits-"));
    // The limiters read `limits` when each counter is made, so every test below makes its own.
    const limiters = new Proxy({} as Limiters, { get: (_, key) => (current as unknown as Record<string | symbol, unknown>)[key] });
    h = await startRealtimeServer(t.store, {
      limiters,
      workflows: (publisher) =>
        createWorkflowRuntime(
          { store: t.store, publisher, logger: pino({ level: "silent" }), agent: createOfflineAgent(), dataDir, buildPaceMs: 0, quotas: createQuotas(t.store, limiters) },
          undefined,
          // A long quiet time keeps a burst waiting, so the bound on waiting messages is reached.
          { quietMs: 60_000, maxWaitMs: 60_000, maxPending: 3 },
        ),
    });
    runtime = workflowsOf(h.io)!;
  });
  after(async () => {
    await runtime?.close();
    await h?.close();
    await t?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });
  let current: Limiters = createLimiters(SMALL);
  const use = (changes: Partial<LimitsConfig>) => {
    Object.assign(limits, SMALL, changes);
    current = createLimiters({ ...limits });
  };

  it("socket events per socket: a token bucket, then rate_limited", async () => {
    use({ socketEvents: { perSec: 3, burst: 0 } });
    const socket = await h.connect(newUser());
    const codes = await Promise.all(Array.from({ length: 6 }, () => code(request(socket, "workflow:list", undefined))));
    assert.equal(codes.filter((c) => c === "ok").length, 3);
    assert.equal(codes.filter((c) => c === "rate_limited").length, 3);
  });

  it("socket events per user, over all their sockets", async () => {
    use({ userEvents: { perSec: 4, burst: 0 } });
    const user = newUser();
    const [a, b] = [await h.connect(user), await h.connect(user)];
    const codes = await Promise.all([a, b, a, b, a, b].map((s) => code(request(s, "workflow:list", undefined))));
    assert.equal(codes.filter((c) => c === "rate_limited").length, 2);
  });

  it("connections per user: the third socket is refused with rate_limited", async () => {
    use({ connectionsPerUser: 2 });
    const user = newUser();
    const first = await h.connect(user);
    await h.connect(user);
    await assert.rejects(h.connect(user), (err: Error & { data?: { code?: string } }) => err.data?.code === "rate_limited");
    first.disconnect();
    await new Promise((r) => setTimeout(r, 100));
    await h.connect(user); // a closed tab gives its slot back
  });

  it("sessions created per minute, and open sessions per user", async () => {
    use({ sessionsPerMin: 2 });
    const socket = await h.connect(newUser());
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await code(request(socket, "session:create", { workflowName: "generator" })));
    assert.deepEqual(codes, ["ok", "ok", "rate_limited"]);

    use({ openSessions: 2 });
    const other = await h.connect(newUser());
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await code(request(other, "session:create", { workflowName: "generator" })));
    assert.deepEqual(open, ["ok", "ok", "quota_exceeded"]);
  });

  it("chat messages per user: a token bucket, then rate_limited", async () => {
    use({ userMessages: { perSec: 2, burst: 0 } });
    const socket = await h.connect(newUser());
    const gen = await ok(socket, "session:create", { workflowName: "generator" });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await code(request(socket, "message:send", { sessionId: gen.id, clientMessageId: `r-${i}`, text: `a todo app ${i}` })));
    assert.deepEqual(codes, ["ok", "ok", "rate_limited"]);
  });

  it("messages per session, message bytes per day, and a session's waiting messages (busy)", async () => {
    use({ messagesPerSession: 3 });
    const socket = await h.connect(newUser());
    const gen = await ok(socket, "session:create", { workflowName: "generator" }); // the greeting is message 1
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await code(request(socket, "message:send", { sessionId: gen.id, clientMessageId: `m-${i}`, text: `hello ${i}` })));
    assert.deepEqual(sent, ["ok", "ok", "quota_exceeded"]);

    use({ messageBytesPerDay: 1024 });
    const gen2 = await ok(socket, "session:create", { workflowName: "generator" });
    assert.equal(await code(request(socket, "message:send", { sessionId: gen2.id, clientMessageId: "big-1", text: "x".repeat(1000) })), "ok");
    assert.equal(await code(request(socket, "message:send", { sessionId: gen2.id, clientMessageId: "big-2", text: "x".repeat(100) })), "quota_exceeded");

    use({});
    const gen3 = await ok(socket, "session:create", { workflowName: "generator" });
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(await code(request(socket, "message:send", { sessionId: gen3.id, clientMessageId: `w-${i}`, text: `a todo app ${i}` })));
    assert.deepEqual(burst, ["ok", "ok", "ok", "busy", "busy"], "beyond 3 waiting messages, busy: refused, not stored");
    const joined = await ok(socket, "session:join", { sessionId: gen3.id, afterSeq: 0 });
    assert.equal(joined.messages.filter((m) => m.role === "user").length, 3);
  });

  it("concurrent builds per user, and Build sessions refuse chat messages (not_accepted)", async () => {
    use({ concurrentBuilds: 1 });
    const owner = newUser();
    const socket = await h.connect(owner);
    const gen = await ok(socket, "session:create", { workflowName: "generator" });
    const spec = await t.store.createArtifactInstance(owner, {
      type: "app_spec",
      title: "App spec",
      state: { name: "Notes", summary: "notes", features: [], entities: [{ name: "Note", fields: [{ name: "title", type: "string", required: true }] }], pages: [] },
      createdBySessionId: gen.id,
    });
    await t.store.attachArtifactToSession(owner, gen.id, spec.id);
    // One build "running" (as it is while its job works), recorded directly so it stays running.
    const running = await t.store.createWorkflowSession(owner, { workflowName: "build", title: "Build: Notes" });
    await t.store.updateRun(owner, running.id, { state: "running", step: "queued", newAttempt: true });
    const second = await request(socket, "artifact:action", { artifactId: spec.id, action: "start_build", sessionId: gen.id });
    assert.equal(second.ok ? "ok" : second.error.code, "quota_exceeded");

    const toBuild = await request(socket, "message:send", { sessionId: running.id, clientMessageId: "to-build", text: "are you done?" });
    assert.equal(toBuild.ok ? "ok" : toBuild.error.code, "not_accepted");
    const joined = await ok(socket, "session:join", { sessionId: running.id, afterSeq: 0 });
    assert.equal(joined.messages.filter((m) => m.role === "user").length, 0, "nothing stored");
    await t.store.completeWorkflowSession(owner, running.id);
    const closed = await request(socket, "message:send", { sessionId: running.id, clientMessageId: "to-done", text: "hello?" });
    assert.equal(closed.ok ? "ok" : closed.error.code, "session_closed");
  });

  it("the UI explains each refusal in words", () => {
    for (const c of ["rate_limited", "busy", "quota_exceeded", "not_accepted"]) {
      const text = errorTextFor(c, "wait 3 s and try again");
      assert.match(text, /Wait 3 s and try again\.$/);
      assert.ok(text.length > "Wait 3 s and try again.".length + 10, `${c} has its own explanation`);
    }
    assert.equal(errorTextFor("not_found", "no such session"), "no such session");
  });
});

describe("limits shared by two nodes (Redis)", { skip: await redisSkipReason() }, () => {
  const prefix = `tabflow-test-limits-${process.pid}-${Date.now()}`;
  let a: Redis;
  let b: Redis;
  before(() => {
    a = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
    b = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
  });
  after(async () => {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it("an account gets each limit once for the cluster, not once per node", async () => {
    const config = { ...SMALL, sessionsPerMin: 3, connectionsPerUser: 2, signInPerEmailPerMin: 2, userEvents: { perSec: 1000, burst: 0 } };
    const nodeA = createLimiters(config, { redis: a, prefix, nodeId: "a" });
    const nodeB = createLimiters(config, { redis: b, prefix, nodeId: "b" });
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (err: unknown) => (isTabflowError(err) ? err.code : String(err)),
      );
    const creates = [];
    for (const node of [nodeA, nodeB, nodeA, nodeB]) creates.push(await outcome(node.sessionCreate("u1")));
    assert.deepEqual(creates, ["ok", "ok", "ok", "rate_limited"]);

    await nodeA.connections.open("u1");
    await nodeB.connections.open("u1");
    assert.equal(await outcome(nodeA.connections.open("u1")), "rate_limited");
    assert.equal(await outcome(nodeB.connections.open("u1")), "rate_limited");

    const signIns = [];
    for (const node of [nodeA, nodeB, nodeB]) signIns.push(await outcome(node.signInAttempt("Victim@Example.test")));
    assert.deepEqual(signIns, ["ok", "ok", "rate_limited"]);

    const auth = [];
    for (const node of [nodeA, nodeB, nodeA]) auth.push((await node.authRule("127.0.0.1|/sign-in/email", { window: 60, max: 2 })).allowed);
    assert.deepEqual(auth, [true, true, false], "Better Auth's own limiter, through the shared storage");
  });
});

async function redisSkipReason(): Promise<string | undefined> {
  const client = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch {
    if (process.env.CI === "true") throw new Error("Redis is unreachable under CI=true");
    return "Redis is not reachable at TEST_REDIS_URL";
  } finally {
    client.disconnect();
  }
}
