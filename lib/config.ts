import path from "node:path";
import { z } from "zod";
import { limitsConfigFrom, limitsEnv, turnConfigFrom, type LimitsConfig, type TurnConfig } from "./limits/limits-config.ts";
import { agentConfigFrom, agentEnv, type AgentConfig } from "./workflows/agents/agent-config.ts";
import { defaultBuildConcurrency } from "./workflows/build/compile-queue.ts";

/**
 * The environment, validated once at start-up. A bad value stops the process with one
 * line naming the variable (see formatConfigError), not a stack trace later on.
 */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(3000),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^(postgres(ql)?:\/\/|file:)/.test(v), {
      message: "must start with postgresql://, postgres:// or file: (leave it unset for the embedded database)",
    }),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  /** Signs session cookies (Better Auth). Unset: a random one is created once and kept in DATA_DIR (local use only). */
  TABFLOW_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** The public URL the app is reached at (Better Auth's baseURL); https makes cookies Secure. */
  BETTER_AUTH_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^https?:\/\/[^/\s]+\/?$/.test(v), { message: "must be an origin such as https://tabflow.example.com" }),
  /** More origins whose pages may call the auth API and open sockets (comma-separated). */
  TRUSTED_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), { message: "must be a comma-separated list of origins such as https://a.example.com" }),
  /** Pause between a build's file steps (ms), so its progress can be followed. */
  BUILD_PACE_MS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(60_000, "must be at most 60000").default(150),
  /** How much of a generated project the Build checks: on (everything, in the sandbox), typecheck, or off (files only). */
  BUILD_VERIFY: z
    .enum(["on", "full", "typecheck", "off"], { error: "must be on, typecheck or off" })
    .default("on")
    .transform((v) => (v === "on" ? "full" : v)),
  /** How many builds run their heavy stage (install, typecheck, compile, start) at once on this node; unset: cores − 1, at least 1. */
  BUILD_CONCURRENCY: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(64, "must be at most 64").optional(),
  /** A live preview stops after this long (ms) without a request. */
  PREVIEW_IDLE_MS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1000, "must be at least 1000").max(86_400_000, "must be at most 86400000").default(600_000),
  /** How many live previews one user may run at once (opening one more stops their oldest). */
  PREVIEW_MAX_PER_USER: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20").default(1),
  ...agentEnv,
  /** Test fixtures on (e2e only): without it the TEST_* settings below are refused. */
  TABFLOW_TEST_FIXTURES: z.enum(["0", "1"], { error: "must be 0 or 1" }).default("0"),
  /** Test fixture: holds every session:create answer this long (ms), to test typing while a session starts. */
  TEST_DELAY_SESSION_CREATE_MS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(10_000, "must be at most 10000").default(0),
  /** Test fixture: holds every session:join answer this long (ms), to test typing while a session is joined. */
  TEST_DELAY_SESSION_JOIN_MS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(10_000, "must be at most 10000").default(0),
  ...limitsEnv,
  /** PostgreSQL schema to use (tests isolate themselves with their own). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, "must be a lower-case SQL identifier")
    .default("public"),
  /** Redis for scale-out: set with a PostgreSQL DATABASE_URL, the node runs in cluster mode. */
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^rediss?:\/\//.test(v), { message: "must start with redis:// or rediss://" }),
  /** Prefix of every Redis key and channel this install uses (several installs can share a Redis). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 letters, digits or _ . : -").default("tabflow"),
  /** Cluster runs: a run's lock lasts this long (ms) without renewal before another node may take it over. */
  RUN_LOCK_MS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1000, "must be at least 1000").max(600_000, "must be at most 600000").default(10_000),
  /** Cluster runs: how often (ms) each node looks for runs whose node stopped renewing their lock. */
  RUN_STALLED_CHECK_MS: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(500, "must be at least 500").max(600_000, "must be at most 600000").default(5_000),
  /** Cluster runs: how many times a run may lose its node before it is marked failed. */
  RUN_MAX_STALLED: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(100, "must be at most 100").default(2),
  /** Cluster runs: how many runs one node executes at once. */
  RUN_CONCURRENCY: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(50),
});

export type DatabaseConfig =
  | { provider: "sqlite"; file: string }
  | { provider: "postgresql"; url: string; schema: string };

export interface ClusterConfig {
  redisUrl: string;
  /** Namespaces Redis keys, pub/sub channels and the job queue. */
  prefix: string;
  lockMs: number;
  stalledCheckMs: number;
  maxStalled: number;
  concurrency: number;
}

export interface TestDelays {
  sessionCreateMs: number;
  sessionJoinMs: number;
}

export interface Config {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  database: DatabaseConfig;
  secret?: string;
  buildPaceMs: number;
  /** BUILD_VERIFY: how much of a generated project the Build's check runs. */
  buildVerify: "off" | "typecheck" | "full";
  /** Builds running their heavy stage at once on this node (BUILD_CONCURRENCY). */
  buildConcurrency: number;
  /** Live previews of built apps (PREVIEW_IDLE_MS, PREVIEW_MAX_PER_USER). */
  preview: { idleMs: number; maxPerUser: number };
  /** Set when REDIS_URL is: several nodes share PostgreSQL, Redis and the run queue. */
  cluster?: ClusterConfig;
  /** The Generator's agent: offline unless AGENT_MODEL (and friends) say otherwise. */
  agent: AgentConfig;
  /** Test fixtures only (TABFLOW_TEST_FIXTURES=1): delays injected before some answers. */
  testDelays?: TestDelays;
  /** Rate limits and quotas (lib/limits/limits-config.ts). */
  limits: LimitsConfig;
  /** How bursts of user messages become agent turns, and where the offline agent runs. */
  turns: TurnConfig;
  /** Accounts: the public origin (unset: taken from each request, local use) and extra trusted origins. */
  auth: { baseURL?: string; trustedOrigins: string[] };
}

/** Loopback hosts: a BETTER_AUTH_URL on one of these is a local install, not a deployment. */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const value = env[name];
    const shown = value === undefined ? "" : ` (got ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value)})`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  const agent = agentConfigFrom(e);
  if (typeof agent === "string") throw new ConfigError(`Invalid configuration: ${agent}`);
  const dataDir = path.resolve(e.DATA_DIR);
  let database: DatabaseConfig;
  if (e.DATABASE_URL?.startsWith("file:")) {
    database = { provider: "sqlite", file: path.resolve(e.DATABASE_URL.slice("file:".length)) };
  } else if (e.DATABASE_URL) {
    database = { provider: "postgresql", url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA };
  } else {
    database = { provider: "sqlite", file: path.join(dataDir, "tabflow.db") };
  }
  let cluster: ClusterConfig | undefined;
  if (e.REDIS_URL) {
    if (database.provider !== "postgresql") {
      throw new ConfigError(
        "Invalid configuration: REDIS_URL turns on cluster mode, which needs DATABASE_URL=postgresql://… that every node shares (the embedded SQLite database is one node's local file)",
      );
    }
    cluster = {
      redisUrl: e.REDIS_URL,
      prefix: e.REDIS_PREFIX,
      lockMs: e.RUN_LOCK_MS,
      stalledCheckMs: e.RUN_STALLED_CHECK_MS,
      maxStalled: e.RUN_MAX_STALLED,
      concurrency: e.RUN_CONCURRENCY,
    };
  }
  // The production rule: a deployment others reach (production with a non-local BETTER_AUTH_URL)
  // must be given its secret; a generated one is for local use (and would differ per node).
  const baseURL = e.BETTER_AUTH_URL?.replace(/\/$/, "");
  if (e.NODE_ENV === "production" && baseURL && !isLoopback(baseURL) && !e.TABFLOW_SECRET) {
    throw new ConfigError(`Invalid configuration: TABFLOW_SECRET is required in production when BETTER_AUTH_URL is not local (got ${JSON.stringify(baseURL)})`);
  }
  const delaysAsked = e.TEST_DELAY_SESSION_CREATE_MS > 0 || e.TEST_DELAY_SESSION_JOIN_MS > 0;
  if (delaysAsked && e.TABFLOW_TEST_FIXTURES !== "1") {
    throw new ConfigError("Invalid configuration: TEST_DELAY_SESSION_CREATE_MS / TEST_DELAY_SESSION_JOIN_MS are test fixtures; they need TABFLOW_TEST_FIXTURES=1");
  }
  const testDelays = delaysAsked ? { sessionCreateMs: e.TEST_DELAY_SESSION_CREATE_MS, sessionJoinMs: e.TEST_DELAY_SESSION_JOIN_MS } : undefined;
  return {
    env: e.NODE_ENV,
    testDelays,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    logLevel: e.LOG_LEVEL,
    database,
    secret: e.TABFLOW_SECRET,
    buildPaceMs: e.BUILD_PACE_MS,
    buildVerify: e.BUILD_VERIFY,
    buildConcurrency: e.BUILD_CONCURRENCY ?? defaultBuildConcurrency(),
    preview: { idleMs: e.PREVIEW_IDLE_MS, maxPerUser: e.PREVIEW_MAX_PER_USER },
    auth: { baseURL, trustedOrigins: e.TRUSTED_ORIGINS },
    cluster,
    agent,
    limits: limitsConfigFrom(e),
    turns: turnConfigFrom(e),
  };
}

/** Where a URL's password would be, print stars: configs get logged. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.provider === "sqlite") return `sqlite ${db.file}`;
  try {
    const u = new URL(db.url);
    if (u.password) u.password = "***";
    return `postgresql ${u.host}${u.pathname} (schema ${db.schema})`;
  } catch {
    return "postgresql (unparsable url)";
  }
}

export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "redis (unparsable url)";
  }
}
