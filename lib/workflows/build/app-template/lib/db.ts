import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { appSchema } from "./schema";
import { migrationStatements } from "./sql";
import { seedDatabase } from "./seed";

export type Db = Database.Database;

const MIGRATIONS: { id: string; statements: () => string[] }[] = [{ id: "001_initial", statements: () => migrationStatements(appSchema) }];

/** The database file: DATABASE_FILE, or ./data/app.db. */
export function databaseFile(): string {
  return path.resolve(process.env.DATABASE_FILE || path.join(process.cwd(), "data", "app.db"));
}

/** Opens a database, applies the migrations it lacks and, the first time, adds the seed rows. */
export function openDatabase(file: string, options: { seed?: boolean } = {}): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.exec(`CREATE TABLE IF NOT EXISTS "_migrations" ("id" TEXT PRIMARY KEY, "applied_at" TEXT NOT NULL)`);
  const applied = new Set((db.prepare(`SELECT "id" FROM "_migrations"`).all() as { id: string }[]).map((r) => r.id));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      for (const statement of migration.statements()) db.exec(statement);
      db.prepare(`INSERT INTO "_migrations" ("id", "applied_at") VALUES (?, ?)`).run(migration.id, new Date().toISOString());
    })();
  }
  if (options.seed !== false && !applied.has("seed")) {
    db.transaction(() => {
      seedDatabase(db);
      db.prepare(`INSERT INTO "_migrations" ("id", "applied_at") VALUES ('seed', ?)`).run(new Date().toISOString());
    })();
  }
  return db;
}

const cache = globalThis as unknown as { __appDb?: Db };

/** The app's database, opened once per process (Next bundles modules more than once: cache globally). */
export function getDb(): Db {
  cache.__appDb ??= openDatabase(databaseFile());
  return cache.__appDb;
}
