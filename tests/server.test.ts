/**
 * The real server.ts as a user runs it: zero-config start on the embedded database, health,
 * sign-up and the page, Socket.IO on the same port, PostgreSQL, a database going away and coming back,
 * bad configuration, and graceful shutdown.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import { connectAs, refusedConnect, signUp, socketAs } from "./helpers/auth.ts";
import { postgresSkipReason, TEST_PG_URL } from "./helpers/databases.ts";
import { runServer, startServerProcess } from "./helpers/server-process.ts";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "tabflow-server-"));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("server.ts on the embedded database", () => {
  it("starts with no configuration, creates and migrates ./data, serves health, the page and Socket.IO, and stops on SIGTERM", async () => {
    const dataDir = path.join(tempDir(), "data");
    const server = await startServerProcess({ DATA_DIR: dataDir });
    try {
      assert.ok(existsSync(path.join(dataDir, "tabflow.db")), "the database file was created");
      assert.deepEqual(await health(server.url), { status: 200, body: { status: "ok", db: "ok" } });
      const signedOut = await fetch(server.url, { redirect: "manual" });
      assert.equal(signedOut.status, 307, "a signed-out visit is sent to sign in");
      assert.equal(signedOut.headers.get("location"), "/sign-in");
      assert.match(await (await fetch(`${server.url}/sign-in`)).text(), /Sign in/);
      const { cookie } = await signUp(server.url);
      const page = await fetch(server.url, { headers: { cookie } });
      assert.match(await page.text(), /role="tablist"[^>]*aria-label="Sessions"/);
      const socket = await connectAs(server.url, cookie);
      socket.close();
      const err = await refusedConnect(socketAs(server.url, undefined));
      assert.match(err.message, /sign in/, "a socket without the session cookie is refused");
      assert.equal(err.data?.reason, "missing");
    } finally {
      const code = await server.stop("SIGTERM");
      assert.equal(code, 0, server.output());
    }
    assert.match(server.output(), /"msg":"stopped"/);
  });

  it("keeps its data across restarts (migrations are applied once)", async () => {
    const dataDir = path.join(tempDir(), "data");
    const first = await startServerProcess({ DATA_DIR: dataDir });
    assert.match(first.output(), /applied database migrations/);
    assert.equal(await first.stop(), 0);
    const second = await startServerProcess({ DATA_DIR: dataDir });
    assert.doesNotMatch(second.output(), /applied database migrations/);
    assert.equal((await health(second.url)).status, 200);
    assert.equal(await second.stop("SIGINT"), 0);
  });

  it("stops with one line naming the variable when the configuration is bad", async () => {
    const { exited, output } = runServer({ PORT: "not-a-port" });
    assert.equal(await exited, 1);
    const lines = output().trim().split("\n");
    assert.equal(lines.length, 1, output());
    assert.match(lines[0]!, /^tabflow: Invalid configuration: PORT /);
  });
});

describe("server.ts on PostgreSQL", { skip: await postgresSkipReason() }, () => {
  it("migrates at start, answers 503 with a reason while the database is unreachable, and recovers without a restart", async () => {
    const dbName = `tabflow_health_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${dbName}`;
    const server = await startServerProcess({ DATABASE_URL: url.toString(), DATA_DIR: tempDir() });
    try {
      assert.match(server.output(), /applied database migrations/);
      assert.match(server.output(), /"database":"postgresql /);
      assert.deepEqual(await health(server.url), { status: 200, body: { status: "ok", db: "ok" } });
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
      const down = await health(server.url);
      assert.equal(down.status, 503);
      assert.equal(down.body.status, "unavailable");
      assert.equal(typeof down.body.reason, "string");
      assert.doesNotMatch(JSON.stringify(down.body), /at \w+ \(|SELECT/, "no stack traces or SQL in the answer");
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
      assert.equal((await health(server.url)).status, 200);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`).catch(() => {});
      assert.equal(await server.stop(), 0, server.output());
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it("refuses to start, with one clear line, when PostgreSQL cannot be reached", async () => {
    const { exited, output } = runServer({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" });
    assert.equal(await exited, 1);
    assert.match(output().trim(), /^tabflow: Cannot prepare the database \(postgresql 127\.0\.0\.1:1\/nowhere/);
  });
});
