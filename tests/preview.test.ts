/**
 * Live previews (issue 15, part 5) against the real server.ts: a succeeded Build's project is
 * started in the sandbox behind its own port; only the owner gets in (on every request), the
 * app gets none of Tabflow's cookies or environment, forms and redirects work, one preview per
 * user (opening another stops the oldest), it stops after PREVIEW_IDLE_MS without requests and
 * when the server stops. Until the generated project is a real app, the project folder is
 * replaced by a clearly named test fixture (tests/fixtures/preview-app) — same code path.
 */
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { connectAs, signUp } from "./helpers/auth.ts";
import { eventually, must, startBuildThrough } from "./helpers/cluster.ts";
import { ROOT, startServerProcess, type ServerProcess } from "./helpers/server-process.ts";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { loopbackStartScript } from "../lib/workflows/build/preview-manager.ts";
import { withoutTabflowCookies } from "../lib/workflows/build/preview-proxy.ts";

const FIXTURE = path.join(ROOT, "tests", "fixtures", "preview-app");
const IDLE_MS = 4000;

describe("preview units", () => {
  it("makes next start listen on loopback only (it ignores HOSTNAME and would bind every interface)", () => {
    assert.equal(loopbackStartScript("next start", 4100), "next start -H 127.0.0.1 -p 4100");
    assert.equal(loopbackStartScript("node scripts/migrate.mjs && next start", 4100), "node scripts/migrate.mjs && next start -H 127.0.0.1 -p 4100");
    assert.equal(loopbackStartScript("node server.js", 4100), "node server.js", "other servers get HOSTNAME and PORT in their environment");
  });

  it("takes Tabflow's cookies out of what reaches the app", () => {
    assert.equal(withoutTabflowCookies("tabflow.session_token=abc.def; theme=dark; __Secure-tabflow.session_data=x"), "theme=dark");
    assert.equal(withoutTabflowCookies("tabflow.session_token=abc"), undefined);
    assert.equal(withoutTabflowCookies(undefined), undefined);
  });
});

describe("live previews through server.ts", () => {
  let server: ServerProcess;
  let dataDir: string;
  let owner: { cookie: string };
  let mallory: { cookie: string };
  let socket: TabflowSocket;
  const builds: string[] = [];

  const api = (id: string, method: "GET" | "POST" | "DELETE", cookie: string | undefined, origin: string | null = server.url) =>
    fetch(`${server.url}/api/builds/${id}/preview`, { method, headers: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) } });
  const open = async (id: string) => {
    const res = await api(id, "POST", owner.cookie);
    const body = (await res.json()) as { running: boolean; port: number };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.running, true);
    return body.port;
  };
  const status = async (id: string) => (await (await api(id, "GET", owner.cookie)).json()) as { running: boolean; port?: number };
  const viaPreview = (port: number, p: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${port}${p}`, { redirect: "manual", ...init });
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  /** The project folder the Build left, with the fixture app put in its place. */
  function useFixture(buildId: string): string {
    const attempt = path.join(dataDir, "builds", buildId, "attempt-1");
    const slug = readdirSync(attempt).find((n) => !n.endsWith(".zip") && statSync(path.join(attempt, n)).isDirectory())!;
    const dir = path.join(attempt, slug);
    for (const f of ["package.json", "server.js"]) copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
    return dir;
  }

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-preview-"));
    chmodSync(dataDir, 0o755); // the sandbox's unprivileged user must reach the project folder
    server = await startServerProcess({ DATA_DIR: dataDir, BUILD_PACE_MS: "0", PREVIEW_IDLE_MS: String(IDLE_MS), PREVIEW_MAX_PER_USER: "1", LOG_LEVEL: "info" });
    owner = await signUp(server.url);
    mallory = await signUp(server.url);
    socket = await connectAs(server.url, owner.cookie);
    for (const text of ["A blog where authors write posts with a title and body.", "A recipe app where cooks share recipes with a title and cooking time."]) {
      const { buildId } = await startBuildThrough(socket, text);
      await eventually(async () => (await must(socket, "session:join", { sessionId: buildId, afterSeq: 0 })).session.run.state === "succeeded", "the build to succeed", 120_000);
      builds.push(buildId);
      useFixture(buildId);
    }
  });
  after(async () => {
    socket?.close();
    await server?.stop("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts for its owner only, checked on every request, with typed errors for everyone else", async () => {
    const [first] = builds as [string];
    const stolen = await api(first, "POST", mallory.cookie);
    assert.equal(stolen.status, 404);
    assert.equal(((await stolen.json()) as { error: { code: string } }).error.code, "not_found");
    const foreign = await api(first, "POST", owner.cookie, "http://127.0.0.1:1");
    assert.equal(foreign.status, 403, "a POST from another origin (e.g. a preview's own page) is refused");
    assert.equal((await api(first, "POST", undefined)).status, 401);

    const port = await open(first);
    assert.equal(await open(first), port, "opening it again returns the running preview");
    const page = await viaPreview(port, "/", { headers: { cookie: owner.cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Rows<\/h1>/);
    assert.match(page.headers.get("content-security-policy") ?? "", /^frame-ancestors .*http:\/\/127\.0\.0\.1:\d+/);

    const anonymous = await viaPreview(port, "/");
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, "unauthorized");
    const other = await viaPreview(port, "/style.css", { headers: { cookie: mallory.cookie } });
    assert.equal(other.status, 404, "another user's request gets the 404 of no preview, for assets too");
    assert.equal(((await other.json()) as { error: { code: string } }).error.code, "not_found");
  });

  it("lets the owner use the app for real: assets, a form that creates a row, the redirect back", async () => {
    const port = await open(builds[0]!);
    const css = await viaPreview(port, "/style.css", { headers: { cookie: owner.cookie } });
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type") ?? "", /text\/css/);
    const created = await viaPreview(port, "/rows", {
      method: "POST",
      headers: { cookie: owner.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "name=Ada+Lovelace",
    });
    assert.equal(created.status, 303);
    assert.equal(created.headers.get("location"), "/");
    assert.match(await (await viaPreview(port, "/", { headers: { cookie: owner.cookie } })).text(), /<td>Ada Lovelace<\/td>/);
  });

  it("gives the app none of Tabflow's cookies or environment, and keeps it from setting Tabflow's cookie", async () => {
    const port = await open(builds[0]!);
    const res = await viaPreview(port, "/probe", { headers: { cookie: `${owner.cookie}; theme=dark` } });
    const probe = (await res.json()) as { cookie: string | null; env: string[]; pid: number; uid: number };
    assert.equal(probe.cookie, "theme=dark", "the Tabflow session cookie is taken out before the app sees the request");
    for (const secret of ["TABFLOW_SECRET", "DATABASE_URL", "DATA_DIR", "REDIS_URL", "AGENT_API_KEY", "BETTER_AUTH_URL"]) assert.ok(!probe.env.includes(secret), `${secret} is not in the app's environment`);
    if (process.getuid?.() === 0) assert.equal(probe.uid, 65534, "as root, the app runs as an unprivileged user");
    const setCookies = res.headers.getSetCookie();
    assert.ok(setCookies.some((c) => c.startsWith("fixture=1")), setCookies.join(" | "));
    assert.ok(!setCookies.some((c) => c.startsWith("tabflow.")), "a cookie under Tabflow's name from the app is dropped");
  });

  it("runs one preview per user: opening another stops the oldest", async () => {
    const [first, second] = builds as [string, string];
    const firstPort = await open(first);
    const pid = ((await (await viaPreview(firstPort, "/probe", { headers: { cookie: owner.cookie } })).json()) as { pid: number }).pid;
    const secondPort = await open(second);
    assert.notEqual(secondPort, firstPort);
    assert.equal((await status(first)).running, false, "the older preview was stopped");
    assert.equal((await status(second)).running, true);
    await eventually(() => !alive(pid), "the older preview's app to exit");
    await assert.rejects(viaPreview(firstPort, "/", { headers: { cookie: owner.cookie } }), "its port no longer answers");
  });

  it("stops after PREVIEW_IDLE_MS without requests, and the next Open starts it again", async () => {
    const [, second] = builds as [string, string];
    const port = await open(second);
    const pid = ((await (await viaPreview(port, "/probe", { headers: { cookie: owner.cookie } })).json()) as { pid: number }).pid;
    await eventually(async () => !(await status(second)).running, "the idle preview to stop", IDLE_MS * 10);
    await eventually(() => !alive(pid), "the idle preview's app to exit");
    const again = await open(second);
    assert.equal((await viaPreview(again, "/", { headers: { cookie: owner.cookie } })).status, 200);
  });

  it("says clearly when the project folder is not on this server", async () => {
    const [first] = builds as [string];
    await api(first, "DELETE", owner.cookie);
    const attempt = path.join(dataDir, "builds", first, "attempt-1");
    for (const n of readdirSync(attempt)) if (!n.endsWith(".zip")) rmSync(path.join(attempt, n), { recursive: true, force: true });
    const res = await api(first, "POST", owner.cookie);
    assert.equal(res.status, 409);
    const body = (await res.json()) as { error: { code: string; reason: string; message: string } };
    assert.equal(body.error.code, "blocked");
    assert.equal(body.error.reason, "project_missing");
    assert.match(body.error.message, /not on this server/);
    // The download does not depend on the folder: it comes from the database.
    const zip = await fetch(`${server.url}/api/builds/${first}/download`, { headers: { cookie: owner.cookie } });
    assert.equal(zip.status, 200);
  });

  // Last: it stops the server.
  it("stops with the server (SIGTERM): the app process goes with it", async () => {
    const [, second] = builds as [string, string];
    const port = await open(second);
    const pid = ((await (await viaPreview(port, "/probe", { headers: { cookie: owner.cookie } })).json()) as { pid: number }).pid;
    assert.ok(alive(pid));
    socket.close();
    assert.equal(await server.stop("SIGTERM"), 0);
    await eventually(() => !alive(pid), "the preview's app to stop with the server", 15_000);
  });
});
