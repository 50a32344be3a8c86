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

  it("honours the test-only delays only with TABFLOW_TEST_FIXTURES=1, and refuses them without it", () => {
    assert.equal(loadConfig({}).testDelays, undefined);
    assert.throws(() => loadConfig({ TEST_DELAY_SESSION_CREATE_MS: "500" }), (err: unknown) => err instanceof ConfigError && /TABFLOW_TEST_FIXTURES=1/.test(err.message));
    assert.deepEqual(loadConfig({ TABFLOW_TEST_FIXTURES: "1", TEST_DELAY_SESSION_CREATE_MS: "500", TEST_DELAY_SESSION_JOIN_MS: "250" }).testDelays, { sessionCreateMs: 500, sessionJoinMs: 250 });
    assert.equal(loadConfig({ TABFLOW_TEST_FIXTURES: "1" }).testDelays, undefined);
  });

  it("needs TABFLOW_SECRET in production only when BETTER_AUTH_URL names a non-local host", () => {
    const prodPublic = { NODE_ENV: "production", BETTER_AUTH_URL: "https://tabflow.example.com" };
    assert.throws(
      () => loadConfig(prodPublic),
      (err: unknown) => err instanceof ConfigError && /^Invalid configuration: TABFLOW_SECRET is required in production/.test(err.message),
    );
    const withSecret = loadConfig({ ...prodPublic, TABFLOW_SECRET: "s".repeat(40) });
    assert.deepEqual(withSecret.auth, { baseURL: "https://tabflow.example.com", trustedOrigins: [] });
    // npm start on a laptop: production mode, no URL or a loopback one, generated secret.
    assert.equal(loadConfig({ NODE_ENV: "production" }).secret, undefined);
    assert.equal(loadConfig({ NODE_ENV: "production", BETTER_AUTH_URL: "http://localhost:3000/" }).auth.baseURL, "http://localhost:3000");
    assert.equal(loadConfig({ NODE_ENV: "development", BETTER_AUTH_URL: "https://tabflow.example.com" }).auth.baseURL, "https://tabflow.example.com");
    assert.deepEqual(loadConfig({ TRUSTED_ORIGINS: "https://a.example.com, http://b.example.com:8080" }).auth.trustedOrigins, ["https://a.example.com", "http://b.example.com:8080"]);
  });

  for (const [name, value] of [
    ["BETTER_AUTH_URL", "not a url"],
    ["BETTER_AUTH_URL", "https://x.example.com/path"],
    ["TRUSTED_ORIGINS", "https://ok.example.com,javascript:alert(1)"],
  ] as const) {
    it(`refuses ${name}=${value} with one line naming the variable`, () => {
      assert.throws(() => loadConfig({ [name]: value }), (err: unknown) => err instanceof ConfigError && err.message.startsWith(`Invalid configuration: ${name} `));
    });
  }
});
