/** Keeps the two databases honest: one source schema, and migrations that match it. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import pg from "pg";
import type { DatabaseConfig } from "../lib/config.ts";
import { openDatabase } from "../lib/db/client.ts";
import { migrate, MIGRATIONS_ROOT, readMigrations } from "../lib/db/migrate.ts";
import { createStore } from "../lib/store/index.ts";
import { postgresSkipReason, TEST_PG_URL } from "./helpers/databases.ts";
import { derivedPath, derivePgSchema, sourcePath } from "../scripts/derive-pg-schema.ts";

describe("schemas and migrations", () => {
  it("prisma/postgresql/schema.prisma is derived from prisma/schema.prisma (run npm run db:schema:pg)", () => {
    assert.equal(readFileSync(derivedPath, "utf8"), derivePgSchema(readFileSync(sourcePath, "utf8")));
  });

  it("the newest migrations were made from the current schema (run npm run db:migration:new -- <name>)", () => {
    const snapshot = readFileSync(path.join(MIGRATIONS_ROOT, "schema.snapshot.prisma"), "utf8");
    assert.equal(snapshot, readFileSync(sourcePath, "utf8"));
  });

  it("both providers have the same migrations, in the same order", () => {
    const names = (p: "sqlite" | "postgresql") => readMigrations(p).map((m) => m.name);
    assert.deepEqual(names("sqlite"), names("postgresql"));
    assert.ok(names("sqlite").length >= 1);
  });

});

describe("upgrading an existing database", () => {
  for (const provider of ["sqlite", "postgresql"] as const) {
    it(`keeps sessions, messages and artifacts through every later migration (${provider})`, async (t) => {
      if (provider === "postgresql") {
        const reason = await postgresSkipReason();
        if (reason) return t.skip(reason);
      }
      const first = readMigrations(provider)[0]!;
      const partial = mkdtempSync(path.join(tmpdir(), "tabflow-mig-"));
      mkdirSync(path.join(partial, provider, first.name), { recursive: true });
      writeFileSync(path.join(partial, provider, first.name, "migration.sql"), first.sql);
      const config: DatabaseConfig =
        provider === "sqlite"
          ? { provider, file: path.join(partial, "db.sqlite") }
          : { provider, url: TEST_PG_URL, schema: `upgrade_${process.pid}_${Date.now() % 100000}` };
      try {
        await migrate(config, partial);
        const now = new Date().toISOString();
        const rows = [
          `INSERT INTO "WorkflowSession" ("id","enterpriseId","appId","userId","workflowName","title","status","lastSeq","updatedAt") VALUES ('s1','e','a','u','generator','Old','IN_PROGRESS',1,'${now}')`,
          `INSERT INTO "Message" ("sessionId","seq","role","kind","content") VALUES ('s1',1,'user','text','{"text":"kept"}')`,
          `INSERT INTO "ArtifactInstance" ("id","enterpriseId","appId","userId","type","title","state","updatedAt") VALUES ('a1','e','a','u','notes','N','{}','${now}')`,
          `INSERT INTO "SessionArtifact" ("sessionId","artifactId") VALUES ('s1','a1')`,
        ];
        const exec = await sqlRunner(config);
        for (const sql of rows) await exec(sql);
        await exec.close();
        const result = await migrate(config);
        assert.equal(result.applied.length, readMigrations(provider).length - 1);
        const t2 = await openDatabase(config);
        try {
          const store = createStore(t2);
          const scope = { enterpriseId: "e", appId: "a", userId: "u" };
          const page = await store.listMessages(scope, "s1");
          assert.deepEqual(page.messages.map((m) => m.content), [{ text: "kept" }]);
          assert.deepEqual((await store.listSessionArtifacts(scope, "s1")).map((a) => a.id), ["a1"]);
          // Rows from before history and search existed: the artifact's state is its first
          // version, and the session is found by its title and by the user's message.
          assert.deepEqual((await store.listArtifactHistory(scope, "a1")).versions.map((v) => v.version), [1]);
          assert.deepEqual((await store.searchSessions(scope, { query: "ol" })).map((h) => h.session.id), ["s1"]);
          assert.deepEqual((await store.searchSessions(scope, { query: "kep" })).map((h) => h.session.id), ["s1"]);
        } finally {
          await t2.close();
        }
      } finally {
        if (config.provider === "postgresql") {
          const exec = await sqlRunner({ ...config, schema: "public" });
          await exec(`DROP SCHEMA IF EXISTS "${config.schema}" CASCADE`);
          await exec.close();
        }
        rmSync(partial, { recursive: true, force: true });
      }
    });
  }
});

/** Raw SQL for setting up old-shape rows (the store only speaks the newest shape). */
async function sqlRunner(config: DatabaseConfig): Promise<((sql: string) => Promise<void>) & { close(): Promise<void> }> {
  if (config.provider === "sqlite") {
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(config.file);
    return Object.assign(async (sql: string) => void db.exec(sql), { close: async () => void db.close() });
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  await client.query(`SET search_path TO "${config.schema}"`);
  return Object.assign(async (sql: string) => void (await client.query(sql)), { close: () => client.end() });
}

describe("objects Prisma does not model", () => {
  // A later migration made by `prisma migrate diff` knows nothing of these: a SQLite table
  // rebuild drops the source table's triggers, so this fails until the migration re-creates them.
  const SQLITE_TRIGGERS = [
    "SearchDoc_ai",
    "SearchDoc_ad",
    "SearchDoc_au",
    "WorkflowSession_search_ai",
    "WorkflowSession_search_au",
    "WorkflowSession_search_ad",
    "Message_search_ai",
    "Message_search_ad",
    "ArtifactInstance_search_ai",
    "ArtifactInstance_search_au",
    "ArtifactInstance_search_ad",
  ];
  const PG_INDEXES = ["WorkflowSession_title_search_idx", "SessionSearch_words_idx", "ArtifactInstance_search_idx"];

  it("the search index and its triggers exist after every migration (sqlite)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tabflow-objects-"));
    try {
      const file = path.join(dir, "db.sqlite");
      await migrate({ provider: "sqlite", file });
      const { default: Sqlite } = await import("better-sqlite3");
      const db = new Sqlite(file, { readonly: true });
      try {
        const triggers = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
        assert.deepEqual(triggers, [...SQLITE_TRIGGERS].sort());
        const fts = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'SearchFts'`).get() as { sql: string } | undefined;
        assert.match(fts?.sql ?? "", /fts5/);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the search indexes exist after every migration (postgresql)", async (t) => {
    const reason = await postgresSkipReason();
    if (reason) return t.skip(reason);
    const schema = `objects_${process.pid}_${Date.now() % 100000}`;
    await migrate({ provider: "postgresql", url: TEST_PG_URL, schema });
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    try {
      const { rows } = await c.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = ANY($2)`, [schema, PG_INDEXES]);
      assert.deepEqual(rows.map((r) => r.indexname).sort(), [...PG_INDEXES].sort());
      assert.ok(rows.every((r) => /USING gin/.test(r.indexdef)), "GIN indexes");
    } finally {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => c.end());
    }
  });
});

describe("nodes starting together", { skip: await postgresSkipReason() }, () => {
  it("migrates a fresh PostgreSQL schema once when four nodes start at the same moment", async () => {
    const schema = `m_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
    const config: DatabaseConfig = { provider: "postgresql", url: TEST_PG_URL, schema };
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => migrate(config)));
      const applied = results.map((r) => r.applied.length);
      // Exactly one of them applied every migration; the others found them applied.
      assert.deepEqual([...applied].sort((a, b) => b - a), [results[0]!.total, 0, 0, 0]);
    } finally {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => c.end());
    }
  });
});
