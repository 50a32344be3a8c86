import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "../../lib/config.ts";
import { isWriteStatement, openDatabase, type Database } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { createStore, type Store } from "../../lib/store/index.ts";

/**
 * Test databases: a fresh SQLite file per call, or a fresh PostgreSQL schema per call on
 * TEST_DATABASE_URL (default: the local server these machines run). Each is migrated with
 * the app's own migration runner, and counts the SQL statements it executes.
 */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const PROVIDERS = ["sqlite", "postgresql"] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface TestDatabase {
  provider: Provider;
  config: DatabaseConfig;
  database: Database;
  store: Store;
  /** Every SQL statement run since the last reset. */
  statements: string[];
  writes(): string[];
  reset(): void;
  cleanup(): Promise<void>;
}

let pgProbe: Promise<string | undefined> | undefined;

/**
 * undefined when PostgreSQL is reachable; otherwise the reason to skip. Under CI=true an
 * unreachable PostgreSQL is an error, so CI can never skip these tests silently.
 */
export function postgresSkipReason(): Promise<string | undefined> {
  pgProbe ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return undefined;
    } catch (err) {
      const reason = `PostgreSQL at ${TEST_PG_URL} is unreachable (${(err as Error).message}); set TEST_DATABASE_URL to run these tests`;
      if (process.env.CI === "true") throw new Error(`CI=true and ${reason}`);
      return reason;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgProbe;
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  let config: DatabaseConfig;
  let dropSchema: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (provider === "sqlite") {
    dir = mkdtempSync(path.join(tmpdir(), "tabflow-test-"));
    config = { provider: "sqlite", file: path.join(dir, "test.db") };
  } else {
    const schema = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
    config = { provider: "postgresql", url: TEST_PG_URL, schema };
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    };
  }
  await migrate(config);
  const statements: string[] = [];
  const database = await openDatabase(config, { onQuery: (q) => statements.push(q.query) });
  return {
    provider,
    config,
    database,
    store: createStore(database),
    statements,
    writes: () => statements.filter(isWriteStatement),
    reset: () => {
      statements.length = 0;
    },
    cleanup: async () => {
      await database.close();
      await dropSchema?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
