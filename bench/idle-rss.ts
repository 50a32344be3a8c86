/**
 * Idle sessions cost the server nothing: the real server (server.ts, production build) started
 * on a database holding 0 and then 10,000 IN_PROGRESS sessions, no client connected; its
 * resident memory read from /proc once it has settled. Same run, same machine: the 0-session
 * start is the baseline.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Scope } from "../lib/store/index.ts";
import { createTestDatabase, TEST_PG_URL } from "../tests/helpers/databases.ts";
import { startServerProcess } from "../tests/helpers/server-process.ts";
import type { Provider } from "./stack.ts";
import { percentile } from "./stats.ts";

const owner: Scope = { enterpriseId: "bench", appId: "bench", userId: "idle-owner" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A database with `sessions` idle sessions, and the env that starts a server on it. */
async function seeded(provider: Provider, sessions: number) {
  const t = await createTestDatabase(provider);
  const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-bench-idle-"));
  for (let i = 0; i < sessions; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, sessions - i) }, (_, j) => t.store.createWorkflowSession(owner, { workflowName: "generator", title: `idle ${i + j}` })),
    );
  }
  const config = t.config;
  const env: Record<string, string> =
    config.provider === "sqlite"
      ? { DATABASE_URL: `file:${config.file}`, DATA_DIR: dataDir }
      : { DATABASE_URL: TEST_PG_URL, DATABASE_SCHEMA: config.schema, DATA_DIR: dataDir };
  await t.database.close();
  return {
    env,
    cleanup: async () => {
      await t.cleanup().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The settled RSS of one server start (median of 5 readings). */
async function serverRss(env: Record<string, string>): Promise<number> {
  const server = await startServerProcess(env);
  try {
    await sleep(3000); // start-up work (migrations check, recovery) settles
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(rssMB(server.child.pid!));
      await sleep(400);
    }
    return samples.sort((a, b) => a - b)[2]!;
  } finally {
    await server.stop("SIGTERM");
  }
}

/** Three starts on each database, alternating, so drift on the machine hits both alike. */
export async function idleServerRss(provider: Provider): Promise<{ rss0MB: number; rss10kMB: number; deltaMB: number; starts: number }> {
  const empty = await seeded(provider, 0);
  const full = await seeded(provider, 10_000);
  try {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 3; i++) {
      a.push(await serverRss(empty.env));
      b.push(await serverRss(full.env));
    }
    const rss0MB = percentile(a, 50);
    const rss10kMB = percentile(b, 50);
    return { rss0MB: Math.round(rss0MB * 10) / 10, rss10kMB: Math.round(rss10kMB * 10) / 10, deltaMB: Math.round((rss10kMB - rss0MB) * 10) / 10, starts: 6 };
  } finally {
    await empty.cleanup();
    await full.cleanup();
  }
}
