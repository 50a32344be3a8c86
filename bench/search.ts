/**
 * `npm run bench -- search`: the quick switcher's `session:search` round trip (socket → store →
 * full-text index → ack) on a user with 1,000 sessions × 100 messages (half of them the user's
 * own), an app spec on every tenth session, and a neighbour user with 100 × 100 of their own.
 * Queries are what people type: prefixes of common words (many sessions match), of a
 * session's own topic word (one matches), two-word queries, and words nobody wrote.
 * Goal: p95 < 50 ms. The empty round trip is the baseline.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { io as connect, type Socket } from "socket.io-client";
import { issueIdentityToken } from "../tests/helpers/test-identity-token.ts";
import type { Scope, Store } from "../lib/store/index.ts";
import { SECRET, withStack, type Provider } from "./stack.ts";
import { printTable, round, summarize } from "./stats.ts";

const SESSIONS = 1000;
const MESSAGES = 100;
const QUERIES_PER_KIND = 100;

const owner: Scope = { enterpriseId: "bench", appId: "bench", userId: "searcher" };
const neighbour: Scope = { enterpriseId: "bench", appId: "bench", userId: "neighbour" };

const COMMON = (
  "app track list book order customer invoice garden recipe hive honey team player match score schedule meeting " +
  "project task note review rating photo price stock supplier warehouse delivery route driver vehicle patient " +
  "doctor appointment class student teacher lesson grade course event ticket venue budget expense income report " +
  "member library loan plant water harvest field farm animal feed clinic pet owner visit booking room guest"
).split(" ");

/** A deterministic pseudo-random source, so every run searches the same corpus. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const SYLLABLES = ["ka", "lo", "mi", "ru", "ze", "ta", "po", "ni", "vo", "shi", "dra", "ben", "tor", "qui", "lum"];
function topicWord(i: number): string {
  let w = "";
  let n = i + 7;
  for (let k = 0; k < 4; k++) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length) + k * 3;
  }
  return `${w}${String.fromCharCode(97 + (i % 26))}`;
}

function sentence(random: () => number, words: number, extra?: string): string {
  const out = Array.from({ length: words }, () => COMMON[Math.floor(random() * COMMON.length)]!);
  if (extra) out.splice(Math.floor(random() * out.length), 0, extra);
  return out.join(" ");
}

async function seed(store: Store, scope: Scope, sessions: number, random: () => number): Promise<void> {
  for (let i = 0; i < sessions; i++) {
    const topic = topicWord(i + (scope === neighbour ? 5000 : 0));
    const s = await store.createWorkflowSession(scope, { workflowName: "generator", title: `${COMMON[i % COMMON.length]} ${topic}` });
    await store.appendMessageBatch(
      scope,
      s.id,
      Array.from({ length: MESSAGES }, (_, m) => ({
        role: m % 2 ? ("agent" as const) : ("user" as const),
        kind: "text",
        content: { text: sentence(random, 12, m % 10 === 0 ? topic : undefined) },
      })),
    );
    if (i % 10 === 0) {
      const spec = {
        name: `${topic} app`,
        summary: sentence(random, 6),
        features: [sentence(random, 4)],
        entities: [{ name: "Item", fields: [{ name: "title", type: "string", required: true }] }],
        pages: [{ name: "Items", path: "/items" }],
      };
      const a = await store.createArtifactInstance(scope, { type: "app_spec", title: "App spec", state: spec, createdBySessionId: s.id });
      await store.attachArtifactToSession(scope, s.id, a.id);
    }
    if (i % 7 === 0) await store.updateRun(scope, s.id, { state: "waiting_input", step: "needs more detail" });
  }
}

function queries(random: () => number): { kind: string; query: string }[] {
  const pick = () => COMMON[Math.floor(random() * COMMON.length)]!;
  const prefix = (w: string) => w.slice(0, Math.min(w.length, 3 + Math.floor(random() * 3)));
  const out: { kind: string; query: string }[] = [];
  for (let i = 0; i < QUERIES_PER_KIND; i++) {
    out.push({ kind: "common word prefix (many match)", query: prefix(pick()) });
    out.push({ kind: "topic word prefix (one matches)", query: prefix(topicWord(Math.floor(random() * SESSIONS))).padEnd(5, "a").slice(0, 6) });
    out.push({ kind: "two words", query: `${pick()} ${prefix(pick())}` });
    out.push({ kind: "nobody wrote it", query: `xq${Math.floor(random() * 1e6)}` });
  }
  return out;
}

async function socketFor(url: string, scope: Scope): Promise<Socket> {
  const s = connect(url, { transports: ["websocket"], auth: { token: issueIdentityToken(scope, SECRET) }, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", resolve);
    s.once("connect_error", reject);
  });
  return s;
}

const ack = (s: Socket, event: string, payload: unknown) => s.timeout(30_000).emitWithAck(event, payload) as Promise<{ ok: boolean; data: any; error?: unknown }>;

export async function searchBench(provider: Provider): Promise<unknown> {
  return withStack(provider, async ({ store, url, config }) => {
    const random = rng(17);
    const t0 = performance.now();
    await seed(store, owner, SESSIONS, random);
    await seed(store, neighbour, 100, random);
    const seedMs = performance.now() - t0;
    // A real PostgreSQL has statistics for tables this size (autovacuum analyzes after 10 % of
    // rows change); a schema seeded a second ago has none, and its plans are not the ones a
    // user gets. Measured both ways: see README.
    if (config.provider === "postgresql" && process.env.BENCH_SEARCH_NO_ANALYZE !== "1") {
      const c = new pg.Client({ connectionString: config.url });
      await c.connect();
      await c.query(`ANALYZE "${config.schema}"."WorkflowSession", "${config.schema}"."SessionSearch", "${config.schema}"."ArtifactInstance", "${config.schema}"."SessionArtifact"`);
      await c.end();
    }
    const s = await socketFor(url, owner);
    // Warm-up (plans, caches), not measured.
    for (const q of ["app", "hive", "zz"]) await ack(s, "session:search", { query: q });
    const byKind = new Map<string, number[]>();
    const all: number[] = [];
    let hits = 0;
    for (const { kind, query } of queries(random)) {
      const t = performance.now();
      const r = await ack(s, "session:search", { query });
      const ms = performance.now() - t;
      if (!r.ok) throw new Error(`session:search failed: ${JSON.stringify(r.error)}`);
      hits += r.data.length;
      all.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    }
    const baseline: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await ack(s, "session:leave", { sessionId: "none" });
      baseline.push(performance.now() - t);
    }
    s.close();
    const sum = summarize(all);
    const rows = [...byKind].map(([kind, times]) => {
      const k = summarize(times);
      return { queries: kind, n: k.n, "p50 ms": round(k.p50), "p95 ms": round(k.p95) };
    });
    rows.push({ queries: "all", n: sum.n, "p50 ms": round(sum.p50), "p95 ms": round(sum.p95) });
    rows.push({ queries: "empty round trip (baseline)", n: baseline.length, "p50 ms": round(summarize(baseline).p50), "p95 ms": round(summarize(baseline).p95) });
    printTable(`[${provider}] session:search over ${SESSIONS} sessions × ${MESSAGES} messages (+ a neighbour's 100 × ${MESSAGES}), seeded in ${round(seedMs / 1000, 1)} s`, rows);
    const met = sum.p95 < 50;
    console.log(`goal search: ${met ? "met" : "not met"} (${provider}: p95 ${round(sum.p95)} ms over ${sum.n} queries, goal < 50 ms)`);
    return { ...sum, byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, summarize(v)])), baselineP50Ms: summarize(baseline).p50, seedMs, hitsReturned: hits, goalMet: met };
  });
}
