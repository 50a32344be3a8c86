/**
 * Redis restarted under a running cluster (issue 8): a private redis-server (never the shared
 * one) is killed and started again, empty, while clients on both nodes watch a running Build.
 * The nodes recover without a restart (health 503 → 200, broadcasts cross nodes again), their
 * clients re-join and fill the gap from the database by afterSeq, and the build finishes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTabflowClient, type TabflowClient, type TabflowSocket } from "../lib/realtime/client.ts";
import { postgresSkipReason } from "./helpers/databases.ts";
import { connected } from "./helpers/realtime.ts";
import { clusterSocket, credentialsFor, eventually, must, redisSkipReason, startBuildThrough, startCluster, startOwnRedis, storedMessages, type OwnRedis, type TestCluster } from "./helpers/cluster.ts";

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("Redis restarted while clients are connected", { skip }, () => {
  let redis: OwnRedis;
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  const clients: TabflowClient[] = [];
  before(async () => {
    redis = await startOwnRedis();
    cluster = await startCluster(2, { redisUrl: redis.url, env: { BUILD_PACE_MS: "500", RUN_LOCK_MS: "3000", RUN_STALLED_CHECK_MS: "1000" } });
  });
  after(async () => {
    for (const c of clients) c.dispose();
    for (const s of sockets) s.close();
    await cluster?.cleanup();
    await redis?.stop();
  });

  it("nodes recover without a restart, clients re-join and hold every message once, the build finishes", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const pids = cluster.nodes.map((n) => n.child.pid);
    const { cookie } = await credentialsFor(cluster, a, 1);
    assert.deepEqual(await health(a.url), { status: 200, body: { status: "ok", db: "ok", redis: "ok" } });
    // Reconnects by itself: the node drops its connections once Redis is back.
    const control = await connected(clusterSocket(a, cookie, { reconnectionDelay: 100, reconnectionDelayMax: 500 }));
    sockets.push(control);
    const { generatorId, buildId } = await startBuildThrough(control);

    const watchers = await Promise.all(
      [a, b].map(async (node) => {
        const socket = await connected(clusterSocket(node, cookie, { reconnectionDelay: 100, reconnectionDelayMax: 500 }));
        sockets.push(socket);
        let connects = 0; // reconnects: counted from after the first connect
        socket.on("connect", () => connects++);
        const client = createTabflowClient(socket, { timeoutMs: 30_000 });
        clients.push(client);
        await client.show(buildId);
        return { node, socket, client, connects: () => connects };
      }),
    );
    const held = (w: (typeof watchers)[number]) => w.client.getState().current?.messages.map((m) => m.seq) ?? [];
    await eventually(() => watchers.every((w) => w.client.getState().current!.messages.filter((m) => m.kind === "progress").length >= 2), "progress on both nodes' clients");

    await redis.stop("SIGKILL");
    for (const node of [a, b]) {
      const down = await eventually(async () => {
        const h = await health(node.url);
        return h.status === 503 ? h : undefined;
      }, "health to report Redis down");
      assert.equal(down.body.redis, "unreachable");
      assert.equal(down.body.db, "ok");
    }
    const seqDuringOutage = (await storedMessages(control, buildId)).at(-1)!.seq;
    await redis.start();
    for (const node of [a, b]) {
      await eventually(async () => (await health(node.url)).status === 200, "health back to 200");
    }
    // Each node asked its clients to re-join once its subscriber was back.
    for (const node of [a, b]) await eventually(() => /Redis is back: asking this node's clients to re-join/.test(node.output()), "the node to resync its clients");

    const final = await eventually(async () => {
      const j = await must<{ session: { run: { state: string } } }>(control, "session:join", { sessionId: buildId, afterSeq: 0 });
      return j.session.run.state !== "running" ? j.session : undefined;
    }, "the build to finish", 120_000);
    assert.equal(final.run.state, "succeeded");
    const stored = (await storedMessages(control, buildId)).map((m) => m.seq);
    assert.deepEqual(stored, stored.map((_, i) => i + 1), "seq 1..n");
    assert.ok(stored.length > seqDuringOutage, "the build went on past the outage");
    for (const w of watchers) {
      await eventually(() => held(w).length === stored.length && held(w), "the client to hold every message", 30_000);
      assert.deepEqual(held(w), stored, "the client holds exactly the stored sequence: no gap, no duplicate");
      assert.ok(w.connects() >= 1, "the client reconnected (re-joined) after Redis came back");
    }
    assert.deepEqual(cluster.nodes.map((n) => n.child.pid), pids);
    assert.ok(cluster.nodes.every((n) => n.child.exitCode === null && n.child.signalCode === null), "no node restarted");

    // Broadcasts cross nodes again: a message sent on A reaches a socket on B.
    const onB = await connected(clusterSocket(b, cookie, { reconnection: false }));
    sockets.push(onB);
    await must(onB, "session:join", { sessionId: generatorId, afterSeq: 0 });
    const seen: string[] = [];
    onB.on("message:new", (m) => seen.push(String(m.content.text)));
    await must(control, "message:send", { sessionId: generatorId, clientMessageId: "after-redis", text: "add a field rating to Post" });
    await eventually(() => seen.includes("add a field rating to Post"), "a message from A on B after the restart", 30_000);
    console.log(`# Redis restart: ${stored.length} messages; clients reconnected ${watchers.map((w) => w.connects()).join(" and ")} time(s) and hold seq 1..${stored.length}`);
  });
});
