/**
 * Concurrency: N Socket.IO clients on one node, each user joined to its own session, 10% of the
 * sessions running a real Build (offline agent → App spec → Start Build, paced like the app's
 * default). The clients live in a child process (bench/concurrency-clients.ts), so the server's
 * event loop is measured, not the load generator's. Latency is persist → client: from the
 * message's stored createdAt (taken in the write transaction) to its arrival at the client, on
 * the same machine's clock. Baseline in the same run: 10 clients with 1 build.
 */
import { execSync, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { issueIdentityToken } from "../tests/helpers/test-identity-token.ts";
import { publisherOf, workflowsOf } from "../lib/realtime/socket-server.ts";
import type { Scope } from "../lib/store/index.ts";
import { createOfflineAgent } from "../lib/workflows/agents/offline-agent.ts";
import { createWorkflowRuntime } from "../lib/workflows/runtime.ts";
import { withStack, SECRET, type Provider } from "./stack.ts";
import { printTable, round, summarize } from "./stats.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const PACE_MS = 150; // the app's default BUILD_PACE_MS
const DESCRIPTIONS = [
  "A recipe sharing app where users post recipes with ingredients, steps and cooking time, and others comment on them.",
  "A gym membership tracker with members, plans, check-ins and monthly invoices.",
  "A library catalogue where librarians manage books, authors and loans with due dates.",
  "A small CRM with companies, contacts, deals with stages and amounts, and follow-up tasks.",
];

export interface ClientReport {
  connectErrors: number;
  ackErrors: number;
  disconnects: number;
  latenciesMs: number[];
  /** Per session: seqs received, in arrival order, after the join. */
  received: Record<string, number[]>;
  joinedAt: Record<string, number>;
}

interface Round {
  clients: number;
  builds: number;
}

/** The open-file limit of this process (sockets are files); read through the shell. */
function openFileLimit(): number {
  try {
    return Number(execSync("ulimit -n", { shell: "/bin/bash" }).toString().trim());
  } catch {
    return NaN;
  }
}

async function measure(provider: Provider, { clients, builds }: Round) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-bench-conc-"));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  try {
    return await withStack(
      provider,
      async ({ store, url, io }) => {
        const runtime = workflowsOf(io)!;
        const publisher = publisherOf(io);
        const users: { scope: Scope; sessionId: string; build: boolean }[] = [];
        // Builds: a Generator turns a description into a spec, Start Build creates the Build
        // session, whose job waits at its first step until every client has joined.
        for (let i = 0; i < builds; i++) {
          const scope: Scope = { enterpriseId: "bench", appId: "bench", userId: `builder-${i}` };
          const gen = await runtime.createSession(scope, { workflowName: "generator" });
          const text = DESCRIPTIONS[i % DESCRIPTIONS.length]!;
          const { message } = await publisher.appendMessage(scope, gen.id, { role: "user", kind: "text", content: { text } });
          await runtime.handleUserMessage({ scope, message, text });
          const spec = (await store.listSessionArtifacts(scope, gen.id)).find((a) => a.type === "app_spec");
          if (!spec) throw new Error("the offline agent made no spec");
          const { sessionId } = await runtime.performAction(scope, { artifactId: spec.id, action: "start_build", sessionId: gen.id });
          users.push({ scope, sessionId: sessionId!, build: true });
        }
        for (let i = builds; i < clients; i++) {
          const scope: Scope = { enterpriseId: "bench", appId: "bench", userId: `viewer-${i}` };
          const s = await runtime.createSession(scope, { workflowName: "generator" });
          users.push({ scope, sessionId: s.id, build: false });
        }

        const child = fork(path.join(here, "concurrency-clients.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
        const fromChild = (type: string) =>
          new Promise<any>((resolve, reject) => {
            const on = (m: any) => {
              if (m?.type === type) {
                child.off("message", on);
                resolve(m);
              }
            };
            child.on("message", on);
            child.once("exit", (code) => reject(new Error(`client process exited with ${code}`)));
          });
        const ready = fromChild("ready");
        child.send({ type: "start", url, users: users.map((u) => ({ token: issueIdentityToken(u.scope, SECRET), sessionId: u.sessionId })) });
        const { connectMs } = await ready;

        global.gc?.();
        const rssBefore = process.memoryUsage().rss;
        let rssPeak = rssBefore;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
        const t0 = Date.now();
        release();
        const buildIds = users.filter((u) => u.build).map((u) => u.sessionId);
        await Promise.all(buildIds.map((id) => runtime.whenIdle(id)));
        const runMs = Date.now() - t0;
        // Everything stored is broadcast before whenIdle returns; ask the clients what they got.
        const reportP = fromChild("report");
        child.send({ type: "finish" });
        const report = (await reportP).report as ClientReport;
        clearInterval(sampler);
        child.kill();

        // Exactness: each client got exactly the stored messages after its join, in seq order.
        let exact = 0;
        let stored = 0;
        for (const u of users) {
          const page = await store.listMessages(u.scope, u.sessionId, report.joinedAt[u.sessionId] ?? 0, 1000);
          const want = page.messages.map((m) => m.seq);
          stored += want.length;
          const got = report.received[u.sessionId] ?? [];
          if (got.length === want.length && got.every((seq, i) => seq === want[i])) exact++;
        }
        const failed = (await Promise.all(buildIds.map((id, i) => store.getWorkflowSession(users[i]!.scope, id)))).filter((s) => s.runState !== "succeeded").length;
        return {
          clients,
          builds,
          connectMs,
          runMs,
          messagesDelivered: report.latenciesMs.length,
          messagesStored: stored,
          clientsExact: exact,
          errors: report.connectErrors + report.ackErrors + report.disconnects,
          buildsNotSucceeded: failed,
          latency: summarize(report.latenciesMs),
          rssBeforeMB: round(rssBefore / 2 ** 20, 1),
          rssPeakMB: round(rssPeak / 2 ** 20, 1),
        };
      },
      {
        workflows: (publisher, store) =>
          createWorkflowRuntime({
            store,
            publisher,
            logger: pino({ level: "silent" }),
            agent: createOfflineAgent(),
            dataDir,
            buildPaceMs: PACE_MS,
            testHooks: { beforeBuildStep: () => gate },
          }),
      },
    );
  } finally {
    release();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function concurrency(provider: Provider, rounds: Round[] = [{ clients: 10, builds: 1 }, { clients: 1000, builds: 100 }]) {
  const limit = openFileLimit();
  const out: Record<string, unknown> = { openFileLimit: limit };
  // Node raises its soft open-file limit to the hard one at start (libuv), so what a shell in
  // this process reports is what the sockets get; a lower hard limit needs root to raise.
  if (limit < 2048) console.log(`(open-file limit is ${limit}: 1,000 sockets need over 1,000 per process; raise the hard limit, e.g. \`ulimit -Hn 4096\` as root)`);
  const rows: Record<string, string | number>[] = [];
  for (const round_ of rounds) {
    const r = await measure(provider, round_);
    out[`clients_${round_.clients}`] = r;
    rows.push({
      clients: r.clients,
      builds: r.builds,
      "latency p50 / p95 / p99 ms": `${round(r.latency.p50)} / ${round(r.latency.p95)} / ${round(r.latency.p99)}`,
      delivered: r.messagesDelivered,
      "exact clients": `${r.clientsExact}/${r.clients}`,
      errors: r.errors,
      "builds failed": r.buildsNotSucceeded,
      "server RSS MB (before → peak)": `${r.rssBeforeMB} → ${r.rssPeakMB}`,
    });
  }
  const base = out.clients_10 as { latency: { p99: number } } | undefined;
  const big = out.clients_1000 as { latency: { p99: number } } | undefined;
  if (base && big) out.p99Ratio = round(big.latency.p99 / base.latency.p99);
  printTable(`[${provider}] concurrency (persist → client latency; 1,000 vs 10 clients p99 ratio = ${out.p99Ratio}; open-file limit ${limit})`, rows);
  return out;
}
