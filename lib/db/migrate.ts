import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseConfig } from "../config.ts";

/**
 * Applies the versioned SQL files in prisma/migrations/<provider>/ that the database has
 * not seen yet, each in its own transaction, recorded in `_tabflow_migrations`.
 *
 * Why not `prisma migrate deploy`: through @prisma/adapter-pg 6.19 it fails on PostgreSQL
 * (prisma/orm#27403), and the CLI lingers for seconds after it. The files themselves are
 * authored by `prisma migrate diff` (npm run db:migration:new), so Prisma still owns the SQL.
 * Nodes starting together are serialised by a PostgreSQL advisory lock, or by SQLite's
 * write lock (BEGIN IMMEDIATE).
 */
export const MIGRATIONS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma/migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(provider: DatabaseConfig["provider"], root = MIGRATIONS_ROOT): Migration[] {
  const dir = path.join(root, provider);
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrateResult {
  applied: string[];
  total: number;
}

export async function migrate(config: DatabaseConfig, root = MIGRATIONS_ROOT): Promise<MigrateResult> {
  const migrations = readMigrations(config.provider, root);
  return config.provider === "sqlite" ? migrateSqlite(config.file, migrations) : migratePostgres(config, migrations);
}

function assertUnchanged(m: Migration, recorded: string | undefined): boolean {
  if (recorded === undefined) return false;
  if (recorded !== m.checksum) {
    throw new Error(`migration ${m.name} was edited after it was applied; add a new migration instead`);
  }
  return true;
}

async function migrateSqlite(file: string, migrations: Migration[]): Promise<MigrateResult> {
  mkdirSync(path.dirname(file), { recursive: true });
  const { default: Sqlite } = await import("better-sqlite3");
  const db = new Sqlite(file, { timeout: 10_000 });
  try {
    // WAL is persistent in the file: readers never block the writer (measured ~2.4x faster
    // inserts than the default journal in ../shared/DATABASES.md).
    db.pragma("journal_mode = WAL");
    db.exec(
      `CREATE TABLE IF NOT EXISTS "_tabflow_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`,
    );
    const applied: string[] = [];
    // Prisma's SQLite migrations rebuild tables (create new, copy, drop old, rename). With
    // foreign keys enforced, dropping the old parent table would cascade-delete its children,
    // and the PRAGMA inside the script is a no-op within our transaction: switch enforcement
    // off around the transaction and check integrity before committing instead.
    db.pragma("foreign_keys = OFF");
    const run = db.transaction(() => {
      const rows = db.prepare(`SELECT name, checksum FROM "_tabflow_migrations"`).all() as { name: string; checksum: string }[];
      const seen = new Map(rows.map((r) => [r.name, r.checksum]));
      for (const m of migrations) {
        if (assertUnchanged(m, seen.get(m.name))) continue;
        db.exec(m.sql);
        db.prepare(`INSERT INTO "_tabflow_migrations" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(
          m.name,
          m.checksum,
          new Date().toISOString(),
        );
        applied.push(m.name);
      }
      const violations = db.pragma("foreign_key_check") as unknown[];
      if (violations.length) throw new Error(`migrations would leave ${violations.length} broken foreign keys; nothing applied`);
    });
    run.immediate();
    db.pragma("foreign_keys = ON");
    return { applied, total: migrations.length };
  } finally {
    db.close();
  }
}

async function migratePostgres(
  config: Extract<DatabaseConfig, { provider: "postgresql" }>,
  migrations: Migration[],
): Promise<MigrateResult> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: config.url, connectionTimeoutMillis: 5000 });
  await client.connect();
  const schema = `"${config.schema}"`;
  try {
    // The lock comes first: two nodes running CREATE SCHEMA IF NOT EXISTS at the same moment
    // can both pass the "not exists" check, and the second then fails on pg_namespace's
    // unique index (seen when two nodes started together on a fresh database).
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`tabflow-migrate:${config.schema}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS "_tabflow_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_tabflow_migrations"`);
      const seen = new Map(rows.map((r) => [r.name, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        if (assertUnchanged(m, seen.get(m.name))) continue;
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(`INSERT INTO "_tabflow_migrations" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(m.name);
      }
      return { applied, total: migrations.length };
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`tabflow-migrate:${config.schema}`]);
    }
  } finally {
    await client.end();
  }
}
