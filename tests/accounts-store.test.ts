/**
 * The account side of the store (scope per user, live sign-in sessions) on every database, and
 * the socket session watch: sockets whose sign-in session expired or vanished are dropped by
 * one periodic pass, sign-out drops a session's sockets at once, the rest stay.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { watchAuthSessions } from "../lib/auth/socket-auth.ts";
import type { SocketAuthenticator } from "../lib/realtime/authenticate.ts";
import { createSocketServer } from "../lib/realtime/socket-server.ts";
import type { Store } from "../lib/store/index.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";
import { socketAs } from "./helpers/auth.ts";
import { withTimeout } from "./helpers/realtime.ts";

async function addUser(t: TestDatabase, id: string): Promise<void> {
  await t.database.prisma.user.create({ data: { id, name: id, email: `${id}@example.test` } });
}

for (const provider of PROVIDERS) {
  describe(`accounts in the store on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    before(async () => void (t = await createTestDatabase(provider)));
    after(() => t?.cleanup());

    it("gives each user their own enterprise and default app, once, even when asked concurrently", async () => {
      await addUser(t, "u1");
      await addUser(t, "u2");
      const scopes = await Promise.all([1, 2, 3, 4].map(() => t.store.ensureAccountScope({ id: "u1", email: "u1@example.test" })));
      assert.equal(new Set(scopes.map((s) => JSON.stringify(s))).size, 1, "every call got the same scope");
      const [s1] = scopes;
      assert.equal(s1!.userId, "u1");
      assert.deepEqual(await t.store.getAccountScope("u1"), s1);
      assert.equal(await t.database.prisma.enterprise.count(), 1);
      assert.equal(await t.database.prisma.app.count({ where: { isDefault: true } }), 1);
      const s2 = await t.store.ensureAccountScope({ id: "u2" });
      assert.notEqual(s2.enterpriseId, s1!.enterpriseId);
      assert.notEqual(s2.appId, s1!.appId);
      await assert.rejects(t.store.getAccountScope("nobody"), (err: { code?: string }) => err.code === "not_found");
      await assert.rejects(t.store.ensureAccountScope({ id: "" }), (err: { code?: string }) => err.code === "invalid_payload");
    });

    it("tells live sign-in sessions from expired and unknown ones", async () => {
      await addUser(t, "u3");
      const soon = new Date(Date.now() + 60_000);
      await t.database.prisma.session.create({ data: { id: "live", token: "tok-live", userId: "u3", expiresAt: soon } });
      await t.database.prisma.session.create({ data: { id: "old", token: "tok-old", userId: "u3", expiresAt: new Date(Date.now() - 1000) } });
      assert.deepEqual([...(await t.store.liveAuthSessions(["live", "old", "ghost", "live"]))], ["live"]);
      assert.deepEqual([...(await t.store.liveAuthSessions([]))], []);
    });
  });
}

describe("the socket session watch", () => {
  it("drops sockets of ended sessions (one periodic pass, or at once on sign-out) and keeps the rest", async () => {
    const expiresAt = new Map<string, Date>([
      ["s-live", new Date(Date.now() + 60_000)],
      ["s-expired", new Date(Date.now() + 60_000)],
      ["s-revoked", new Date(Date.now() + 60_000)],
      ["s-signed-out", new Date(Date.now() + 60_000)],
    ]);
    // The handshake names its session in the cookie (a fixture authenticator for this test).
    const authenticate: SocketAuthenticator = async ({ headers }) => {
      const id = /sid=([\w-]+)/.exec(headers.cookie ?? "")?.[1];
      if (!id || !expiresAt.has(id)) return { ok: false, reason: "invalid", message: "no such session" };
      return { ok: true, scope: { enterpriseId: "e", appId: "a", userId: id }, session: { id, expiresAt: expiresAt.get(id)! } };
    };
    const live = new Set(["s-live", "s-expired", "s-signed-out"]);
    const store = { liveAuthSessions: async (ids: string[]) => new Set(ids.filter((id) => live.has(id))) } as unknown as Store;
    const http = createServer();
    const logger = pino({ level: "silent" });
    const io = createSocketServer(http, { store, logger, authenticate });
    const watch = watchAuthSessions(io, store, logger, 60_000);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const sockets = new Map<string, ReturnType<typeof socketAs>>();
    try {
      for (const id of expiresAt.keys()) {
        const s = socketAs(url, `sid=${id}`);
        await withTimeout(new Promise((resolve, reject) => (s.once("connect", () => resolve(undefined)), s.once("connect_error", reject))), id);
        sockets.set(id, s);
      }
      const reasons = new Map<string, string>();
      for (const [id, s] of sockets) s.on("disconnect", (r) => reasons.set(id, r));
      const ended = (ids: string[]) => withTimeout((async () => { while (!ids.every((id) => reasons.has(id))) await new Promise((r) => setTimeout(r, 10)); })(), ids.join());

      watch.sessionEnded("s-signed-out");
      await ended(["s-signed-out"]);
      assert.deepEqual([...reasons.keys()], ["s-signed-out"], "sign-out drops only that session's sockets");

      // s-expired's socket was opened with an expiry that has now passed; s-revoked's row is gone.
      for (const s of io.of("/").sockets.values()) if (s.data.authSession?.id === "s-expired") s.data.authSession.expiresAt = new Date(Date.now() - 1);
      await watch.check();
      await ended(["s-expired", "s-revoked"]);
      assert.deepEqual([...reasons.values()], ["io server disconnect", "io server disconnect", "io server disconnect"]);
      assert.ok(sockets.get("s-live")!.connected, "the live session's socket stays");
    } finally {
      watch.stop();
      for (const s of sockets.values()) s.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    }
  });
});
