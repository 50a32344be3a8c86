import { mkdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseConfig } from "../config.ts";
import { PrismaClient as SqlitePrismaClient } from "../../generated/sqlite/client.ts";

/**
 * The Prisma client type the store is written against. Both generated clients come from
 * the same models (prisma/postgresql/schema.prisma is derived from prisma/schema.prisma),
 * so the PostgreSQL client has the same shape and is used through this type.
 */
export type Db = InstanceType<typeof SqlitePrismaClient>;

export type QueryListener = (event: { query: string; durationMs: number }) => void;

export interface Database {
  prisma: Db;
  provider: DatabaseConfig["provider"];
  config: DatabaseConfig;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Called once per SQL statement (used by tests and benchmarks to count writes). */
  onQuery?: QueryListener;
}

/** Opens a Prisma client on the configured database. Migrations are separate (migrate.ts). */
export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  const log = options.onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  let prisma: Db;
  if (config.provider === "sqlite") {
    mkdirSync(path.dirname(config.file), { recursive: true });
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    // timeout: how long a writer waits for another process's lock before SQLITE_BUSY.
    const adapter = new PrismaBetterSQLite3({ url: `file:${config.file}`, timeout: 5000 });
    prisma = new SqlitePrismaClient({ adapter, log });
  } else {
    const [{ PrismaPg }, { PrismaClient: PgPrismaClient }] = await Promise.all([
      import("@prisma/adapter-pg"),
      import("../../generated/postgresql/client.ts"),
    ]);
    const adapter = new PrismaPg(
      { connectionString: config.url, connectionTimeoutMillis: 5000, max: 10 },
      { schema: config.schema },
    );
    prisma = new PgPrismaClient({ adapter, log }) as unknown as Db;
  }
  if (options.onQuery) {
    const listener = options.onQuery;
    (prisma as unknown as { $on(e: "query", cb: (ev: { query: string; duration: number }) => void): void }).$on(
      "query",
      (ev) => listener({ query: ev.query, durationMs: ev.duration }),
    );
  }
  return {
    prisma,
    provider: config.provider,
    config,
    close: () => prisma.$disconnect(),
  };
}

const WRITE_STATEMENT = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;

/** True for statements that change data or schema (what "a switch writes nothing" counts). */
export function isWriteStatement(sql: string): boolean {
  return WRITE_STATEMENT.test(sql);
}
