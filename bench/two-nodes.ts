/**
 * Two nodes: cross-node delivery (through the Redis adapter) against same-node delivery, in the
 * same run. Two real server.ts processes in cluster mode on one PostgreSQL schema and one Redis
 * prefix; a sender and a receiver on node A, a receiver on node B, all three in one session.
 * Latency is persist → client (the stored createdAt to arrival, one machine's clock); throughput
 * is messages per second from the first send to the last arrival at each receiver.
 */
import { performance } from "node:perf_hooks";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { clusterSocket, credentialsFor, must, redisSkipReason, startCluster } from "../tests/helpers/cluster.ts";
import { postgresSkipReason } from "../tests/helpers/databases.ts";
import { connected } from "../tests/helpers/realtime.ts";
import { printTable, round, summarize } from "./stats.ts";

const LATENCY_MESSAGES = 200;
const BURST = 500;

export async function twoNodes(): Promise<Record<string, unknown> | undefined> {
  const why = (await postgresSkipReason().catch((e: Error) => e.message)) ?? (await redisSkipReason().catch((e: Error) => e.message));
  if (why) {
    console.log(`\n## two nodes: left out (${why})`);
    return undefined;
  }
  // The session is a Generator: the offline agent's replies to the probes travel the same path
  // (persisted on the node that handles the send, broadcast through the adapter) and count too.
  // It measures delivery, not the limits: lift the per-user and per-socket rates it would meet.
  const cluster = await startCluster(2, {
    env: { LIMIT_SOCKET_EVENTS_PER_SEC: "100000", LIMIT_USER_EVENTS_PER_SEC: "100000", LIMIT_USER_MESSAGES_PER_SEC: "100000", LIMIT_PENDING_PER_SESSION: "100000" },
  });
  const sockets: TabflowSocket[] = [];
  try {
    const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const { cookie } = await credentialsFor(cluster, a, "bench-two-nodes");
    const open = async (node: typeof a) => {
      const s = await connected(clusterSocket(node, cookie));
      sockets.push(s);
      return s;
    };
    const [sender, sameNode, otherNode] = [await open(a), await open(a), await open(b)];
    const session = await must<{ id: string }>(sender, "session:create", { workflowName: "generator" });
    for (const s of [sender, sameNode, otherNode]) await must(s, "session:join", { sessionId: session.id, afterSeq: 0 });

    const arrivals = new Map<TabflowSocket, { seq: number; latency: number; at: number }[]>();
    for (const s of [sameNode, otherNode]) {
      const list: { seq: number; latency: number; at: number }[] = [];
      arrivals.set(s, list);
      s.on("message:new", (m) => list.push({ seq: m.seq, latency: Date.now() - Date.parse(m.createdAt), at: performance.now() }));
    }
    const until = async (s: TabflowSocket, seq: number) => {
      const list = arrivals.get(s)!;
      const deadline = Date.now() + 120_000;
      while (!list.some((x) => x.seq >= seq)) {
        if (Date.now() > deadline) throw new Error(`receiver never got seq ${seq}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    // Latency: one message at a time (each waits until both receivers have it).
    let n = 0;
    const send = (text: string) => must<{ seq: number }>(sender, "message:send", { sessionId: session.id, clientMessageId: `bench-${++n}`, text });
    for (const l of arrivals.values()) l.length = 0;
    for (let i = 0; i < LATENCY_MESSAGES; i++) {
      const m = await send(`latency probe ${i}`);
      await Promise.all([until(sameNode, m.seq), until(otherNode, m.seq)]);
    }
    const latency = (s: TabflowSocket) => summarize(arrivals.get(s)!.map((x) => x.latency));
    const latSame = latency(sameNode);
    const latOther = latency(otherNode);

    // Throughput: a burst of sends, all in flight at once.
    for (const l of arrivals.values()) l.length = 0;
    const t0 = performance.now();
    const acks = await Promise.all(Array.from({ length: BURST }, (_, i) => send(`burst ${i}`)));
    const last = Math.max(...acks.map((m) => m.seq));
    await Promise.all([until(sameNode, last), until(otherNode, last)]);
    const rate = (s: TabflowSocket) => {
      const list = arrivals.get(s)!;
      return list.length / ((Math.max(...list.map((x) => x.at)) - t0) / 1000);
    };
    const out = {
      latencySameNode: latSame,
      latencyOtherNode: latOther,
      p95Ratio: round(latOther.p95 / latSame.p95),
      throughputSameNode: round(rate(sameNode), 0),
      throughputOtherNode: round(rate(otherNode), 0),
      throughputRatio: round(rate(otherNode) / rate(sameNode), 3),
    };
    printTable(`two nodes on PostgreSQL + Redis (cross-node vs same-node: latency p95 ratio ${out.p95Ratio}, throughput ratio ${out.throughputRatio})`, [
      { receiver: "same node as the sender (baseline)", "latency p50 / p95 ms": `${round(latSame.p50)} / ${round(latSame.p95)}`, [`msgs/s (burst of ${BURST})`]: out.throughputSameNode },
      { receiver: "other node (Redis adapter)", "latency p50 / p95 ms": `${round(latOther.p50)} / ${round(latOther.p95)}`, [`msgs/s (burst of ${BURST})`]: out.throughputOtherNode },
    ]);
    return out;
  } finally {
    for (const s of sockets) s.close();
    await cluster.cleanup();
  }
}
