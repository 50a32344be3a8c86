/**
 * The sandbox that runs generated code: an empty environment, its own folder, no way into
 * Tabflow's data folder (as the unprivileged user when Tabflow is root), time and memory limits
 * that take the whole process group, and servers on loopback.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { lockDownDataDir, prepareSandboxDir, runInSandbox, sandboxIdentity, startInSandbox } from "../lib/workflows/build/sandbox.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-sandbox-"));
const dbFile = path.join(dataDir, "tabflow.db");
const secretFile = path.join(dataDir, "secret");
const work = path.join(dataDir, "builds", "session-1", "attempt-1", "check");

describe("build sandbox", () => {
  mkdirSync(work, { recursive: true });
  writeFileSync(dbFile, "SQLite format 3\u0000 the-database-secret");
  writeFileSync(`${dbFile}-wal`, "the-wal-secret");
  writeFileSync(secretFile, "the-signing-secret");
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("gives the child an empty environment: none of Tabflow's secrets or connections", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { TABFLOW_SECRET: "s3cret-value-0123456789-0123456789", DATABASE_URL: "postgresql://u:pw@127.0.0.1/db", AGENT_API_KEY: "sk-agent", REDIS_URL: "redis://127.0.0.1:6379" });
    try {
      const r = await runInSandbox(process.execPath, ["-e", "console.log(JSON.stringify(process.env))"], { cwd: work, timeoutMs: 20_000, env: { EXTRA: "1" } });
      assert.equal(r.code, 0, r.stderr);
      const env = JSON.parse(r.stdout) as Record<string, string>;
      for (const key of Object.keys(env)) assert.ok(["PATH", "HOME", "TMPDIR", "NODE_ENV", "HOSTNAME", "NEXT_TELEMETRY_DISABLED", "NODE_OPTIONS", "EXTRA"].includes(key) || key.startsWith("npm_config_"), `unexpected ${key}`);
      assert.ok(!r.stdout.includes("s3cret") && !r.stdout.includes("sk-agent") && !r.stdout.includes("postgresql://") && !r.stdout.includes("redis://"));
      assert.equal(env.HOSTNAME, "127.0.0.1");
      assert.ok(env.HOME!.startsWith(work), env.HOME);
    } finally {
      process.env = saved;
    }
  });

  it("cannot open Tabflow's database, its secret, or list the data folder", { skip: sandboxIdentity() ? undefined : "Tabflow is not root here: the sandbox cannot switch to an unprivileged user (it logs that it is weaker)" }, async () => {
    await lockDownDataDir(dataDir);
    await prepareSandboxDir(work, dataDir);
    const probe = `
      const fs = require("node:fs");
      const out = {};
      for (const [k, p] of Object.entries(${JSON.stringify({ db: dbFile, wal: `${dbFile}-wal`, secret: secretFile })})) {
        try { out[k] = fs.readFileSync(p, "utf8"); } catch (e) { out[k] = e.code; }
      }
      try { out.list = fs.readdirSync(${JSON.stringify(dataDir)}); } catch (e) { out.list = e.code; }
      try { fs.writeFileSync(${JSON.stringify(path.join(dataDir, "planted"))}, "x"); out.write = "written"; } catch (e) { out.write = e.code; }
      try { fs.writeFileSync("own-file", "x"); out.own = "ok"; } catch (e) { out.own = e.code; }
      out.uid = process.getuid();
      console.log(JSON.stringify(out));`;
    const r = await runInSandbox(process.execPath, ["-e", probe], { cwd: work, timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out, { db: "EACCES", wal: "EACCES", secret: "EACCES", list: "EACCES", write: "EACCES", own: "ok", uid: sandboxIdentity()!.uid });
  });

  it("kills the whole process group at the time limit", async () => {
    const r = await runInSandbox("sh", ["-c", "sleep 30 & echo $!; wait"], { cwd: work, timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    const grandchild = Number(r.stdout.trim());
    assert.ok(grandchild > 0);
    // Gone, or a zombie waiting for its new parent to reap it: not running either way.
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${grandchild}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 20 && running(); i++) await new Promise((res) => setTimeout(res, 100));
    assert.equal(running(), false, "the background sleep went with it");
  });

  it("stops a child that goes over its memory limit (also outside the V8 heap)", async () => {
    const r = await runInSandbox(process.execPath, ["-e", "const keep = []; setInterval(() => { keep.push(Buffer.alloc(32 * 1024 * 1024, 1)); }, 50);"], { cwd: work, timeoutMs: 30_000, memoryMb: 200 });
    assert.equal(r.timedOut, false);
    assert.equal(r.outOfMemory, true);
  });

  it("starts a server on loopback, answers once ready, and stops it", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = await startInSandbox(process.execPath, ["-e", "require('node:http').createServer((q, s) => s.end('hi ' + process.env.PORT)).listen(Number(process.env.PORT), process.env.HOSTNAME)"], { cwd: work, port, timeoutMs: 20_000, readyPath: "/" });
    assert.equal(server.url, `http://127.0.0.1:${port}`);
    assert.equal(await (await fetch(server.url)).text(), `hi ${port}`);
    await server.stop();
    const exit = await server.exited;
    assert.ok(exit.signal || exit.code !== 0 || exit.code === 0);
    await assert.rejects(fetch(server.url));
  });
});
