/**
 * PostgreSQL unreachable for a moment under a two-node cluster (issue 8). The nodes use a
 * database this test creates; connections to it are refused (ALLOW_CONNECTIONS false) and the
 * open ones terminated, never the shared server itself. Requests get typed `unavailable`
 * errors, /api/health goes 503 then back to 200 on both nodes, and nothing is half-written.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { postgresSkipReason, TEST_PG_URL } from "./helpers/databases.ts";
import { connected } from "./helpers/realtime.ts";
import { clusterSocket, credentialsFor, eventually, must, redisSkipReason, startCluster, storedMessages, type TestCluster } from "./helpers/cluster.ts";

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
const raw = (socket: TabflowSocket, event: string, payload: unknown) =>
  (socket.timeout(30_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack> }).emitWithAck(event, payload);

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("PostgreSQL unreachable for a moment under two nodes", { skip }, () => {
  const dbName = `tabflow_cluster_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${dbName}`;
    cluster = await startCluster(2, { databaseUrl: url.toString() });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`).catch(() => {});
    await cluster?.cleanup();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it("answers typed errors and 503 while it is away, 200 after, and writes nothing half-way", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const { cookie } = await credentialsFor(cluster, a, 1);
    const onA = await connected(clusterSocket(a, cookie));
    const onB = await connected(clusterSocket(b, cookie));
    sockets.push(onA, onB);
    const session = await must<{ id: string }>(onA, "session:create", { workflowName: "generator" });
    await must(onA, "session:join", { sessionId: session.id, afterSeq: 0 });
    await must(onA, "message:send", { sessionId: session.id, clientMessageId: "first", text: "A recipe app with recipes and ingredients." });
    const before = await eventually(async () => {
      const all = await storedMessages(onA, session.id);
      return all.at(-1)?.role !== "user" ? all : undefined;
    }, "the generator's reply");
    const sessionsBefore = await must<{ id: string }[]>(onB, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] });

    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
    for (const node of [a, b]) {
      const down = await health(node.url);
      assert.equal(down.status, 503);
      assert.equal(down.body.db, "unreachable");
      assert.equal(down.body.redis, "ok");
      assert.doesNotMatch(JSON.stringify(down.body), /at \w+ \(|SELECT/, "no stack traces or SQL in the answer");
    }
    for (const [socket, event, payload] of [
      [onA, "session:create", { workflowName: "generator" }],
      [onB, "message:send", { sessionId: session.id, clientMessageId: "during-outage", text: "rename the app to Cookbook" }],
      [onB, "session:join", { sessionId: session.id, afterSeq: 0 }],
      [onA, "session:list", { statuses: ["IN_PROGRESS"] }],
    ] as const) {
      const ack = await raw(socket, event, payload);
      assert.equal(ack.ok, false, `${event} fails while the database is away`);
      if (!ack.ok) {
        assert.equal(ack.error.code, "unavailable", `${event}: ${ack.error.message}`);
        assert.doesNotMatch(ack.error.message, /SELECT|INSERT|at \w+ \(/);
      }
    }
    assert.ok(onA.connected && onB.connected, "sockets stay connected");

    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
    for (const node of [a, b]) assert.equal((await eventually(async () => ((await health(node.url)).status === 200 ? 200 : undefined), "health back to 200")), 200);

    // Nothing half-written: no session appeared, no message or seq was used by the failed calls.
    const sessionsAfter = await must<{ id: string }[]>(onB, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] });
    assert.deepEqual(sessionsAfter.map((s) => s.id).sort(), sessionsBefore.map((s) => s.id).sort());
    const afterOutage = await storedMessages(onB, session.id);
    assert.deepEqual(afterOutage.map((m) => m.seq), before.map((m) => m.seq), "no message stored by the failed send");
    // The same send retried now is stored once, with the next seq.
    const sent = await must<{ seq: number }>(onB, "message:send", { sessionId: session.id, clientMessageId: "during-outage", text: "rename the app to Cookbook" });
    assert.equal(sent.seq, before.at(-1)!.seq + 1);
    const again = await must<{ seq: number }>(onA, "message:send", { sessionId: session.id, clientMessageId: "during-outage", text: "rename the app to Cookbook" });
    assert.equal(again.seq, sent.seq, "a retry of the same clientMessageId is not stored twice");
    const finalSeqs = (await storedMessages(onA, session.id)).map((m) => m.seq);
    assert.deepEqual(finalSeqs, finalSeqs.map((_, i) => i + 1), "seq 1..n");
  });
});
