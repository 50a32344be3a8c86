/**
 * `npm run bench [-- part ...]`: measures what Tabflow promises, each figure next to a baseline
 * measured in the same run (the machines are shared and noisy: ratios, not absolutes).
 * Parts: switch, resume, throughput, idle, concurrency, search (each on SQLite and, when reachable,
 * PostgreSQL), browser (the whole app on SQLite) and two-nodes (two app processes on PostgreSQL +
 * Redis, when both answer). Writes bench/results/latest.json.
 * Benchmarks print numbers; they never fail on timing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { isWriteStatement } from "../lib/db/client.ts";
import { issueIdentityToken } from "../tests/helpers/test-identity-token.ts";
import { createSocketServer, publisherOf } from "../lib/realtime/socket-server.ts";
import { MAX_BATCH, type Scope, type Store } from "../lib/store/index.ts";
import { providers, SECRET, withStack, type Provider } from "./stack.ts";
import { printTable, round, summarize } from "./stats.ts";

const scope: Scope = { enterpriseId: "bench", appId: "bench", userId: "bench-user" };
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version };
/** One line per goal measured in this run, printed last: `goal <name>: met (…)` / `not met (… vs …)`. */
const goals: string[] = [];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)));

async function client(url: string): Promise<Socket> {
  const s = connect(url, { transports: ["websocket"], auth: { token: issueIdentityToken(scope, SECRET) }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", resolve);
    s.once("connect_error", reject);
  });
  return s;
}

const ack = (s: Socket, event: string, payload: unknown) => s.timeout(30_000).emitWithAck(event, payload) as Promise<{ ok: boolean; data: any }>;

async function seed(store: Store, sessions: number, messages: number, owner: Scope = scope): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const s = await store.createWorkflowSession(owner, { workflowName: "generator", title: `S${i}` });
    for (let m = 0; m < messages; m += MAX_BATCH) {
      const n = Math.min(MAX_BATCH, messages - m);
      await store.appendMessageBatch(owner, s.id, Array.from({ length: n }, (_, j) => ({ role: (m + j) % 2 ? "agent" as const : "user" as const, kind: "text", content: { text: `message ${m + j} of session ${i}: lorem ipsum dolor sit amet` } })));
    }
    ids.push(s.id);
  }
  return ids;
}

/** 200 random switches among 10 sessions, each client holding every session's history already. */
async function benchSwitch(provider: Provider): Promise<unknown> {
  const rows: Record<string, string | number>[] = [];
  const out: Record<string, unknown> = {};
  for (const size of [10, 1000]) {
    await withStack(provider, async ({ store, url, statements }) => {
      const ids = await seed(store, 10, size);
      const s = await client(url);
      const held = new Map<string, number>();
      for (const id of ids) held.set(id, (await ack(s, "session:join", { sessionId: id, afterSeq: 0 })).data.session.lastSeq);
      statements.length = 0;
      const times: number[] = [];
      let received = 0;
      let current = ids[0]!;
      for (let i = 0; i < 200; i++) {
        let next = ids[Math.floor(Math.random() * ids.length)]!;
        if (next === current) next = ids[(ids.indexOf(next) + 1) % ids.length]!;
        const t0 = performance.now();
        await ack(s, "session:leave", { sessionId: current });
        const r = await ack(s, "session:join", { sessionId: next, afterSeq: held.get(next) });
        times.push(performance.now() - t0);
        received += r.data.messages.length;
        current = next;
      }
      const writes = statements.filter(isWriteStatement).length;
      const sum = summarize(times);
      out[`messages_${size}`] = { ...sum, writes, messagesReceived: received };
      rows.push({ "messages/session": size, switches: 200, "p50 ms": round(sum.p50), "p95 ms": round(sum.p95), "write statements": writes, "messages re-sent": received });
      s.close();
    });
  }
  const big = out.messages_1000 as { p95: number };
  const small = out.messages_10 as { p95: number };
  out.p95RatioLongVsShort = round(big.p95 / small.p95);
  printTable(`[${provider}] switch (socket round trip: leave + join with afterSeq; ratio 1000-msg vs 10-msg sessions p95 = ${out.p95RatioLongVsShort})`, rows);
  return out;
}

/** A client that missed k=10 messages re-joins sessions of n=100 and n=10,000. */
async function benchResume(provider: Provider): Promise<unknown> {
  const rows: Record<string, string | number>[] = [];
  const out: Record<string, unknown> = {};
  await withStack(provider, async ({ store, url }) => {
    const [small, big] = [(await seed(store, 1, 100))[0]!, (await seed(store, 1, 10_000))[0]!];
    const s = await client(url);
    for (const [n, id] of [[100, small], [10_000, big]] as const) {
      const times: number[] = [];
      let bytes = 0;
      for (let rep = 0; rep < 50; rep++) {
        const t0 = performance.now();
        const r = await ack(s, "session:join", { sessionId: id, afterSeq: n - 10 });
        times.push(performance.now() - t0);
        bytes = Buffer.byteLength(JSON.stringify(r));
        await ack(s, "session:leave", { sessionId: id });
      }
      const sum = summarize(times);
      out[`n_${n}`] = { ...sum, ackBytes: bytes };
      rows.push({ n, k: 10, "ack bytes": bytes, "p50 ms": round(sum.p50), "p95 ms": round(sum.p95) });
    }
    s.close();
  });
  const a = out.n_100 as { p50: number; ackBytes: number };
  const b = out.n_10000 as { p50: number; ackBytes: number };
  out.bytesRatio = round(b.ackBytes / a.ackBytes, 3);
  out.timeRatio = round(b.p50 / a.p50);
  printTable(`[${provider}] resume (ratio n=10,000 vs n=100: bytes ${out.bytesRatio}, p50 time ${out.timeRatio})`, rows);
  return out;
}

/** Messages persisted and broadcast by the runtime's publisher vs raw emit of the same payloads. */
async function benchThroughput(provider: Provider): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const N = 2000;
  await withStack(provider, async ({ store, url, io, statements }) => {
    const [id] = await seed(store, 1, 0);
    const a = await client(url);
    const b = await client(url);
    for (const c of [a, b]) await ack(c, "session:join", { sessionId: id, afterSeq: 0 });
    const publisher = publisherOf(io);
    const waitFor = (count: number) =>
      Promise.all([a, b].map((c) => new Promise<void>((resolve) => {
        let got = 0;
        const on = () => { if (++got === count) { c.off("message:new", on); resolve(); } };
        c.on("message:new", on);
      })));
    // Sequential: the producer waits for each message to be stored before the next (one
    // transaction each). Pipelined: it hands them over as they come (a streaming agent, a
    // build's progress) and the publisher group-commits what queues up during a write.
    let done = waitFor(N);
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await publisher.appendMessage(scope, id!, { role: "agent", kind: "text", content: { text: `streamed chunk ${i}` } });
    await done;
    const sequential = N / ((performance.now() - t0) / 1000);
    done = waitFor(N);
    const commitsBefore = statements.filter((q) => /^COMMIT/i.test(q)).length;
    t0 = performance.now();
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      appends.push(publisher.appendMessage(scope, id!, { role: "agent", kind: "text", content: { text: `streamed chunk ${i}` } }));
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(appends);
    await done;
    const persisted = N / ((performance.now() - t0) / 1000);
    out.pipelinedTransactions = statements.filter((q) => /^COMMIT/i.test(q)).length - commitsBefore;
    done = waitFor(N);
    t0 = performance.now();
    for (let i = 0; i < N; i++) {
      (io as unknown as Server).to(`session:${id}`).emit("message:new", { sessionId: id, seq: i + 1, role: "agent", kind: "text", content: { text: `streamed chunk ${i}` }, clientMessageId: null, createdAt: new Date().toISOString() } as never);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await done;
    const raw = N / ((performance.now() - t0) / 1000);
    out.sequentialPerSecond = round(sequential, 0);
    out.persistedPerSecond = round(persisted, 0);
    out.rawEmitPerSecond = round(raw, 0);
    out.ratio = round(persisted / raw, 3);
    out.sequentialRatio = round(sequential / raw, 3);
    printTable(`[${provider}] throughput (${N} messages to 2 clients; pipelined persisted/raw = ${out.ratio}, sequential/raw = ${out.sequentialRatio})`, [
      { path: "persist + broadcast, pipelined (group commit)", "msgs/s": out.persistedPerSecond as number, transactions: out.pipelinedTransactions as number },
      { path: "persist + broadcast, one await per message", "msgs/s": out.sequentialPerSecond as number, transactions: N },
      { path: "raw emit (baseline)", "msgs/s": out.rawEmitPerSecond as number, transactions: 0 },
    ]);
    a.close();
    b.close();
  });
  return out;
}

/** Server RSS with 0 vs 10,000 idle IN_PROGRESS sessions; session:list time with 1,000 sessions. */
async function benchIdle(provider: Provider): Promise<unknown> {
  const out: Record<string, unknown> = {};
  // Server RSS: the real server started on 0 and on 10,000 IN_PROGRESS sessions (needs a build).
  const { idleServerRss } = await import("./idle-rss.ts");
  const rss = await idleServerRss(provider);
  out.rssBeforeMB = rss.rss0MB;
  out.rssAfterMB = rss.rss10kMB;
  out.rssDeltaMB = rss.deltaMB;
  await withStack(provider, async ({ store, url }) => {
    for (let i = 0; i < 1000; i++) await store.createWorkflowSession(scope, { workflowName: "generator", title: `mine ${i}` });
    const s = await client(url);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await ack(s, "session:list", {});
      times.push(performance.now() - t0);
    }
    const baseline: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await ack(s, "session:leave", { sessionId: "none" });
      baseline.push(performance.now() - t0);
    }
    const sum = summarize(times);
    out.listP95Ms = round(sum.p95);
    out.listP50Ms = round(sum.p50);
    out.roundTripP50Ms = round(summarize(baseline).p50);
    printTable(`[${provider}] idle sessions (server.ts started on a database of 0, then 10,000 IN_PROGRESS sessions, no clients)`, [
      { measure: "server RSS with 0 sessions (MB, baseline)", value: out.rssBeforeMB as number },
      { measure: "server RSS with 10,000 idle sessions (MB)", value: out.rssAfterMB as number },
      { measure: "difference (MB)", value: out.rssDeltaMB as number },
      { measure: "session:list round trip, 1,000 sessions, p50 / p95 ms", value: `${out.listP50Ms} / ${out.listP95Ms}` },
      { measure: "empty round trip p50 ms (baseline)", value: out.roundTripP50Ms as number },
    ]);
    s.close();
  });
  return out;
}

async function benchConcurrency(provider: Provider): Promise<unknown> {
  const { concurrency } = await import("./concurrency.ts");
  return concurrency(provider);
}

async function benchBrowser() {
  const { browserSwitch } = await import("./browser-switch.ts");
  const out = await browserSwitch();
  const s = out.shortSessions as { p50: number; p95: number };
  const l = out.longSessions as { p50: number; p95: number };
  printTable(`browser tab switch (click → painted frame with the newest message; ratio 1,000 vs 10 messages p95 = ${out.p95RatioLongVsShort})`, [
    { sessions: "10 × 10 messages (baseline)", switches: 200, "p50 ms": round(s.p50), "p95 ms": round(s.p95) },
    { sessions: "10 × 1,000 messages", switches: 200, "p50 ms": round(l.p50), "p95 ms": round(l.p95) },
  ]);
  results.browser = out;
}

async function benchSearch(provider: Provider): Promise<unknown> {
  const { searchBench } = await import("./search.ts");
  return searchBench(provider);
}

/** Parts measured once per database (the embedded default, and PostgreSQL when reachable). */
const PER_DATABASE: Record<string, (provider: Provider) => Promise<unknown>> = {
  switch: benchSwitch,
  resume: benchResume,
  throughput: benchThroughput,
  idle: benchIdle,
  concurrency: benchConcurrency,
  search: benchSearch,
};
/** Parts that run the whole app (embedded database). */
const WHOLE_APP: Record<string, () => Promise<void>> = {
  browser: benchBrowser,
  build: async () => {
    const { benchBuild } = await import("./build-steps.ts");
    results.build = await benchBuild();
  },
  "noisy-neighbour": async () => {
    const { noisyNeighbour } = await import("./noisy-neighbour.ts");
    const { out, goals: met } = await noisyNeighbour();
    results.noisyNeighbour = out;
    goals.push(...met);
  },
  "two-nodes": async () => {
    const { twoNodes } = await import("./two-nodes.ts");
    results.twoNodes = await twoNodes();
  },
};
const ALL = [...Object.keys(PER_DATABASE), ...Object.keys(WHOLE_APP)];
const wanted = process.argv.slice(2).filter((a) => a !== "--");
const dbs = await providers();
for (const name of wanted.length ? wanted : ALL) {
  if (PER_DATABASE[name]) {
    const out: Record<string, unknown> = {};
    for (const provider of dbs) out[provider] = await PER_DATABASE[name]!(provider);
    results[name] = out;
  } else if (WHOLE_APP[name]) {
    await WHOLE_APP[name]!();
  } else {
    console.error(`unknown part "${name}"; parts: ${ALL.join(", ")}`);
    process.exit(1);
  }
}
results.goals = goals;
mkdirSync(path.join(root, "results"), { recursive: true });
writeFileSync(path.join(root, "results", "latest.json"), JSON.stringify(results, null, 2));
console.log(`\nwrote bench/results/latest.json`);
if (goals.length) console.log(`\n${goals.join("\n")}`);
process.exit(0);
