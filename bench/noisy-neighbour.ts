/**
 * Noisy neighbour: one account floods the real server (server.ts on SQLite, default limits)
 * with messages into one Generator session, session creates and sockets, while a second
 * account's cheap round trip (session:list) and /api/health are measured, before the flood
 * (baseline) and during it, after a short warm-up flood from a third account (so neither phase
 * pays the one-time cost of loading code on first use). Loopback only; bounded in time
 * (FLOOD_MS) and in count. BENCH_SERVER_NODE_OPTIONS passes e.g. `--require <profiler>` to it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { connectAs, signUp, socketAs } from "../tests/helpers/auth.ts";
import { startServerProcess } from "../tests/helpers/server-process.ts";
import { printTable, round, summarize } from "./stats.ts";

const FLOOD_MS = 15_000;
const BASELINE_MS = 3_000;
const FLOOD_SOCKETS = 80; // over the default 50 per user
const SENDERS = 4; // of those sockets, how many pipeline messages
const IN_FLIGHT = 50; // pipelined sends per sending socket
const TEXT = "A recipe sharing app where cooks post recipes with ingredients and steps, and others comment and rate them. ";

type Ack = { ok: boolean; error?: { code: string } };
const emit = (s: TabflowSocket, event: string, payload: unknown): Promise<Ack> =>
  (s.timeout(30_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack> }).emitWithAck(event, payload).catch(() => ({ ok: false, error: { code: "timeout" } }));

export async function noisyNeighbour(): Promise<{ out: Record<string, unknown>; goals: string[] }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-bench-noisy-"));
  const server = await startServerProcess({ DATA_DIR: dataDir, ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) });
  const sockets: TabflowSocket[] = [];
  try {
    const [flooder, victim] = [await signUp(server.url), await signUp(server.url)];
    const me = await connectAs(server.url, victim.cookie);
    sockets.push(me);
    await emit(me, "session:create", { workflowName: "generator" });

    let stop = false;
    const roundTrips = (until: () => boolean) =>
      (async () => {
        const times: number[] = [];
        while (!until()) {
          const t0 = performance.now();
          const a = await emit(me, "session:list", {});
          if (a.ok) times.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 50));
        }
        return times;
      })();
    const health = (until: () => boolean) =>
      (async () => {
        const statuses: Array<number | string> = [];
        while (!until()) {
          try {
            statuses.push((await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) })).status);
          } catch (err) {
            statuses.push((err as Error).name);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        return statuses;
      })();

    // Warm-up: a short flood from a third account first, so both phases measure a process that
    // has loaded its code (first use of a path compiles modules through the loader, once).
    const warm = await signUp(server.url);
    const warmSocket = await connectAs(server.url, warm.cookie);
    sockets.push(warmSocket);
    const warmGen = await emit(warmSocket, "session:create", { workflowName: "generator" });
    const warmId = (warmGen as { data?: { id: string } }).data?.id;
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => emit(warmSocket, i % 2 ? "session:create" : "message:send", i % 2 ? { workflowName: "generator" } : { sessionId: warmId, clientMessageId: `warm-${i}`, text: `${TEXT}${i}` })),
    );
    warmSocket.close();
    await new Promise((r) => setTimeout(r, 3000));

    // Baseline: the same round trip with nobody else on the server.
    const baselineEnd = Date.now() + BASELINE_MS;
    const baseline = await roundTrips(() => Date.now() > baselineEnd);

    // The flood.
    const outcomes = new Map<string, number>();
    const count = (what: string, a: Ack) => {
      const key = `${what} ${a.ok ? "ok" : a.error!.code}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    };
    const measured = roundTrips(() => stop);
    const checks = health(() => stop);
    const t0 = performance.now();
    const floodSockets: TabflowSocket[] = [];
    let refusedSockets = 0;
    for (let i = 0; i < FLOOD_SOCKETS; i++) {
      const s = socketAs(server.url, flooder.cookie, { reconnection: false });
      sockets.push(s);
      const connected = await new Promise<boolean>((resolve) => {
        s.once("connect", () => resolve(true));
        s.once("connect_error", () => resolve(false));
      });
      if (connected) floodSockets.push(s);
      else refusedSockets++;
    }
    const target = floodSockets[0] ? await emit(floodSockets[0], "session:create", { workflowName: "generator" }) : undefined;
    const sessionId = (target as { data?: { id: string } } | undefined)?.data?.id;
    let n = 0;
    const senders = floodSockets.slice(0, SENDERS).map((s) =>
      Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (!stop && sessionId) count("message:send", await emit(s, "message:send", { sessionId, clientMessageId: `flood-${++n}`, text: `${TEXT}${n}` }));
        }),
      ),
    );
    const creator = floodSockets[SENDERS]
      ? Promise.all(
          Array.from({ length: 10 }, async () => {
            while (!stop) count("session:create", await emit(floodSockets[SENDERS]!, "session:create", { workflowName: "generator" }));
          }),
        )
      : Promise.resolve();
    await new Promise((r) => setTimeout(r, Math.max(0, FLOOD_MS - (performance.now() - t0))));
    stop = true;
    const [during, statuses] = await Promise.all([measured, checks, ...senders, creator]);

    const base = summarize(baseline);
    const flood = summarize(during as number[]);
    const healthy = (statuses as Array<number | string>).filter((s) => s === 200).length;
    const total = (statuses as unknown[]).length;
    const out = {
      baseline: base,
      duringFlood: flood,
      health: { ok: healthy, total },
      floodSockets: { connected: floodSockets.length, refused: refusedSockets },
      floodOutcomes: Object.fromEntries(outcomes),
    };
    printTable("noisy neighbour (second user's session:list round trip while one user floods)", [
      { phase: "baseline (nobody else)", "round trips": base.n, "p50 ms": round(base.p50), "p99 ms": round(base.p99) },
      { phase: "during the flood", "round trips": flood.n, "p50 ms": round(flood.p50), "p99 ms": round(flood.p99) },
    ]);
    printTable("what the flood got", [
      { request: "sockets", outcome: `${floodSockets.length} connected, ${refusedSockets} refused (rate_limited)` },
      ...[...outcomes].map(([k, v]) => ({ request: k.split(" ")[0]!, outcome: `${v} × ${k.split(" ")[1]}` })),
      { request: "/api/health", outcome: `${healthy} of ${total} answered 200` },
    ]);
    const goals = [
      flood.p99 < 100 ? `goal noisy-neighbour p99: met (${round(flood.p99)} ms)` : `goal noisy-neighbour p99: not met (${round(flood.p99)} ms vs < 100 ms)`,
      healthy === total && total > 0 ? `goal noisy-neighbour health: met (${healthy}/${total} 200)` : `goal noisy-neighbour health: not met (${healthy}/${total} 200 vs all)`,
    ];
    return { out, goals };
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
