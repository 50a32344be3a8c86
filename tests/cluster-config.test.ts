/** Cluster mode's configuration and health answer (no PostgreSQL or Redis needed). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, describeRedis, loadConfig } from "../lib/config.ts";
import { TabflowError } from "../lib/errors.ts";
import { checkHealth } from "../lib/health.ts";

const PG = "postgresql://u:pw@db:5432/app";

describe("cluster configuration", () => {
  it("is off without REDIS_URL, and on with REDIS_URL and a PostgreSQL DATABASE_URL", () => {
    assert.equal(loadConfig({ DATABASE_URL: PG }).cluster, undefined);
    assert.deepEqual(loadConfig({ DATABASE_URL: PG, REDIS_URL: "redis://:secret@cache:6379/2" }).cluster, {
      redisUrl: "redis://:secret@cache:6379/2",
      prefix: "tabflow",
      lockMs: 10_000,
      stalledCheckMs: 5_000,
      maxStalled: 2,
      concurrency: 50,
    });
    const c = loadConfig({ DATABASE_URL: PG, REDIS_URL: "rediss://cache:6380", REDIS_PREFIX: "acme:prod", RUN_LOCK_MS: "3000", RUN_STALLED_CHECK_MS: "1000", RUN_MAX_STALLED: "0", RUN_CONCURRENCY: "4" });
    assert.deepEqual(c.cluster, { redisUrl: "rediss://cache:6380", prefix: "acme:prod", lockMs: 3000, stalledCheckMs: 1000, maxStalled: 0, concurrency: 4 });
    assert.doesNotMatch(describeRedis("redis://:secret@cache:6379/2"), /secret/, "passwords never reach the log");
  });

  for (const env of [{}, { DATABASE_URL: "file:/tmp/x.db" }]) {
    it(`refuses REDIS_URL on the embedded database (${JSON.stringify(env)}) with one line saying why`, () => {
      assert.throws(
        () => loadConfig({ ...env, REDIS_URL: "redis://127.0.0.1:6379" }),
        (err: unknown) => err instanceof ConfigError && /^Invalid configuration: REDIS_URL .*needs DATABASE_URL=postgresql/.test(err.message) && !err.message.includes("\n"),
      );
    });
  }

  for (const [name, value] of [
    ["REDIS_URL", "http://cache"],
    ["REDIS_PREFIX", "has space"],
    ["RUN_LOCK_MS", "10"],
    ["RUN_STALLED_CHECK_MS", "x"],
    ["RUN_MAX_STALLED", "-1"],
    ["RUN_CONCURRENCY", "0"],
  ] as const) {
    it(`refuses ${name}=${value} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig({ DATABASE_URL: PG, REDIS_URL: "redis://cache", [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.message.startsWith(`Invalid configuration: ${name} `) && !err.message.includes("\n"),
      );
    });
  }
});

describe("health in cluster mode", () => {
  const up = { ping: async () => {} };
  const down = { ping: async () => Promise.reject(new TabflowError("unavailable", "the database is unreachable")) };
  it("reports redis only in cluster mode", async () => {
    assert.deepEqual(await checkHealth(up), { httpStatus: 200, body: { status: "ok", db: "ok" } });
    assert.deepEqual(await checkHealth(up, { checkRedis: async () => {} }), { httpStatus: 200, body: { status: "ok", db: "ok", redis: "ok" } });
  });
  it("answers 503 naming what is unreachable", async () => {
    const noRedis = await checkHealth(up, { checkRedis: async () => Promise.reject(new Error("Redis connection is reconnecting")) });
    assert.equal(noRedis.httpStatus, 503);
    assert.deepEqual({ ...noRedis.body, reason: undefined }, { status: "unavailable", db: "ok", redis: "unreachable", reason: undefined });
    assert.match((noRedis.body as { reason: string }).reason, /^Redis is unreachable/);
    const noDb = await checkHealth(down, { checkRedis: async () => {} });
    assert.deepEqual(noDb, { httpStatus: 503, body: { status: "unavailable", db: "unreachable", redis: "ok", reason: "the database is unreachable" } });
  });
});
