/**
 * Scale-out (issue 8): real server.ts processes in cluster mode on one PostgreSQL schema and
 * one Redis prefix. Cross-node delivery, a Build started on one node streaming to a client of
 * the other, and the configuration that refuses cluster mode on the embedded database.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTabflowClient, type TabflowClient, type TabflowSocket } from "../lib/realtime/client.ts";
import { connected } from "./helpers/realtime.ts";
import { postgresSkipReason } from "./helpers/databases.ts";
import { runServer } from "./helpers/server-process.ts";
import { clusterSocket, credentialsFor, eventually, must, nodeRunning, redisSkipReason, startBuildThrough, startCluster, storedMessages, type TestCluster } from "./helpers/cluster.ts";

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

describe("server.ts in cluster mode", () => {
  it("refuses REDIS_URL on the embedded database with one line saying why", async () => {
    const { exited, output } = runServer({ REDIS_URL: "redis://127.0.0.1:6379" });
    assert.equal(await exited, 1);
    const lines = output().trim().split("\n");
    assert.equal(lines.length, 1, output());
    assert.match(lines[0]!, /^tabflow: Invalid configuration: REDIS_URL turns on cluster mode, which needs DATABASE_URL=postgresql:\/\/… that every node shares/);
  });
});

type Msg = { sessionId: string; seq: number; kind: string; role: string; content: Record<string, unknown> };

function recordMessages(socket: TabflowSocket): Msg[] {
  const items: Msg[] = [];
  socket.on("message:new", (m) => items.push(m as unknown as Msg));
  return items;
}

describe("two nodes on one PostgreSQL and one Redis", { skip }, () => {
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  const views: TabflowClient[] = [];
  before(async () => {
    cluster = await startCluster(2, { env: { BUILD_PACE_MS: "400" } });
  });
  after(async () => {
    for (const v of views) v.dispose();
    for (const s of sockets) s.close();
    await cluster?.cleanup();
  });

  it("delivers each client's messages to the other node's client once, in seq order, and user summaries to both nodes", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const { cookie } = await credentialsFor(cluster, a, 1);
    const c1 = await connected(clusterSocket(a, cookie));
    const c2 = await connected(clusterSocket(b, cookie));
    sockets.push(c1, c2);
    const summariesOnB: { id: string; lastSeq: number }[] = [];
    c2.on("session:updated", (s) => summariesOnB.push(s as never));

    const session = await must<{ id: string }>(c1, "session:create", { workflowName: "generator" });
    // user:<id> summaries cross nodes: the session made on A is announced to B's socket.
    await eventually(() => summariesOnB.some((s) => s.id === session.id), "the new session's summary on node B");

    const got1 = recordMessages(c1);
    const got2 = recordMessages(c2);
    // Each socket is driven by the client library, as in the browser: it keeps messages in seq
    // order and de-duplicates by seq. Across nodes the wire order of two messages written on two
    // different nodes is not guaranteed (each node emits to its own sockets as soon as it has
    // committed); the client library puts them in seq order, filling a gap from the database.
    const view1 = createTabflowClient(c1, { timeoutMs: 30_000 });
    const view2 = createTabflowClient(c2, { timeoutMs: 30_000 });
    views.push(view1, view2);
    await view1.show(session.id);
    await view2.show(session.id);
    const before = (await storedMessages(c1, session.id)).at(-1)?.seq ?? 0;
    for (let i = 0; i < 5; i++) {
      await must(c1, "message:send", { sessionId: session.id, clientMessageId: `a-${i}`, text: `from A ${i}: a todo app with tasks` });
      await must(c2, "message:send", { sessionId: session.id, clientMessageId: `b-${i}`, text: `from B ${i}: add a field priority to Task` });
    }
    const held = (v: TabflowClient) => v.getState().current?.messages.map((m) => m.seq) ?? [];
    // The generator answers each message in turn: wait for its last answer on both views.
    const stored = await eventually(async () => {
      const all = await storedMessages(c1, session.id);
      const want = JSON.stringify(all.map((m) => m.seq));
      return all.filter((m) => m.role === "user").length === 10 && all.at(-1)?.role !== "user" && JSON.stringify(held(view1)) === want && JSON.stringify(held(view2)) === want ? all : undefined;
    }, "both nodes' clients to hold every stored message");
    assert.deepEqual(stored.map((m) => m.seq), stored.map((_, i) => i + 1), "seq 1..n");
    for (const [name, view, got] of [["client on A", view1, got1], ["client on B", view2, got2]] as const) {
      assert.deepEqual(held(view), stored.map((m) => m.seq), `${name} shows every message once, in seq order`);
      const live = got.filter((m) => m.sessionId === session.id).map((m) => m.seq);
      assert.equal(new Set(live).size, live.length, `${name} received no message twice`);
      assert.deepEqual([...live].sort((x, y) => x - y), stored.filter((m) => m.seq > before).map((m) => m.seq), `${name} received every new message live`);
    }
    const texts = (v: TabflowClient) => v.getState().current!.messages.map((m) => String(m.content.text));
    assert.equal(texts(view2).filter((t) => t.startsWith("from A")).length, 5, "B's client shows A's messages once each");
    assert.equal(texts(view1).filter((t) => t.startsWith("from B")).length, 5, "A's client shows B's messages once each");
    await eventually(() => summariesOnB.some((s) => s.id === session.id && s.lastSeq === stored.at(-1)!.seq), "B's user room to get the summary with the final lastSeq");
  });

  it("streams a Build started through node A to a client on node B, run by exactly one node", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const { cookie } = await credentialsFor(cluster, a, 2);
    const onA = await connected(clusterSocket(a, cookie));
    const onB = await connected(clusterSocket(b, cookie));
    sockets.push(onA, onB);
    const { buildId } = await startBuildThrough(onA);
    const got = recordMessages(onB);
    const updates: { id: string; status: string }[] = [];
    onB.on("session:updated", (s) => updates.push(s as never));
    const joined = await must<{ messages: Msg[]; session: { status: string } }>(onB, "session:join", { sessionId: buildId, afterSeq: 0 });
    await eventually(() => joined.session.status === "COMPLETED" || updates.some((u) => u.id === buildId && u.status === "COMPLETED"), "the build to complete", 120_000);
    const stored = await storedMessages(onB, buildId);
    const seen = new Map<number, Msg>();
    for (const m of [...joined.messages, ...got.filter((x) => x.sessionId === buildId)]) seen.set(m.seq, m);
    assert.deepEqual([...seen.keys()].sort((x, y) => x - y), stored.map((m) => m.seq), "B's client holds every message");
    assert.deepEqual(stored.map((m) => m.seq), stored.map((_, i) => i + 1), "seq 1..n");
    const streamed = got.filter((m) => m.sessionId === buildId && m.kind === "progress");
    assert.ok(streamed.length >= 3, `progress streamed live to node B (${streamed.length} progress messages)`);
    const runners = cluster.nodes.filter((n) => new RegExp(`"sessionId":"${buildId}"[^\\n]*running a queued run on this node`).test(n.output()));
    assert.equal(runners.length, 1, "exactly one node ran the build");
    console.log(`# build ${buildId} was queued through node A and ran on node ${nodeRunning(cluster.nodes, buildId) === a ? "A" : "B"}`);
    const final = await must<{ session: { run: { state: string } } }>(onB, "session:join", { sessionId: buildId, afterSeq: stored.at(-1)!.seq });
    assert.equal(final.session.run.state, "succeeded");
  });

  it("stops a run from the node that is not running it", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const { cookie } = await credentialsFor(cluster, a, 3);
    const onA = await connected(clusterSocket(a, cookie));
    const onB = await connected(clusterSocket(b, cookie));
    sockets.push(onA, onB);
    // Each file step waits BUILD_PACE_MS (400 ms here): the build is still running when Stop comes.
    const { buildId } = await startBuildThrough(onA);
    const runner = await eventually(() => nodeRunning(cluster.nodes, buildId), "a node to pick up the build");
    const other = runner === a ? onB : onA;
    const stopped = await must<{ run: { state: string } }>(other, "run:stop", { sessionId: buildId });
    assert.equal(stopped.run.state, "stopped");
    await eventually(() => new RegExp(`"sessionId":"${buildId}"[^\\n]*stopped a run at another node's request`).test(runner.output()), "the running node to abort at once");
    const settled = await eventually(async () => {
      const all = await storedMessages(other, buildId);
      return /Stopped by you/.test(String(all.at(-1)?.content.text)) ? all : undefined;
    }, "the stop message");
    await new Promise((r) => setTimeout(r, 500));
    const later = await storedMessages(other, buildId);
    assert.deepEqual(later.map((m) => m.seq), settled.map((m) => m.seq), "no progress after the stop");
    assert.deepEqual(later.map((m) => m.seq), later.map((_, i) => i + 1));
  });

  // Last in this suite: it stops one of the two nodes.
  it("a node shut down mid-run (SIGTERM) hands the run straight to the other node, which finishes it", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const { cookie } = await credentialsFor(cluster, a, 4);
    const onA = await connected(clusterSocket(a, cookie, { reconnection: false }));
    const onB = await connected(clusterSocket(b, cookie, { reconnection: false }));
    sockets.push(onA, onB);
    const { buildId } = await startBuildThrough(onA);
    const runner = await eventually(() => nodeRunning(cluster.nodes, buildId), "a node to pick up the build");
    const survivor = runner === a ? b : a;
    const survivorSocket = runner === a ? onB : onA;
    await eventually(async () => (await storedMessages(survivorSocket, buildId)).filter((m) => m.kind === "progress").length >= 2, "two progress messages");
    assert.equal(await runner.stop("SIGTERM"), 0, "the node stops cleanly");
    await eventually(() => new RegExp(`"sessionId":"${buildId}"[^\\n]*"resumed":true[^\\n]*running a queued run on this node`).test(survivor.output()), "the other node to take the run over").catch((err: Error) => {
      const lines = (n: typeof a) => n.output().split("\n").filter((l) => l.includes(buildId) || /queue|worker|Redis|run/.test(l)).slice(-8).join("\n");
      throw new Error(`${err.message}\nstopped node:\n${lines(runner)}\nother node:\n${lines(survivor)}`);
    });
    const done = await eventually(async () => {
      const j = await must<{ session: { run: { state: string } } }>(survivorSocket, "session:join", { sessionId: buildId, afterSeq: 0 });
      return j.session.run.state !== "running" ? j.session : undefined;
    }, "the build to finish", 120_000);
    assert.equal(done.run.state, "succeeded");
    assert.doesNotMatch(survivor.output(), /reconciled runs with the queue/, "handed over through the queue, not found later by the reconciler");
    const messages = await storedMessages(survivorSocket, buildId);
    assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i + 1), "seq 1..n");
    const progress = messages.filter((m) => m.kind === "progress").map((m) => String(m.content.text));
    assert.equal(new Set(progress).size, progress.length, "no progress message twice");
  });
});
