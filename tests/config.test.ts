import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ConfigError, describeDatabase, loadConfig } from "../lib/config.ts";

describe("configuration", () => {
  it("needs nothing set: port 3000 and the embedded database under ./data", () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.deepEqual(c.database, { provider: "sqlite", file: path.resolve("data", "tabflow.db") });
    assert.equal(c.logLevel, "info");
  });

  it("uses PostgreSQL when DATABASE_URL says so, and a SQLite file for file: URLs", () => {
    const pg = loadConfig({ DATABASE_URL: "postgresql://u:secret@db:5432/app", DATABASE_SCHEMA: "tenant_a" });
    assert.deepEqual(pg.database, { provider: "postgresql", url: "postgresql://u:secret@db:5432/app", schema: "tenant_a" });
    assert.doesNotMatch(describeDatabase(pg.database), /secret/, "passwords never reach the log");
    assert.equal(loadConfig({ DATABASE_URL: "file:/tmp/x.db" }).database.provider, "sqlite");
    assert.equal(loadConfig({ DATABASE_URL: "" }).database.provider, "sqlite");
  });

  for (const [name, value] of [
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["DATABASE_URL", "mysql://x"],
    ["DATABASE_SCHEMA", "Robert'); DROP"],
    ["NODE_ENV", "staging"],
  ] as const) {
    it(`refuses ${name}=${value} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.message.startsWith(`Invalid configuration: ${name} `) && !err.message.includes("\n"),
      );
    });
  }
});
