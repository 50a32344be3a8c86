/**
 * `npm run bench [-- part ...]`: measures what Tabflow promises, each figure next to a baseline
 * measured in the same run (the machines are shared and noisy: ratios, not absolutes).
 * Parts: switch, resume, throughput, idle. Writes bench/results/latest.json.
 * Benchmarks print numbers; they never fail on timing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { isWriteStatement, openDatabase } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { issueIdentityToken, testTokenAuthenticator } from "../tests/helpers/test-identity-token.ts";
import { createSocketServer, publisherOf } from "../lib/realtime/socket-server.ts";
import { createStore, type Scope, type Store } from "../lib/store/index.ts";
import { printTable, round, summarize } from "./stats.ts";

const SECRET = "bench-secret-0123456789-0123456789-abcdef";
const scope: Scope = { enterpriseId: "bench", appId: "bench", userId: "bench-user" };
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)));

async function withStack<T>(fn: (env: { store: Store; url: string; io: ReturnType<typeof createSocketServer>; statements: string[] }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), "tabflow-bench-"));
  const config = { provider: "sqlite" as const, file: path.join(dir, "bench.db") };
  await migrate(config);
  const statements: string[] = [];
  const database = await openDatabase(config, { onQuery: (q) => statements.push(q.query) });
  const store = createStore(database);
  const http = createServer();
  const io = createSocketServer(http, { store, logger: pino({ level: "silent" }), authenticate: testTokenAuthenticator(SECRET), pageSize: 500, handleUserMessage: async () => {} });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
    return await fn({ store, url, io, statements });
  } finally {
    await new Promise<void>((r) => io.close(() => r()));
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function client(url: string): Promise<Socket> {
  const s = connect(url, { transports: ["websocket"], auth: { token: issueIdentityToken(scope, SECRET) }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", resolve);
    s.once("connect_error", reject);
  });
  return s;
}

const ack = (s: Socket, event: string, payload: unknown) => s.timeout(30_000).emitWithAck(event, payload) as Promise<{ ok: boolean; data: any }>;

async function seed(store: Store, sessions: number, messages: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const s = await store.createWorkflowSession(scope, { workflowName: "generator", title: `S${i}` });
    for (let m = 0; m < messages; m++) await store.appendMessage(scope, s.id, { role: m % 2 ? "agent" : "user", kind: "text", content: { text: `message ${m} of session ${i}: lorem ipsum dolor sit amet` } });
    ids.push(s.id);
  }
  return ids;
}

/** 200 random switches among 10 sessions, each client holding every session's history already. */
async function benchSwitch() {
  const rows: Record<string, string | number>[] = [];
  const out: Record<string, unknown> = {};
  for (const size of [10, 1000]) {
    await withStack(async ({ store, url, statements }) => {
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
  printTable(`switch (socket round trip: leave + join with afterSeq; ratio 1000-msg vs 10-msg sessions p95 = ${out.p95RatioLongVsShort})`, rows);
  results.switch = out;
}

/** A client that missed k=10 messages re-joins sessions of n=100 and n=10,000. */
async function benchResume() {
  const rows: Record<string, string | number>[] = [];
  const out: Record<string, unknown> = {};
  await withStack(async ({ store, url }) => {
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
  printTable(`resume (ratio n=10,000 vs n=100: bytes ${out.bytesRatio}, p50 time ${out.timeRatio})`, rows);
  results.resume = out;
}

/** Messages persisted and broadcast by the runtime's publisher vs raw emit of the same payloads. */
async function benchThroughput() {
  const out: Record<string, unknown> = {};
  const N = 2000;
  await withStack(async ({ store, url, io }) => {
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
    let done = waitFor(N);
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await publisher.appendMessage(scope, id!, { role: "agent", kind: "text", content: { text: `streamed chunk ${i}` } });
    await done;
    const persisted = N / ((performance.now() - t0) / 1000);
    done = waitFor(N);
    t0 = performance.now();
    for (let i = 0; i < N; i++) {
      (io as unknown as Server).to(`session:${id}`).emit("message:new", { sessionId: id, seq: i + 1, role: "agent", kind: "text", content: { text: `streamed chunk ${i}` }, clientMessageId: null, createdAt: new Date().toISOString() } as never);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await done;
    const raw = N / ((performance.now() - t0) / 1000);
    out.persistedPerSecond = round(persisted, 0);
    out.rawEmitPerSecond = round(raw, 0);
    out.ratio = round(persisted / raw, 3);
    printTable(`throughput (${N} messages to 2 clients; persisted/raw = ${out.ratio})`, [
      { path: "persist + broadcast", "msgs/s": out.persistedPerSecond as number },
      { path: "raw emit (baseline)", "msgs/s": out.rawEmitPerSecond as number },
    ]);
    a.close();
    b.close();
  });
  results.throughput = out;
}

/** Server RSS with 0 vs 10,000 idle IN_PROGRESS sessions; session:list time with 1,000 sessions. */
async function benchIdle() {
  const out: Record<string, unknown> = {};
  await withStack(async ({ store, url }) => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const other: Scope = { ...scope, userId: "many" };
    for (let i = 0; i < 10_000; i++) await store.createWorkflowSession(other, { workflowName: "generator", title: `idle ${i}` });
    global.gc?.();
    const after = process.memoryUsage().rss;
    out.rssBeforeMB = round(before / 2 ** 20, 1);
    out.rssAfterMB = round(after / 2 ** 20, 1);
    out.rssDeltaMB = round((after - before) / 2 ** 20, 1);
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
    printTable("idle sessions (same process; the store holds nothing per idle session)", [
      { measure: "RSS with 0 sessions (MB)", value: out.rssBeforeMB as number },
      { measure: "RSS with 10,000 idle sessions (MB)", value: out.rssAfterMB as number },
      { measure: "difference (MB)", value: out.rssDeltaMB as number },
      { measure: "session:list, 1,000 sessions, p50 / p95 ms", value: `${out.listP50Ms} / ${out.listP95Ms}` },
      { measure: "empty round trip p50 ms (baseline)", value: out.roundTripP50Ms as number },
    ]);
    s.close();
  });
  results.idle = out;
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

const PARTS: Record<string, () => Promise<void>> = { switch: benchSwitch, resume: benchResume, throughput: benchThroughput, idle: benchIdle, browser: benchBrowser };
const wanted = process.argv.slice(2).filter((a) => a !== "--");
for (const name of wanted.length ? wanted : Object.keys(PARTS)) {
  const part = PARTS[name];
  if (!part) {
    console.error(`unknown part "${name}"; parts: ${Object.keys(PARTS).join(", ")}`);
    process.exit(1);
  }
  await part();
}
mkdirSync(path.join(root, "results"), { recursive: true });
writeFileSync(path.join(root, "results", "latest.json"), JSON.stringify(results, null, 2));
console.log(`\nwrote bench/results/latest.json`);
process.exit(0);
