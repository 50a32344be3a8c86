/**
 * The attack matrix, against the real server process with real Better Auth accounts, on every
 * supported database. Users A and B are in two enterprises; C is in A's enterprise (and app).
 * A owns sessions, messages, artifacts and a finished build. For every socket event and HTTP
 * route that takes an id, B and C try A's ids; every attempt must get exactly the answer a
 * random unknown id gets (not_found / 404: nothing tells them the id exists), and afterwards
 * every table is byte-for-byte what it was. Then: forged, expired, signed-out and missing
 * cookies, a cookie from a foreign page, payloads naming another owner, oversize payloads. A's
 * own flows keep working throughout.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { unzipSync } from "fflate";
import pg from "pg";
import type { DatabaseConfig } from "../lib/config.ts";
import { createTabflowClient, TabflowClientError, type TabflowSocket } from "../lib/realtime/client.ts";
import type { Ack, RequestName } from "../lib/realtime/protocol.ts";
import { dumpDatabase, expireSessionsOf, moveUserIntoEnterpriseOf } from "./helpers/account-fixtures.ts";
import { authPost, connectAs, refusedConnect, signIn, signOut, signUp, socketAs, type SignedIn } from "./helpers/auth.ts";
import { postgresSkipReason, PROVIDERS, TEST_PG_URL, type Provider } from "./helpers/databases.ts";
import { ok, record, request, withTimeout } from "./helpers/realtime.ts";
import { startServerProcess, type ServerProcess } from "./helpers/server-process.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Matrix {
  attempts: number;
  refused: number;
  failures: string[];
}

async function startFor(provider: Provider): Promise<{ server: ServerProcess; db: DatabaseConfig; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-attack-"));
  dirs.push(dataDir);
  if (provider === "sqlite") {
    const server = await startServerProcess({ DATA_DIR: dataDir, BUILD_PACE_MS: "0" });
    return { server, db: { provider: "sqlite", file: path.join(dataDir, "tabflow.db") }, cleanup: async () => void (await server.stop()) };
  }
  const schema = `attack_${process.pid}_${randomBytes(4).toString("hex")}`;
  const server = await startServerProcess({ DATA_DIR: dataDir, BUILD_PACE_MS: "0", DATABASE_URL: TEST_PG_URL, DATABASE_SCHEMA: schema });
  return {
    server,
    db: { provider: "postgresql", url: TEST_PG_URL, schema },
    cleanup: async () => {
      await server.stop();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

/** A's world: sessions in every state, messages, both artifacts, a finished build. */
async function buildOwnerWorld(url: string, a: SignedIn) {
  const socket = await connectAs(url, a.cookie);
  const gen = await ok(socket, "session:create", { workflowName: "generator" });
  await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
  const artifacts = record(socket, "artifact:updated");
  const updates = record(socket, "session:updated");
  await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "describe", text: "A blog where authors write posts with a title and body, and readers comment on posts." });
  const [spec] = await artifacts.until((x) => x.some((u) => u.artifact.type === "app_spec"), "the app spec");
  const buildId = (await ok(socket, "artifact:action", { artifactId: spec!.artifact.id, action: "start_build", sessionId: gen.id })).sessionId!;
  await updates.until((u) => u.some((s) => s.id === buildId && s.status === "COMPLETED"), "the build to complete");
  const joinedBuild = await ok(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
  const report = joinedBuild.artifacts.find((x) => x.type !== "app_spec");
  assert.ok(report, "the build has a report artifact");
  const archived = await ok(socket, "session:create", { workflowName: "generator", title: "Archived one" });
  await ok(socket, "session:archive", { sessionId: archived.id });
  await ok(socket, "session:leave", { sessionId: buildId });
  socket.close();
  return { gen: gen.id, build: buildId, archived: archived.id, spec: spec!.artifact.id, report: report.id };
}

/** An answer with any echoed id replaced, so answers about different ids can be compared. */
const normalise = (answer: unknown, id: string) => JSON.stringify(answer).split(id).join("<id>");

for (const provider of PROVIDERS) {
  describe(`attack matrix on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    it("refuses every attempt on another user's ids like an unknown id, changes nothing, and keeps the owner's flows working", async () => {
      const { server, db, cleanup } = await startFor(provider);
      const url = server.url;
      const sockets: TabflowSocket[] = [];
      const m: Matrix = { attempts: 0, refused: 0, failures: [] };
      const tally = (name: string, refused: boolean, detail = "") => {
        m.attempts++;
        if (refused) m.refused++;
        else m.failures.push(`${name}${detail ? `: ${detail}` : ""}`);
      };
      try {
        const a = await signUp(url);
        const b = await signUp(url);
        const c = await signUp(url);
        const enterpriseOfA = await moveUserIntoEnterpriseOf(db, c.userId, a.userId);
        const world = await buildOwnerWorld(url, a);

        // A's download works (the baseline every refusal below is compared against).
        const own = await fetch(`${url}/api/builds/${world.build}/download`, { headers: { cookie: a.cookie } });
        assert.equal(own.status, 200);
        assert.ok(Object.keys(unzipSync(new Uint8Array(await own.arrayBuffer()))).some((f) => f.endsWith("/lib/app-schema.json")));

        const d = await signUp(url);
        assert.equal(await expireSessionsOf(db, d.userId), 1);
        const before = await dumpDatabase(db);
        const unknownSession = `unknown-${randomBytes(6).toString("hex")}`;
        const unknownArtifact = `unknown-${randomBytes(6).toString("hex")}`;
        const ownerFields = { userId: a.userId, enterpriseId: enterpriseOfA };

        for (const [who, intruder] of [["B (other enterprise)", b], ["C (A's enterprise)", c]] as const) {
          const socket = await connectAs(url, intruder.cookie);
          sockets.push(socket);
          const heard = [record(socket, "message:new"), record(socket, "session:updated"), record(socket, "artifact:updated")];
          const mine = await ok(socket, "session:create", { workflowName: "generator", title: "Intruder's own" });

          // [event, payload for a session/artifact id] for every request that takes an id.
          const bySession: [RequestName, (id: string) => Record<string, unknown>][] = [
            ["session:join", (id) => ({ sessionId: id, afterSeq: 0 })],
            ["message:list", (id) => ({ sessionId: id, afterSeq: 0 })],
            ["message:send", (id) => ({ sessionId: id, clientMessageId: `x-${randomBytes(4).toString("hex")}`, text: "let me in" })],
            ["session:complete", (id) => ({ sessionId: id })],
            ["session:archive", (id) => ({ sessionId: id })],
            ["session:unarchive", (id) => ({ sessionId: id })],
            ["run:stop", (id) => ({ sessionId: id })],
            ["artifact:action", (id) => ({ artifactId: world.spec, action: "start_build", sessionId: id })],
          ];
          const byArtifact: [RequestName, (id: string) => Record<string, unknown>][] = [
            ["artifact:action", (id) => ({ artifactId: id, action: "start_build", sessionId: world.gen })],
            ["artifact:action", (id) => ({ artifactId: id, action: "start_build", sessionId: mine.id })],
            ["artifact:action", (id) => ({ artifactId: id, action: "retry_build", sessionId: world.build })],
            ["artifact:action", (id) => ({ artifactId: id, action: "retry_build" })],
            ["artifact:history", (id) => ({ artifactId: id })],
            ["artifact:version", (id) => ({ artifactId: id, version: 1 })],
            ["artifact:restore", (id) => ({ artifactId: id, version: 1, expectedVersion: 1 })],
            ["artifact:restore", (id) => ({ artifactId: id, version: 1, expectedVersion: 2 })],
          ];
          const cases: [RequestName, (id: string) => Record<string, unknown>, string, string][] = [];
          for (const target of [world.gen, world.build, world.archived]) for (const [e, p] of bySession) cases.push([e, p, target, unknownSession]);
          for (const target of [world.spec, world.report]) for (const [e, p] of byArtifact) cases.push([e, p, target, unknownArtifact]);

          for (const [event, payload, target, unknown] of cases) {
            for (const extra of [{}, ownerFields]) {
              const name = `${who} ${event} ${target === world.spec || target === world.report ? "artifact" : "session"} ${extra === ownerFields ? "(with A's userId/enterpriseId in the payload)" : ""}`;
              const attack = (await request(socket, event, { ...payload(target), ...extra } as never)) as Ack<unknown>;
              const control = (await request(socket, event, { ...payload(unknown), ...extra } as never)) as Ack<unknown>;
              const refused = !attack.ok && attack.error.code === "not_found" && normalise(attack, target) === normalise(control, unknown);
              tally(name, refused, JSON.stringify(attack).slice(0, 200) + " vs " + JSON.stringify(control).slice(0, 200));
            }
          }

          // HTTP: the build download of each of A's sessions, and the unknown id's answer.
          const unknownAnswer = await fetch(`${url}/api/builds/${unknownSession}/download`, { headers: { cookie: intruder.cookie } });
          const unknownBody = await unknownAnswer.text();
          for (const target of [world.build, world.gen, world.archived]) {
            const res = await fetch(`${url}/api/builds/${target}/download`, { headers: { cookie: intruder.cookie } });
            const body = await res.text();
            tally(`${who} GET download`, res.status === 404 && unknownAnswer.status === 404 && body === unknownBody, `${res.status} ${body}`);
          }
          // HTTP: the live preview of each of A's sessions (status, open, stop), against the unknown id's answer.
          for (const method of ["GET", "POST", "DELETE"]) {
            const init = { method, headers: { cookie: intruder.cookie, origin: url } };
            const control = await fetch(`${url}/api/builds/${unknownSession}/preview`, init);
            const controlBody = await control.text();
            for (const target of [world.build, world.gen, world.archived]) {
              const res = await fetch(`${url}/api/builds/${target}/preview`, init);
              const body = await res.text();
              tally(`${who} ${method} preview`, res.status === 404 && control.status === 404 && body === controlBody, `${res.status} ${body}`);
            }
          }
          // Listing shows only their own session; they heard nothing of A's.
          const listed = await ok(socket, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] });
          assert.deepEqual(listed.map((s) => s.id), [mine.id], `${who} lists only their own session`);
          assert.deepEqual(heard.map((r) => r.items.filter((x) => ("id" in x ? x.id : x.sessionId) !== mine.id).length), [0, 0, 0], `${who} heard nothing of A's`);
          // Search finds none of A's sessions, by title, message or artifact words.
          for (const query of ["blog", "authors", "comment", "generator", "Archived", "posts"]) {
            const hits = await ok(socket, "session:search", { query });
            assert.deepEqual(hits.filter((h) => h.session.id !== mine.id), [], `${who} finds nothing of A's with "${query}"`);
          }
          // Their own session is theirs to use (nothing refused that should be allowed).
          await ok(socket, "session:complete", { sessionId: mine.id });
        }

        // --- Who the handshake and the HTTP routes refuse ------------------------------------------
        // The cookie is name=<token>.<HMAC of the token>, URL-encoded.
        const [cookieName, cookieValue] = [a.cookie.slice(0, a.cookie.indexOf("=")), decodeURIComponent(a.cookie.slice(a.cookie.indexOf("=") + 1))];
        const [token, signature] = [cookieValue.slice(0, cookieValue.indexOf(".")), cookieValue.slice(cookieValue.indexOf(".") + 1)];
        const cookieOf = (value: string) => `${cookieName}=${encodeURIComponent(value)}`;
        const forged = cookieOf(`${token}.${signature.slice(0, -8)}AAAAAAA=`);
        const unsigned = cookieOf(token);
        const otherTokenSameSig = cookieOf(`${randomBytes(16).toString("hex")}.${signature}`);
        const again = await signIn(url, { email: a.email, password: a.password });
        assert.equal((await signOut(url, again.cookie)).status, 200);
        const badCookies: [string, string | undefined, string][] = [
          ["missing cookie", undefined, "missing"],
          ["forged signature", forged, "invalid"],
          ["unsigned token", unsigned, "invalid"],
          ["another token with A's signature", otherTokenSameSig, "invalid"],
          ["expired session", d.cookie, "invalid"],
          ["signed-out session", again.cookie, "invalid"],
        ];
        for (const [name, cookie, reason] of badCookies) {
          const err = await refusedConnect(socketAs(url, cookie));
          tally(`handshake with ${name}`, err.data?.code === "unauthorized" && err.data.reason === reason, `${err.message} ${JSON.stringify(err.data)}`);
          const res = await fetch(`${url}/api/builds/${world.build}/download`, { headers: cookie ? { cookie } : {} });
          tally(`download with ${name}`, res.status === 401, String(res.status));
          const preview = await fetch(`${url}/api/builds/${world.build}/preview`, { method: "POST", headers: { origin: url, ...(cookie ? { cookie } : {}) } });
          tally(`preview with ${name}`, preview.status === 401, String(preview.status));
          const page = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: "manual" });
          tally(`workspace page with ${name}`, page.status === 307 && page.headers.get("location") === "/sign-in", String(page.status));
        }
        const foreign = await refusedConnect(socketAs(url, a.cookie, { extraHeaders: { cookie: a.cookie, origin: "http://evil.example" } }));
        tally("handshake with A's cookie from a foreign page", foreign.data?.reason === "foreign_origin", JSON.stringify(foreign.data));
        // CSRF: a state-changing auth request from a foreign page, with A's cookie.
        const csrf = await authPost(url, "/sign-out", {}, { cookie: a.cookie, origin: "http://evil.example" });
        tally("sign-out of A from a foreign page (CSRF)", csrf.status === 403, String(csrf.status));

        // --- Oversize payloads -----------------------------------------------------------------
        const big = await connectAs(url, b.cookie);
        sockets.push(big);
        const mineB = (await ok(big, "session:list", { statuses: ["COMPLETED"] }))[0]!;
        const tooLong = await request(big, "message:send", { sessionId: mineB.id, clientMessageId: "long", text: "x".repeat(30_000) });
        tally("a 30,000-character message", !tooLong.ok && tooLong.error.code === "invalid_payload", JSON.stringify(tooLong).slice(0, 200));
        const client = createTabflowClient(big);
        await client.show(mineB.id);
        const viaClient = await client.send("x".repeat(10 * 1024 * 1024)).then(
          () => "sent",
          (err: unknown) => (err instanceof TabflowClientError ? err.code : String(err)),
        );
        tally("a 10 MB message through the client library", viaClient === "invalid_payload", viaClient);
        client.dispose();
        const raw = await request(big, "message:send", { sessionId: mineB.id, clientMessageId: "huge", text: "z".repeat(10 * 1024 * 1024) });
        tally("a raw 10 MB socket message", !raw.ok && raw.error.code === "invalid_payload" && big.connected, JSON.stringify(raw).slice(0, 200));
        const dropped = new Promise<string>((resolve) => big.once("disconnect", (reason) => resolve(reason)));
        big.emit("message:send", { sessionId: mineB.id, clientMessageId: "huger", text: "z".repeat(17 * 1024 * 1024) }, () => {});
        const reason = await withTimeout(dropped, "the 17 MB frame to be refused");
        tally("a raw 17 MB socket frame (over the transport limit)", reason !== "io server disconnect" && !big.connected, reason);
        const bigBody = await fetch(`${url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: url },
          body: JSON.stringify({ email: a.email, password: "p".repeat(10 * 1024 * 1024) }),
        }).catch((err: Error) => ({ status: 0, err }));
        tally("a 10 MB HTTP body", bigBody.status === 413 || bigBody.status === 0, String(bigBody.status));

        // Nothing changed anywhere, apart from B's and C's own sessions: compare everything else
        // (A's extra sign-in above was signed out again, so it is gone too).
        const after = await dumpDatabase(db);
        const strip = (dump: string) => {
          const t = JSON.parse(dump) as Record<string, Record<string, unknown>[]>;
          const theirs = new Set([b.userId, c.userId]);
          const theirSessions = new Set(t.workflowSession!.filter((s) => theirs.has(String(s.userId))).map((s) => s.id));
          t.workflowSession = t.workflowSession!.filter((s) => !theirSessions.has(s.id));
          t.message = t.message!.filter((x) => !theirSessions.has(x.sessionId));
          // Presenting D's expired session makes Better Auth delete that (D's own) row.
          t.session = t.session!.filter((x) => x.userId !== d.userId);
          return t;
        };
        const [was, now] = [strip(before), strip(after)];
        for (const table of Object.keys(was)) {
          const changed = JSON.stringify(now[table]) !== JSON.stringify(was[table]);
          assert.ok(!changed, `table ${table} changed: ${JSON.stringify(now[table]).slice(0, 400)} … was ${JSON.stringify(was[table]).slice(0, 400)}`);
        }
        assert.equal(now.message!.length, was.message!.length, "no message was stored by any attempt");
        assert.equal((JSON.parse(after) as { session: { userId: string }[] }).session.filter((x) => x.userId === d.userId).length, 0, "the expired session was cleaned up");

        // A payload naming A as the owner creates nothing for A.
        const sly = await connectAs(url, b.cookie);
        sockets.push(sly);
        const created = await ok(sly, "session:create", { workflowName: "generator", title: "Sly", ...ownerFields } as never);
        const aSocket = await connectAs(url, a.cookie);
        sockets.push(aSocket);
        const aSees = await ok(aSocket, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] });
        tally("session:create naming A's userId/enterpriseId", !aSees.some((s) => s.id === created.id), "A sees B's session");

        // --- A's own flows still work ---------------------------------------------------------
        const joined = await ok(aSocket, "session:join", { sessionId: world.gen, afterSeq: 0 });
        assert.ok(joined.messages.length >= 2);
        await ok(aSocket, "message:send", { sessionId: world.gen, clientMessageId: "still-mine", text: "add a field rating to Post" });
        await ok(aSocket, "session:unarchive", { sessionId: world.archived });
        await ok(aSocket, "session:archive", { sessionId: world.archived });
        assert.equal((await fetch(`${url}/api/builds/${world.build}/download`, { headers: { cookie: a.cookie } })).status, 200);
        assert.deepEqual(aSees.map((s) => s.id).sort(), [world.gen, world.build, world.archived].sort());

        // Signing out disconnects the session's sockets at once.
        const second = await signIn(url, { email: a.email, password: a.password });
        const live = await connectAs(url, second.cookie);
        sockets.push(live);
        const ended = new Promise<string>((resolve) => live.once("disconnect", (r) => resolve(r)));
        assert.equal((await signOut(url, second.cookie)).status, 200);
        assert.equal(await withTimeout(ended, "the signed-out socket to be dropped"), "io server disconnect");
        assert.ok(aSocket.connected, "A's other session's socket stays");

        console.log(`attack matrix on ${provider}: ${m.attempts} attempts, ${m.refused} refused`);
        assert.deepEqual(m.failures, [], "every attempt was refused");
        assert.equal(m.refused, m.attempts);
        assert.ok(m.attempts >= 100, `the matrix is as large as designed (${m.attempts})`);
      } finally {
        for (const s of sockets) s.close();
        await cleanup();
      }
    });
  });
}
