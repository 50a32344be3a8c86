/**
 * The realtime layer with real Socket.IO clients against a real server on port 0, on every
 * supported database (PostgreSQL skipped with a reason when unreachable, failed under CI=true):
 * join and replay, switching, reconnects and gaps, several clients, sending.
 * Waits resolve on events; their timeouts only turn a hang into a failure.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTabflowClient, type TabflowSocket } from "../lib/realtime/client.ts";
import type { MessageDto, RequestPayload } from "../lib/realtime/protocol.ts";
import type { Scope } from "../lib/store/index.ts";
import { postgresSkipReason, PROVIDERS } from "./helpers/databases.ts";
import { barrier, countAckedMessages, ok, record, request, seededRandom, send, useRealtimeFixture, waitForState, withTimeout } from "./helpers/realtime.ts";

const alice: Scope = { enterpriseId: "acme", appId: "app-1", userId: "alice" };
const PAGE = 25;

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const seqs = (messages: readonly MessageDto[]) => messages.map((m) => m.seq);
const texts = (messages: readonly { content: Record<string, unknown> }[]) => messages.map((m) => m.content.text);

/** Everything a join with `afterSeq` hands over, following hasMore with message:list. */
async function readAll(socket: TabflowSocket, sessionId: string, afterSeq: number) {
  const joined = await ok(socket, "session:join", { sessionId, afterSeq });
  const messages = [...joined.messages];
  let pages = 1;
  for (let more = joined.hasMore; more; pages++) {
    const page = await ok(socket, "message:list", { sessionId, afterSeq: messages.at(-1)!.seq });
    messages.push(...page.messages);
    more = page.hasMore;
  }
  return { ...joined, messages, pages };
}

for (const provider of PROVIDERS) {
  describe(`realtime sessions on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    const f = useRealtimeFixture(provider, { pageSize: PAGE });
    const { newSession, addMessages, storedMessages } = f;

    // --- Join: the one resume path -------------------------------------------------------

    it("joins a new and an existing session with full history, and re-joins with exactly what follows afterSeq", async () => {
      const { t, h } = f;
      const socket = await h.connect(alice);
      const fresh = await ok(socket, "session:create", { workflowName: "generator", title: "Fresh" });
      assert.equal(fresh.status, "IN_PROGRESS");
      const joinedFresh = await ok(socket, "session:join", { sessionId: fresh.id, afterSeq: 0 });
      assert.deepEqual([joinedFresh.session.id, joinedFresh.messages, joinedFresh.hasMore, joinedFresh.artifacts], [fresh.id, [], false, []]);

      const n = PAGE * 2 + 10;
      const old = await newSession(alice, "Old", n);
      const artifact = await t.store.createArtifactInstance(alice, { type: "notes", title: "Notes", state: { a: 1 }, createdBySessionId: old.id });
      await t.store.attachArtifactToSession(alice, old.id, artifact.id);

      const full = await readAll(socket, old.id, 0);
      assert.deepEqual(seqs(full.messages), range(1, n));
      assert.deepEqual(texts(full.messages), range(1, n).map((i) => `m${i}`));
      assert.equal(full.pages, 3, "a join carries one page; the rest comes with message:list");
      assert.equal(full.session.lastSeq, n);
      assert.deepEqual(
        full.artifacts.map((a) => [a.id, a.title, a.version, a.state]),
        [[artifact.id, "Notes", 1, { a: 1 }]],
      );
      assert.equal(typeof full.messages[0]!.createdAt, "string", "dates travel as ISO strings");
      assert.equal(new Date(full.session.lastActivityAt).toISOString(), full.session.lastActivityAt);

      for (const k of [1, PAGE, 42, n - 1, n, n + 5]) {
        assert.deepEqual(seqs((await readAll(socket, old.id, k)).messages), range(k + 1, n), `afterSeq=${k}`);
      }
    });

    it("joins completed and archived sessions read-only", async () => {
      const { t, h } = f;
      const socket = await h.connect(alice);
      const done = await newSession(alice, "Done", 2);
      await t.store.completeWorkflowSession(alice, done.id);
      const shelved = await newSession(alice, "Shelved", 1);
      await t.store.archiveWorkflowSession(alice, shelved.id);
      const rows = await t.store.countRows();

      for (const [s, status, count] of [[done, "COMPLETED", 2], [shelved, "ARCHIVED", 1]] as const) {
        const joined = await ok(socket, "session:join", { sessionId: s.id, afterSeq: 0 });
        assert.equal(joined.session.status, status);
        assert.equal(joined.messages.length, count);
        const sent = await send(socket, s.id, "too late");
        assert.deepEqual(sent.ok ? "ok" : sent.error.code, "session_closed");
      }
      assert.deepEqual(await t.store.countRows(), rows);
    });

    it("views one session per socket: joining another or leaving stops its messages, summaries keep coming", async () => {
      const { h } = f;
      const socket = await h.connect(alice);
      const a = await newSession(alice, "A");
      const b = await newSession(alice, "B");
      const news = record(socket, "message:new");
      const updates = record(socket, "session:updated");
      await ok(socket, "session:join", { sessionId: a.id, afterSeq: 0 });
      await ok(socket, "session:join", { sessionId: b.id, afterSeq: 0 });

      await h.publisher.appendMessage(alice, a.id, { role: "agent", kind: "text", content: { text: "to A" } });
      await h.publisher.appendMessage(alice, b.id, { role: "agent", kind: "text", content: { text: "to B" } });
      await updates.until((u) => u.some((x) => x.id === b.id && x.lastSeq === 1));
      await barrier(socket);
      assert.deepEqual(news.items.map((m) => [m.sessionId, m.seq]), [[b.id, 1]]);
      assert.ok(updates.items.some((u) => u.id === a.id && u.lastSeq === 1), "a summary for the session not viewed");

      await ok(socket, "session:leave", { sessionId: b.id });
      await h.publisher.appendMessage(alice, b.id, { role: "agent", kind: "text", content: { text: "after leave" } });
      await updates.until((u) => u.some((x) => x.id === b.id && x.lastSeq === 2));
      await barrier(socket);
      assert.equal(news.items.length, 1);

      // Requests sent back to back: the later one decides what the socket views.
      const [overtaken, latest] = await Promise.all([
        request(socket, "session:join", { sessionId: a.id, afterSeq: 1 }),
        request(socket, "session:join", { sessionId: b.id, afterSeq: 2 }),
      ]);
      assert.deepEqual([overtaken.ok ? "ok" : overtaken.error.code, latest.ok], ["conflict", true]);
      const [cancelled, left] = await Promise.all([
        request(socket, "session:join", { sessionId: a.id, afterSeq: 1 }),
        request(socket, "session:leave", { sessionId: a.id }),
      ]);
      assert.deepEqual([cancelled.ok ? "ok" : cancelled.error.code, left.ok], ["conflict", true]);
      await h.publisher.appendMessage(alice, a.id, { role: "agent", kind: "text", content: { text: "A again" } });
      await h.publisher.appendMessage(alice, b.id, { role: "agent", kind: "text", content: { text: "B again" } });
      await updates.until((u) => u.some((x) => x.id === b.id && x.lastSeq === 3));
      await barrier(socket);
      assert.deepEqual(news.items.slice(1).map((m) => [m.sessionId, m.seq]), [[b.id, 3]], "still viewing B only");
    });

    // --- Switching writes nothing and reads only deltas ----------------------------------

    it("makes 100 switches among 5 sessions with zero writes, reading only the messages not yet held", async () => {
      const { t, h, reads } = f;
      const sizes = [0, 3, PAGE + 5, PAGE * 2 + 10, 7];
      const sessions = [];
      for (const [i, size] of sizes.entries()) sessions.push(await newSession(alice, `Switch ${i}`, size));
      const ids = sessions.map((s) => s.id);
      const lastSeq = new Map(ids.map((id, i) => [id, sizes[i]!]));
      const held = new Map(ids.map((id) => [id, 0]));

      const socket = await h.connect(alice);
      const acked = countAckedMessages(socket);
      const client = createTabflowClient(socket);
      await client.listSessions();
      const random = seededRandom(42);
      const pick = () => ids[Math.floor(random() * ids.length)]!;
      const writes: string[] = [];
      let current: string | undefined;

      for (let i = 0; i < 100; i++) {
        if (i % 10 === 9) {
          // Messages keep arriving between switches: live for the shown session, later for others.
          const target = pick();
          for (let j = 0; j < 3; j++) {
            await h.publisher.appendMessage(alice, target, { role: "agent", kind: "progress", content: { text: `live ${i}.${j}` } });
          }
          lastSeq.set(target, lastSeq.get(target)! + 3);
          if (target === current) {
            await waitForState(client, (s) => s.current?.messages.length === lastSeq.get(target));
            held.set(target, lastSeq.get(target)!);
          }
        }
        let next = pick();
        while (next === current) next = pick();
        const [readsBefore, ackedBefore] = [reads.messages, acked.messages];
        t.reset();
        await client.show(next);
        writes.push(...t.writes());
        const delta = lastSeq.get(next)! - held.get(next)!;
        assert.equal(reads.messages - readsBefore, delta, `switch ${i}: messages read from the database`);
        assert.equal(acked.messages - ackedBefore, delta, `switch ${i}: messages received in acks`);
        const shown = client.getState().current!.messages;
        assert.deepEqual(seqs(shown), range(1, lastSeq.get(next)!), `switch ${i}: the shown session is complete`);
        held.set(next, lastSeq.get(next)!);
        current = next;
      }
      assert.deepEqual(writes, [], "a switch writes nothing");
      for (const id of ids) {
        await client.show(id);
        assert.deepEqual(client.getState().current!.messages.map((m) => [m.seq, m.content]), (await storedMessages(alice, id)).map((m) => [m.seq, m.content]));
      }
      client.dispose();
    });

    // --- Offline, reconnect, gaps --------------------------------------------------------

    it("group-commits appends made without waiting: every viewer gets each once, in call order; a bad one fails alone", async () => {
      const { t, h } = f;
      const s = await newSession(alice, "Group commit");
      const [a, b] = [await h.connect(alice), await h.connect(alice)];
      for (const c of [a, b]) await ok(c, "session:join", { sessionId: s.id, afterSeq: 0 });
      const seen = [record(a, "message:new"), record(b, "message:new")];
      const N = 300;
      t.statements.length = 0;
      const results = await Promise.allSettled(
        Array.from({ length: N }, (_, i) =>
          h.publisher.appendMessage(alice, s.id, {
            role: "agent",
            kind: "progress",
            // One message the store refuses, in the middle of a run of good ones.
            content: { text: i === 150 ? "bad\u0000" : `chunk ${i}` },
          }),
        ),
      );
      assert.equal(results[150]!.status, "rejected");
      const stored = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.message] : []));
      assert.equal(stored.length, N - 1);
      // Call order is seq order, 1..N-1 with no gap.
      assert.deepEqual(stored.map((m) => m.seq), Array.from({ length: N - 1 }, (_, i) => i + 1));
      assert.deepEqual(stored.map((m) => (m.content as { text: string }).text), Array.from({ length: N }, (_, i) => `chunk ${i}`).filter((_, i) => i !== 150));
      // Far fewer transactions than messages (the first append is written alone, the rest in batches).
      const commits = t.statements.filter((q) => /^COMMIT/i.test(q)).length;
      assert.ok(commits < N / 3, `expected batched commits, got ${commits} for ${N} messages`);
      for (const r of seen) {
        const got = await withTimeout(r.until((xs) => xs.length >= N - 1), "all broadcasts");
        assert.deepEqual(got.map((m) => m.seq), stored.map((m) => m.seq));
      }
      assert.deepEqual((await storedMessages(alice, s.id)).map((m) => m.seq), stored.map((m) => m.seq));
    });

    it("brings a client that was offline while messages kept arriving to exactly the stored sequence", async () => {
      const { h } = f;
      const s = await newSession(alice, "Offline", 5);
      const viewer = await h.connect(alice);
      const acked = countAckedMessages(viewer);
      const client = createTabflowClient(viewer);
      await client.show(s.id);
      const other = await h.connect(alice);
      await ok(other, "session:join", { sessionId: s.id, afterSeq: 5 });
      const seenByOther = record(other, "message:new");

      viewer.disconnect();
      await waitForState(client, (st) => !st.connected, "the viewer to go offline");
      for (let i = 0; i < 3; i++) assert.ok((await send(other, s.id, `while away ${i}`)).ok);
      for (let i = 0; i < 4; i++) await h.publisher.appendMessage(alice, s.id, { role: "agent", kind: "text", content: { text: `workflow ${i}` } });
      const total = 5 + 3 * 2 + 4; // each send gets an agent reply
      await seenByOther.until((m) => m.some((x) => x.seq === total), "every message to be stored");

      viewer.connect();
      await waitForState(client, (st) => st.current?.messages.length === total, "the re-join after reconnect");
      await barrier(viewer);
      assert.equal(acked.messages, total, "the re-join read only what was missed (5 on show, then 10)");
      const expected = await storedMessages(alice, s.id);
      assert.equal(expected.length, total);
      assert.deepEqual(client.getState().current!.messages.map((m) => [m.seq, m.content]), expected.map((m) => [m.seq, m.content]));
      client.dispose();
    });

    it("recovers from a dropped connection in the middle of a stream of messages", async () => {
      const { h } = f;
      const s = await newSession(alice, "Stream", 2);
      const viewer = await h.connect(alice);
      const client = createTabflowClient(viewer);
      await client.show(s.id);
      const reconnected = new Promise<void>((resolve) => viewer.io.once("reconnect", () => resolve()));

      const streamed = (async () => {
        for (let i = 0; i < 40; i++) {
          await h.publisher.appendMessage(alice, s.id, { role: "agent", kind: "progress", content: { text: `step ${i}` } });
          // The network drops (server side, as a dead link would) while the run keeps going.
          if (i === 10) h.io.of("/").sockets.get(viewer.id!)!.conn.close();
        }
      })();
      await streamed;
      await withTimeout(reconnected, "the client to reconnect");
      await waitForState(client, (st) => st.current?.messages.length === 42, "the client to catch up");
      await barrier(viewer);
      const expected = await storedMessages(alice, s.id);
      assert.deepEqual(client.getState().current!.messages.map((m) => [m.seq, m.content]), expected.map((m) => [m.seq, m.content]));
      client.dispose();
    });

    it("fills a gap when a broadcast arrives past the seq the client holds", async () => {
      const { h } = f;
      const s = await newSession(alice, "Gap", 3);
      const viewer = await h.connect(alice);
      const client = createTabflowClient(viewer);
      await client.show(s.id);
      await addMessages(alice, s.id, 2, "unbroadcast "); // stored, never broadcast: seq 4 and 5
      await h.publisher.appendMessage(alice, s.id, { role: "agent", kind: "text", content: { text: "six" } });
      await waitForState(client, (st) => st.current?.messages.length === 6, "the gap to be filled");
      await barrier(viewer);
      assert.deepEqual(texts(client.getState().current!.messages), ["m1", "m2", "m3", "unbroadcast 1", "unbroadcast 2", "six"]);
      client.dispose();
    });

    it("keeps each artifact of the shown session at its highest version", async () => {
      const { t, h } = f;
      const s = await newSession(alice, "Artifacts");
      const notes = await t.store.createArtifactInstance(alice, { type: "notes", title: "Notes", state: { step: "plan" }, createdBySessionId: s.id });
      await t.store.attachArtifactToSession(alice, s.id, notes.id);
      const viewer = await h.connect(alice);
      const client = createTabflowClient(viewer);
      await client.show(s.id);
      assert.deepEqual(client.getState().current!.artifacts.map((a) => [a.id, a.version]), [[notes.id, 1]]);

      const v2 = await t.store.updateArtifactState(alice, notes.id, { expectedVersion: 1, patch: { step: "build" } });
      h.publisher.artifactChanged(s.id, v2);
      h.publisher.artifactChanged(s.id, notes); // a late, older update must not win
      await barrier(viewer);
      await waitForState(client, (st) => st.current?.artifacts[0]?.version === 2, "version 2");
      assert.deepEqual(client.getState().current!.artifacts.map((a) => [a.version, a.state]), [[2, { step: "build" }]]);
      client.dispose();
    });

    // --- Several clients of one user ------------------------------------------------------

    it("tells a second client of the user about sessions it is not viewing, and shows two viewers each message once", async () => {
      const { h } = f;
      const a = await h.connect(alice);
      const b = await h.connect(alice);
      const s1 = await ok(a, "session:create", { workflowName: "generator", title: "S1" });
      const s2 = await ok(a, "session:create", { workflowName: "build", title: "S2" });
      await ok(b, "session:join", { sessionId: s2.id, afterSeq: 0 });
      await ok(a, "session:join", { sessionId: s1.id, afterSeq: 0 });
      const bNews = record(b, "message:new");
      const bUpdates = record(b, "session:updated");

      const sent = await ok(a, "message:send", { sessionId: s1.id, clientMessageId: "first", text: "first" });
      assert.deepEqual([sent.seq, sent.role, sent.content], [1, "user", { text: "first" }]);
      const summary = (await bUpdates.until((u) => u.some((x) => x.id === s1.id && x.lastSeq === 2))).find((x) => x.lastSeq === 2)!;
      assert.deepEqual(Object.keys(summary).sort(), ["createdAt", "id", "lastActivityAt", "lastSeq", "parentSessionId", "run", "status", "title", "workflowName"]);
      assert.deepEqual([summary.title, summary.workflowName, summary.status], ["S1", "generator", "IN_PROGRESS"]);
      await barrier(b);
      assert.deepEqual(bNews.items, [], "no messages of a session the socket is not viewing");

      // The client library turns those summaries into a count on the background tab.
      const c = await h.connect(alice);
      const client = createTabflowClient(c);
      await client.listSessions();
      await client.show(s2.id);
      assert.ok(await ok(a, "message:send", { sessionId: s1.id, clientMessageId: "second", text: "second" }));
      await waitForState(client, (st) => st.unread[s1.id] === 2, "two unread messages on the S1 tab");
      client.dispose();

      // Both on S1 now, sending at the same time.
      await ok(b, "session:join", { sessionId: s1.id, afterSeq: 4 });
      const aNews = record(a, "message:new");
      const bNews2 = record(b, "message:new");
      const [fromA, fromB] = await Promise.all([
        ok(a, "message:send", { sessionId: s1.id, clientMessageId: "from-a", text: "from a" }),
        ok(b, "message:send", { sessionId: s1.id, clientMessageId: "from-b", text: "from b" }),
      ]);
      const all = (items: MessageDto[]) => range(5, 8).every((n) => items.some((m) => m.seq === n));
      await aNews.until(all, "A to see 5..8");
      await bNews2.until(all, "B to see 5..8");
      await Promise.all([barrier(a), barrier(b)]);
      const stored = (await storedMessages(alice, s1.id)).slice(4);
      for (const items of [aNews.items, bNews2.items]) {
        assert.deepEqual([...items].sort((x, y) => x.seq - y.seq).map((m) => [m.seq, m.content]), stored.map((m) => [m.seq, m.content]), "each message exactly once");
      }
      assert.deepEqual(new Set([fromA.seq, fromB.seq]), new Set(stored.filter((m) => m.role === "user").map((m) => m.seq)));
    });

    // --- Messages ---------------------------------------------------------------------------

    it("stores a sent message once per clientMessageId, broadcasts it, replies through the workflow, and enforces text limits", async () => {
      const { t, h } = f;
      const socket = await h.connect(alice);
      const s = await ok(socket, "session:create", { workflowName: "generator" });
      await ok(socket, "session:join", { sessionId: s.id, afterSeq: 0 });
      const news = record(socket, "message:new");
      const first = await ok(socket, "message:send", { sessionId: s.id, clientMessageId: "same", text: "hello" });
      await news.until((m) => m.some((x) => x.seq === 2), "the agent's reply");
      const retry = await ok(socket, "message:send", { sessionId: s.id, clientMessageId: "same", text: "hello" });
      assert.deepEqual(retry, first, "a retried send answers with the stored message");
      await ok(socket, "message:send", { sessionId: s.id, clientMessageId: "next", text: "next" });
      await news.until((m) => m.some((x) => x.seq === 4), "the second reply");
      await barrier(socket);
      assert.deepEqual(texts(await storedMessages(alice, s.id)), ["hello", "You said: hello", "next", "You said: next"]);
      assert.deepEqual(news.items.map((m) => m.seq).sort(), [1, 2, 3, 4], "the sender gets its own messages once too");

      const rows = await t.store.countRows();
      const refused = ["", "   \n ", "x".repeat(20_001), "nul \u0000 inside", "half a pair \ud83d"];
      for (const text of refused) {
        const ack = await send(socket, s.id, text);
        assert.equal(ack.ok ? "ok" : ack.error.code, "invalid_payload");
      }
      const noId = await request(socket, "message:send", { sessionId: s.id, text: "hi" } as RequestPayload<"message:send">);
      assert.equal(noId.ok ? "ok" : noId.error.code, "invalid_payload");
      assert.deepEqual(await t.store.countRows(), rows);
      const longest = await send(socket, s.id, "y".repeat(20_000));
      assert.ok(longest.ok);
    });
  });
}
