/**
 * Several real server.ts processes in cluster mode: one PostgreSQL schema and one Redis key
 * prefix per cluster (so parallel runs and other users of the shared Redis never collide),
 * a shared TABFLOW_SECRET, one DATA_DIR per node. Also used by bench/ (startCluster).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { io as connectSocket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import type { TabflowSocket } from "../../lib/realtime/client.ts";
import { freeLoopbackPort } from "../../lib/workflows/build/sandbox.ts";
import { newCredentials, signUp } from "./auth.ts";
import { TEST_PG_URL } from "./databases.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let redisProbe: Promise<string | undefined> | undefined;

/** undefined when Redis answers; otherwise the reason to skip (an error under CI=true). */
export function redisSkipReason(): Promise<string | undefined> {
  redisProbe ??= (async () => {
    const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.ping();
      return undefined;
    } catch (err) {
      const reason = `Redis at ${TEST_REDIS_URL} is unreachable (${(err as Error).message}); set TEST_REDIS_URL to run these tests`;
      if (process.env.CI === "true") throw new Error(`CI=true and ${reason}`);
      return reason;
    } finally {
      client.disconnect();
    }
  })();
  return redisProbe;
}

export interface ClusterOptions {
  /** Extra env for every node (BUILD_PACE_MS, RUN_LOCK_MS, …). */
  env?: Record<string, string>;
  /** Default TEST_REDIS_URL. */
  redisUrl?: string;
  /** A whole PostgreSQL URL (e.g. a dedicated database); default: a fresh schema on TEST_PG_URL. */
  databaseUrl?: string;
}

export interface TestCluster {
  nodes: ServerProcess[];
  prefix: string;
  schema: string;
  secret: string;
  /** The env every node gets (without PORT / DATA_DIR). */
  env: Record<string, string>;
  /** Starts one more node of this cluster (its own DATA_DIR). */
  addNode(extraEnv?: Record<string, string>): Promise<ServerProcess>;
  /** Stops every node still running (SIGTERM), drops the schema and deletes the prefix's Redis keys. */
  cleanup(): Promise<void>;
}

/**
 * Starts `count` nodes against one PostgreSQL schema and one Redis prefix, all at once (the
 * migration runner's advisory lock lets exactly one of them apply the migrations).
 */
export async function startCluster(count = 2, options: ClusterOptions = {}): Promise<TestCluster> {
  const id = randomBytes(4).toString("hex");
  const prefix = `tftest-${process.pid}-${id}`;
  const schema = `c_${process.pid}_${id}`;
  const secret = randomBytes(32).toString("base64url");
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl ?? TEST_PG_URL,
    DATABASE_SCHEMA: options.databaseUrl ? "public" : schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TABFLOW_SECRET: secret,
    LOG_LEVEL: "info",
    ...options.env,
  };
  const dirs: string[] = [];
  const nodes: ServerProcess[] = [];
  const started: Promise<ServerProcess>[] = [];
  const addNode = async (extraEnv: Record<string, string> = {}) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-node-"));
    dirs.push(dataDir);
    const starting = startServerProcess({ ...env, DATA_DIR: dataDir, ...extraEnv });
    started.push(starting);
    const node = await starting;
    nodes.push(node);
    return node;
  };
  const cleanup = async () => {
    await Promise.allSettled(started);
    await Promise.all(nodes.map((n) => n.stop("SIGTERM")));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (!options.databaseUrl) {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => c.end());
    }
    await deleteRedisPrefix(redisUrl, prefix).catch(() => {});
  };
  try {
    // Together: the migration runner serialises them with an advisory lock.
    const all = await Promise.all(Array.from({ length: count }, () => addNode()));
    nodes.splice(0, nodes.length, ...all); // in start order: nodes[0] is "node A"
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { nodes, prefix, schema, secret, env, addNode, cleanup };
}

/** Deletes this prefix's keys only (never FLUSHALL: the Redis is shared). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/**
 * THE one place tests and benchmarks get credentials for user N against a running cluster:
 * user N signs up (Better Auth, through `node`'s auth API) the first time it is asked for in
 * this cluster; later calls return the same session cookie, valid on every node (sessions are
 * in the shared database, cookies signed with the shared TABFLOW_SECRET).
 */
const accounts = new Map<string, Promise<{ cookie: string; userId: string }>>();
export async function credentialsFor(cluster: Pick<TestCluster, "secret">, node: Pick<ServerProcess, "url">, user: number | string = 1): Promise<{ cookie: string; userId: string }> {
  const label = typeof user === "number" ? `user-${user}` : user;
  const key = `${cluster.secret}:${label}`;
  let account = accounts.get(key);
  if (!account) {
    account = signUp(node.url, newCredentials(label)).then(({ cookie, userId }) => ({ cookie, userId }));
    accounts.set(key, account);
  }
  return account;
}

/** A socket to one node with those credentials (WebSocket transport: no sticky sessions needed). */
export function clusterSocket(node: Pick<ServerProcess, "url">, cookie: string, options: Partial<ManagerOptions & SocketOptions> = {}): TabflowSocket {
  return connectSocket(node.url, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true, ...options }) as TabflowSocket;
}

/** A private redis-server (no persistence) a test may kill and restart; never the shared one. */
export interface OwnRedis {
  url: string;
  port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnRedis(port?: number): Promise<OwnRedis> {
  const p = port ?? (await freeLoopbackPort());
  let child: ChildProcess | undefined;
  const start = async () => {
    const c = spawn("redis-server", ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 15_000);
      c.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${out}`));
      });
    });
  };
  const stop = async (signal: NodeJS.Signals = "SIGKILL") => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
    c.kill(signal);
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${p}`, port: p, stop, start };
}

/** Polls `check` until it returns a value other than undefined/false; the timeout is only a failure guard. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type AckOf<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** A request that must succeed (long guard: nodes share 2 busy cores in CI). */
export async function must<T = any>(socket: TabflowSocket, event: string, payload: unknown): Promise<T> {
  const ack = (await (socket.timeout(30_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<AckOf<T>> }).emitWithAck(event, payload));
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Every stored message of a session, read page by page through `message:list`. */
export async function storedMessages(socket: TabflowSocket, sessionId: string): Promise<{ seq: number; kind: string; role: string; content: Record<string, unknown> }[]> {
  const all: { seq: number; kind: string; role: string; content: Record<string, unknown> }[] = [];
  for (;;) {
    const page = await must<{ messages: typeof all; hasMore: boolean }>(socket, "message:list", { sessionId, afterSeq: all.at(-1)?.seq ?? 0, limit: 500 });
    all.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return all;
  }
}

export const APP_DESCRIPTION = "A blog where authors write posts with a title and body, and readers comment on posts.";

/**
 * Generator session → description → spec → Start Build, through `socket`. Returns the Build's
 * session id (its job is queued; any node may run it).
 */
export async function startBuildThrough(socket: TabflowSocket, description = APP_DESCRIPTION): Promise<{ generatorId: string; buildId: string }> {
  const gen = await must<{ id: string }>(socket, "session:create", { workflowName: "generator" });
  const specs: { artifact: { id: string; type: string } }[] = [];
  const onArtifact = (a: { sessionId: string; artifact: { id: string; type: string } }) => {
    if (a.sessionId === gen.id) specs.push(a);
  };
  socket.on("artifact:updated", onArtifact as never);
  try {
    await must(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
    await must(socket, "message:send", { sessionId: gen.id, clientMessageId: `describe-${randomBytes(3).toString("hex")}`, text: description });
    const spec = await eventually(() => specs.find((s) => s.artifact.type === "app_spec"), "the app spec");
    const { sessionId } = await must<{ sessionId: string }>(socket, "artifact:action", { artifactId: spec.artifact.id, action: "start_build" });
    return { generatorId: gen.id, buildId: sessionId };
  } finally {
    socket.off("artifact:updated", onArtifact as never);
  }
}

/** Which node logged that it runs this session's job (its latest pick-up), if any. */
export function nodeRunning(nodes: ServerProcess[], sessionId: string): ServerProcess | undefined {
  return nodes.find((n) => n.output().includes(`"sessionId":"${sessionId}"`) && new RegExp(`"sessionId":"${sessionId}"[^\\n]*running a queued run on this node`).test(n.output()));
}
