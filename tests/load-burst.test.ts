/**
 * A flood into one session against the real server.ts (SQLite): a burst of 2,000 messages is
 * stored in full and answered by one coalesced agent turn (or a bounded few), /api/health
 * answers all along, and SIGTERM during a burst drains and exits 0, with every acknowledged
 * message stored and the session not left waiting for an answer that will never come.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import type { Ack, JoinResult, SessionDto } from "../lib/realtime/protocol.ts";
import { connectAs, signUp } from "./helpers/auth.ts";
import { startServerProcess, type ServerProcess } from "./helpers/server-process.ts";

const BURST = 2000;
const TEXT = "A recipe sharing app where cooks post recipes with ingredients and steps, and others comment and rate them";

function emit<T>(socket: TabflowSocket, event: string, payload: unknown): Promise<Ack<T>> {
  return (socket.timeout(120_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload).catch((err: Error) => ({
    ok: false as const,
    error: { code: "unavailable" as const, message: err.message },
  }));
}

async function ok<T>(socket: TabflowSocket, event: string, payload: unknown): Promise<T> {
  const ack = await emit<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Polls /api/health until stopped; every answer (or failure) is recorded. */
function watchHealth(url: string) {
  const results: Array<number | string> = [];
  let stop = false;
  const done = (async () => {
    while (!stop) {
      try {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
        results.push(res.status);
      } catch (err) {
        results.push((err as Error).name);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    results,
    async stop() {
      stop = true;
      await done;
      return results;
    },
  };
}

const limitsForAFlood = {
  // The flood itself must get through the per-socket and per-user limits to reach the queue.
  LIMIT_SOCKET_EVENTS_PER_SEC: "100000",
  LIMIT_USER_EVENTS_PER_SEC: "100000",
  LIMIT_USER_MESSAGES_PER_SEC: "100000",
  LIMIT_PENDING_PER_SESSION: "10000",
  // Long enough that arrival gaps on a loaded machine do not split the burst.
  AGENT_TURN_QUIET_MS: "500",
  AGENT_TURN_MAX_WAIT_MS: "60000",
};

describe("a burst of messages into one session", () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-burst-"));
  });
  after(async () => {
    await server?.stop("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores all 2,000, answers them in one coalesced turn, and health answers throughout", async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, ...limitsForAFlood });
    const user = await signUp(server.url);
    const socket = await connectAs(server.url, user.cookie);
    try {
      const gen = await ok<SessionDto>(socket, "session:create", { workflowName: "generator" });
      const joined = await ok<JoinResult>(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const before = joined.messages.length;
      const health = watchHealth(server.url);
      const acks = await Promise.all(
        Array.from({ length: BURST }, (_, i) => emit(socket, "message:send", { sessionId: gen.id, clientMessageId: `burst-${i}`, text: `${TEXT} (${i})` })),
      );
      assert.deepEqual(acks.filter((a) => !a.ok), [], "every message of the burst is stored");
      // The turn runs after the burst: wait for its answer, and for the session to leave "running".
      const lastSent = Math.max(...acks.map((a) => (a.ok ? (a.data as { seq: number }).seq : 0)));
      let summary: { run: { state: string } } | undefined;
      for (let i = 0; i < 900; i++) {
        const late = await ok<{ messages: Array<{ role: string }> }>(socket, "message:list", { sessionId: gen.id, afterSeq: lastSent, limit: 10 });
        const list = await ok<Array<{ id: string; run: { state: string } }>>(socket, "session:list", {});
        summary = list.find((s) => s.id === gen.id);
        if (late.messages.some((m) => m.role === "agent") && summary?.run.state !== "running") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const statuses = await health.stop();
      assert.notEqual(summary?.run.state, "running", "the agent answered");
      assert.ok(statuses.length > 0);
      assert.deepEqual(
        statuses.filter((s) => s !== 200),
        [],
        "every health check during the burst answered 200",
      );

      const all = await ok<JoinResult>(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const page = await ok<{ messages: Array<{ seq: number; role: string }>; hasMore: boolean; lastSeq: number }>(socket, "message:list", {
        sessionId: gen.id,
        afterSeq: before,
        limit: 500,
      });
      let messages = page.messages;
      let hasMore = page.hasMore;
      while (hasMore) {
        const next = await ok<typeof page>(socket, "message:list", { sessionId: gen.id, afterSeq: messages.at(-1)!.seq, limit: 500 });
        messages = messages.concat(next.messages);
        hasMore = next.hasMore;
      }
      const users = messages.filter((m) => m.role === "user").length;
      const replies = messages.filter((m) => m.role === "agent").length;
      assert.equal(users, BURST, "all 2,000 messages are stored");
      assert.ok(replies >= 1, "the burst was answered");
      assert.ok(replies <= 3, `one coalesced turn (or a bounded few), not one per message: ${replies} replies`);
      assert.ok(all.session.lastSeq >= before + BURST + 1);
    } finally {
      socket.close();
    }
  });

  it("SIGTERM during a burst drains and exits 0; acknowledged messages are stored and not left unanswered", async () => {
    server ??= await startServerProcess({ DATA_DIR: dataDir, ...limitsForAFlood });
    const user = await signUp(server.url);
    const socket = await connectAs(server.url, user.cookie);
    let gen: SessionDto;
    const acks: Array<Ack<unknown>> = [];
    try {
      gen = await ok<SessionDto>(socket, "session:create", { workflowName: "generator" });
      await ok<JoinResult>(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const sends = Array.from({ length: BURST }, (_, i) =>
        emit(socket, "message:send", { sessionId: gen.id, clientMessageId: `term-${i}`, text: `${TEXT} (${i})` }).then((a) => void acks.push(a)),
      );
      // Stop the server once part of the burst is stored, while the rest is still arriving.
      while (acks.filter((a) => a.ok).length < 200) await new Promise((r) => setTimeout(r, 10));
      const code = await server.stop("SIGTERM");
      assert.equal(code, 0, `a clean exit, not the forced one:\n${server.output().slice(-2000)}`);
      await Promise.all(sends);
    } finally {
      socket.close();
    }
    const stored = acks.filter((a) => a.ok).length;
    assert.ok(stored >= 200);
    for (const a of acks) if (!a.ok) assert.match(a.error.code, /^(unavailable|busy)$/, "refusals are typed");

    // The next start: every acknowledged message is there, and the session says what happened.
    server = await startServerProcess({ DATA_DIR: dataDir, ...limitsForAFlood });
    const again = await connectAs(server.url, (await signInAgain(server.url, user)).cookie);
    try {
      const joined = await ok<JoinResult>(again, "session:join", { sessionId: gen!.id, afterSeq: 0 });
      let seqs = joined.messages.filter((m) => m.role === "user").length;
      let hasMore = joined.hasMore;
      let after = joined.messages.at(-1)?.seq ?? 0;
      while (hasMore) {
        const next = await ok<{ messages: Array<{ seq: number; role: string }>; hasMore: boolean }>(again, "message:list", { sessionId: gen!.id, afterSeq: after, limit: 500 });
        seqs += next.messages.filter((m) => m.role === "user").length;
        hasMore = next.hasMore;
        after = next.messages.at(-1)?.seq ?? after;
      }
      assert.ok(seqs >= stored, `every acknowledged message is stored (${seqs} of ${stored})`);
      assert.notEqual(joined.session.run.state, "running", "no session is left waiting for an answer after the restart");
    } finally {
      again.close();
    }
  });
});

async function signInAgain(url: string, user: { email: string; password: string }) {
  const { signIn } = await import("./helpers/auth.ts");
  return signIn(url, user);
}
