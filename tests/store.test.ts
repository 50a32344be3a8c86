/**
 * Contract tests of the session store, run against every supported database: the embedded
 * SQLite default and PostgreSQL (skipped with a reason when unreachable, failed under CI=true).
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { isTabflowError, type ErrorCode } from "../lib/errors.ts";
import type { Scope } from "../lib/store/index.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";

const alice: Scope = { enterpriseId: "acme", appId: "app-1", userId: "alice" };
const spec = {
  name: "Recipe Box",
  summary: "Keep and share recipes",
  features: ["Save recipes"],
  entities: [{ name: "Recipe", fields: [{ name: "title", type: "string", required: true }] }],
  pages: [{ name: "Recipes", path: "/recipes" }],
};

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isTabflowError(err), `expected a TabflowError, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}

for (const provider of PROVIDERS) {
  describe(`session store on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(provider);
    });
    after(async () => {
      await t?.cleanup();
    });
    beforeEach(() => t.reset());

    // --- The seven tests of the original design ---------------------------------------

    it("creates a workflow session IN_PROGRESS in the caller's scope", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator", title: "My app idea" });
      assert.equal(s.status, "IN_PROGRESS");
      assert.equal(s.workflowName, "generator");
      assert.equal(s.title, "My app idea");
      assert.equal(s.lastSeq, 0);
      assert.deepEqual([s.enterpriseId, s.appId, s.userId], ["acme", "app-1", "alice"]);
      assert.equal(s.completedAt, null);
      const defaulted = await t.store.createWorkflowSession(alice, { workflowName: "build" });
      assert.equal(defaulted.title, "Build");
    });

    it("lets several sessions of one user be IN_PROGRESS at once (Generator and Build)", async () => {
      const user: Scope = { ...alice, userId: "multi" };
      const gen = await t.store.createWorkflowSession(user, { workflowName: "generator" });
      const build = await t.store.createWorkflowSession(user, { workflowName: "build", parentSessionId: gen.id });
      const listed = await t.store.listWorkflowSessions(user);
      assert.deepEqual(new Set(listed.map((s) => s.id)), new Set([gen.id, build.id]));
      assert.ok(listed.every((s) => s.status === "IN_PROGRESS"));
      assert.equal((await t.store.getWorkflowSession(user, gen.id)).status, "IN_PROGRESS");
      assert.equal(build.parentSessionId, gen.id);
    });

    it("completes a workflow session", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const done = await t.store.completeWorkflowSession(alice, s.id);
      assert.equal(done.status, "COMPLETED");
      assert.ok(done.completedAt instanceof Date);
      const again = await t.store.completeWorkflowSession(alice, s.id);
      assert.equal(again.completedAt?.getTime(), done.completedAt?.getTime(), "completing twice changes nothing");
    });

    it("creates an artifact instance with a validated state at version 1", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "App spec", state: spec, createdBySessionId: s.id });
      assert.equal(a.version, 1);
      assert.equal(a.type, "app_spec");
      assert.equal(a.createdBySessionId, s.id);
      assert.equal(a.userId, "alice");
      assert.deepEqual((a.state as typeof spec).entities[0]!.fields[0], { name: "title", type: "string", required: true });
    });

    it("attaches an artifact to a session, visible from both sides", async () => {
      const gen = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const build = await t.store.createWorkflowSession(alice, { workflowName: "build" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "App spec", state: spec });
      await t.store.attachArtifactToSession(alice, gen.id, a.id);
      await t.store.attachArtifactToSession(alice, build.id, a.id);
      await t.store.attachArtifactToSession(alice, build.id, a.id); // idempotent
      assert.deepEqual((await t.store.listSessionArtifacts(alice, gen.id)).map((x) => x.id), [a.id]);
      assert.deepEqual((await t.store.listSessionArtifacts(alice, build.id)).map((x) => x.id), [a.id]);
      assert.deepEqual(new Set((await t.store.getArtifactInstance(alice, a.id)).sessionIds), new Set([gen.id, build.id]));
      const after = await t.store.getWorkflowSession(alice, gen.id);
      assert.ok(after.lastActivityAt.getTime() >= gen.lastActivityAt.getTime());
    });

    it("updates artifact state with a merge patch against the expected version", async () => {
      const a = await t.store.createArtifactInstance(alice, { type: "build_progress", title: "Build progress", state: { percent: 0, step: "plan" } });
      const b = await t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { percent: 40, step: "generate" } });
      assert.equal(b.version, 2);
      assert.deepEqual(b.state, { percent: 40, step: "generate" });
      const stored = await t.store.getArtifactInstance(alice, a.id);
      assert.equal(stored.version, 2);
      assert.deepEqual(stored.state, { percent: 40, step: "generate" });
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { percent: 50 } }), "conflict");
      const generic = await t.store.createArtifactInstance(alice, { type: "notes", title: "Notes", state: { a: 1, b: { c: 2 } } });
      const patched = await t.store.updateArtifactState(alice, generic.id, { expectedVersion: 1, patch: { a: null, b: { d: 3 } } });
      assert.deepEqual(patched.state, { b: { c: 2, d: 3 } }, "RFC 7386: null removes, objects merge");
    });

    it("gets sessions, artifacts, a session's artifacts and its messages", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator", title: "Getters" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "Spec", state: spec, createdBySessionId: s.id });
      await t.store.attachArtifactToSession(alice, s.id, a.id);
      await t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "hello" } });
      const got = await t.store.getWorkflowSession(alice, s.id);
      assert.equal(got.title, "Getters");
      assert.equal(got.lastSeq, 1);
      assert.equal((await t.store.getArtifactInstance(alice, a.id)).title, "Spec");
      assert.equal((await t.store.listSessionArtifacts(alice, s.id)).length, 1);
      const page = await t.store.listMessages(alice, s.id, 0, 10);
      assert.deepEqual(page.messages.map((m) => [m.seq, m.role, m.content]), [[1, "user", { text: "hello" }]]);
    });

    // --- Beyond the original design -----------------------------------------------------

    it("never lists completed or archived sessions as in progress, and they refuse new content", async () => {
      const user: Scope = { ...alice, userId: "closer" };
      const open = await t.store.createWorkflowSession(user, { workflowName: "generator" });
      const done = await t.store.createWorkflowSession(user, { workflowName: "generator" });
      const archived = await t.store.createWorkflowSession(user, { workflowName: "build" });
      await t.store.completeWorkflowSession(user, done.id);
      const arch = await t.store.archiveWorkflowSession(user, archived.id);
      assert.equal(arch.status, "ARCHIVED");
      assert.ok(arch.completedAt, "archiving closes the session like completing does");
      assert.deepEqual((await t.store.listWorkflowSessions(user)).map((s) => s.id), [open.id]);
      assert.deepEqual((await t.store.listWorkflowSessions(user, { statuses: ["COMPLETED"] })).map((s) => s.id), [done.id]);
      assert.deepEqual((await t.store.listWorkflowSessions(user, { statuses: ["ARCHIVED"] })).map((s) => s.id), [archived.id]);
      const art = await t.store.createArtifactInstance(user, { type: "notes", title: "n", state: {} });
      const before = await t.store.countRows();
      for (const id of [done.id, archived.id]) {
        await rejectsWith(t.store.appendMessage(user, id, { role: "user", kind: "text", content: { text: "late" } }), "session_closed");
        await rejectsWith(t.store.attachArtifactToSession(user, id, art.id), "session_closed");
      }
      assert.deepEqual(await t.store.countRows(), before);
      assert.equal((await t.store.getWorkflowSession(user, done.id)).lastSeq, 0);
      // Unarchive returns it to COMPLETED (still closed), not to IN_PROGRESS.
      assert.equal((await t.store.unarchiveWorkflowSession(user, archived.id)).status, "COMPLETED");
      assert.equal((await t.store.archiveWorkflowSession(user, done.id)).status, "ARCHIVED");
      assert.equal((await t.store.completeWorkflowSession(user, done.id)).status, "ARCHIVED", "completing an archived session keeps it archived");
    });

    it("lists sessions newest activity first", async () => {
      const user: Scope = { ...alice, userId: "orderly" };
      const first = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "first" });
      const second = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "second" });
      await new Promise((r) => setTimeout(r, 5));
      await t.store.appendMessage(user, first.id, { role: "user", kind: "text", content: { text: "bump" } });
      assert.deepEqual((await t.store.listWorkflowSessions(user)).map((s) => s.title), ["first", "second"]);
      assert.equal(second.status, "IN_PROGRESS");
    });

    it("pages a list with a keyset cursor: every session once, none skipped, even with equal activity times", async () => {
      const user: Scope = { ...alice, userId: "pager" };
      const made: string[] = [];
      for (let i = 0; i < 7; i++) {
        const s = await t.store.createWorkflowSession(user, { workflowName: "generator", title: `s${i}` });
        await t.store.archiveWorkflowSession(user, s.id);
        made.push(s.id);
      }
      const all = await t.store.listWorkflowSessions(user, { statuses: ["ARCHIVED"] });
      const seen: string[] = [];
      let before: { lastActivityAt: Date; id: string } | undefined;
      for (;;) {
        const page = await t.store.listWorkflowSessions(user, { statuses: ["ARCHIVED"], limit: 3, before });
        seen.push(...page.map((s) => s.id));
        if (page.length < 3) break;
        const last = page[page.length - 1]!;
        before = { lastActivityAt: last.lastActivityAt, id: last.id };
      }
      assert.deepEqual(seen, all.map((s) => s.id), "the pages add up to the whole list, in its order");
      assert.deepEqual([...seen].sort(), [...made].sort());
      await rejectsWith(t.store.listWorkflowSessions(user, { before: { lastActivityAt: "not a date" as never, id: "x" } }), "invalid_payload");
    });

    it("renames a session in the caller's scope only", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      assert.equal((await t.store.renameWorkflowSession(alice, s.id, "Recipe Box")).title, "Recipe Box");
      await rejectsWith(t.store.renameWorkflowSession({ ...alice, userId: "mallory" }, s.id, "stolen"), "not_found");
      await rejectsWith(t.store.renameWorkflowSession(alice, s.id, "  "), "invalid_payload");
      assert.equal((await t.store.getWorkflowSession(alice, s.id)).title, "Recipe Box");
    });

    it("gives 50 concurrent appends seq 1..50 with no gap or duplicate", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => t.store.appendMessage(alice, s.id, { role: "agent", kind: "text", content: { text: `m${i}` } })),
      );
      assert.deepEqual(results.map((m) => m.seq).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
      const page = await t.store.listMessages(alice, s.id, 0, 1000);
      assert.deepEqual(page.messages.map((m) => m.seq), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.equal(new Set(page.messages.map((m) => (m.content as { text: string }).text)).size, 50);
      assert.equal((await t.store.getWorkflowSession(alice, s.id)).lastSeq, 50);
    });

    it("appends a batch in one transaction: consecutive seqs, interleaved safely with single appends", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      await t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "first" } });
      const batch = (n: number, tag: string) =>
        Array.from({ length: n }, (_, i) => ({ role: "agent" as const, kind: "progress", content: { text: `${tag}${i}`, percent: i } }));
      const [a, single, b] = await Promise.all([
        t.store.appendMessageBatch(alice, s.id, batch(20, "a")),
        t.store.appendMessage(alice, s.id, { role: "agent", kind: "text", content: { text: "lone" } }),
        t.store.appendMessageBatch(alice, s.id, batch(30, "b")),
      ]);
      // Each batch got a run of consecutive seqs, in the order given.
      for (const [out, tag, n] of [[a, "a", 20], [b, "b", 30]] as const) {
        const seqs = out.messages.map((m) => m.seq);
        assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => seqs[0]! + i));
        assert.deepEqual(out.messages.map((m) => (m.content as { text: string }).text), batch(n, tag).map((m) => m.content.text));
        assert.equal(out.session.lastSeq >= seqs.at(-1)!, true);
      }
      const page = await t.store.listMessages(alice, s.id, 0, 1000);
      assert.deepEqual(page.messages.map((m) => m.seq), Array.from({ length: 52 }, (_, i) => i + 1));
      assert.ok(page.messages.some((m) => m.seq === single.seq && (m.content as { text: string }).text === "lone"));
      assert.equal((await t.store.getWorkflowSession(alice, s.id)).lastSeq, 52);
      // What the batch returned is what a later read gives (same content, role, time).
      const reread = new Map(page.messages.map((m) => [m.seq, m]));
      for (const m of [...a.messages, ...b.messages]) {
        const r = reread.get(m.seq)!;
        assert.deepEqual([r.role, r.kind, r.content, r.clientMessageId], [m.role, m.kind, m.content, null]);
        assert.equal(r.createdAt.getTime(), m.createdAt.getTime());
      }
      const unicode = await t.store.appendMessageBatch(alice, s.id, [
        { role: "system", kind: "text", content: { text: "quote ' \" and $1 ? é 𝄞", nested: { list: [1, null, true] } } },
        { role: "user", kind: "text", content: {} },
      ]);
      const last = (await t.store.listMessages(alice, s.id, 52, 10)).messages;
      assert.deepEqual(last.map((m) => [m.seq, m.role, m.content]), unicode.messages.map((m) => [m.seq, m.role, m.content]));
    });

    it("writes nothing of a batch holding one bad message, and refuses batches for others' or closed sessions", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const ok = { role: "agent" as const, kind: "text", content: { text: "fine" } };
      const before = await t.store.countRows();
      await rejectsWith(t.store.appendMessageBatch(alice, s.id, [ok, { role: "agent", kind: "text", content: { text: "nul\u0000" } }]), "invalid_payload");
      await rejectsWith(t.store.appendMessageBatch(alice, s.id, [ok, { ...ok, clientMessageId: "c" }]), "invalid_payload");
      await rejectsWith(t.store.appendMessageBatch(alice, s.id, []), "invalid_payload");
      await rejectsWith(t.store.appendMessageBatch({ ...alice, userId: "mallory" }, s.id, [ok, ok]), "not_found");
      await t.store.completeWorkflowSession(alice, s.id);
      await rejectsWith(t.store.appendMessageBatch(alice, s.id, [ok, ok]), "session_closed");
      assert.deepEqual(await t.store.countRows(), before);
      assert.equal((await t.store.getWorkflowSession(alice, s.id)).lastSeq, 0);
    });

    it("stores a retried send (same clientMessageId) once, even when the retries race", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const send = () => t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "once" }, clientMessageId: "c-1" });
      const [a, b, c] = await Promise.all([send(), send(), send()]);
      assert.equal(a.seq, 1);
      assert.deepEqual([b.seq, c.seq], [1, 1]);
      const page = await t.store.listMessages(alice, s.id);
      assert.equal(page.messages.length, 1);
      assert.equal(page.lastSeq, 1);
    });

    it("says whether an append stored the message, and refuses text neither database can store", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const first = await t.store.appendMessageWithStatus(alice, s.id, { role: "user", kind: "text", content: { text: "a" }, clientMessageId: "k" });
      const again = await t.store.appendMessageWithStatus(alice, s.id, { role: "user", kind: "text", content: { text: "a" }, clientMessageId: "k" });
      assert.deepEqual([first.created, again.created, again.message.seq], [true, false, 1]);
      const before = await t.store.countRows();
      await rejectsWith(t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "nul\u0000byte" } }), "invalid_payload");
      await rejectsWith(t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "lone \ud800 surrogate" } }), "invalid_payload");
      await rejectsWith(t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { ["key\u0000"]: 1 } }), "invalid_payload");
      await rejectsWith(t.store.getWorkflowSession(alice, "id\u0000x"), "invalid_payload");
      await rejectsWith(t.store.createWorkflowSession(alice, { workflowName: "generator", title: "bad \udfff" }), "invalid_payload");
      await rejectsWith(t.store.createArtifactInstance(alice, { type: "notes", title: "n", state: { x: "\u0000" } }), "invalid_payload");
      assert.deepEqual(await t.store.countRows(), before);
      const ok = await t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "emoji 🎉 and a literal \\u0000" } });
      assert.equal((ok.content as { text: string }).text, "emoji 🎉 and a literal \\u0000");
    });

    it("pages messages after a seq and says when more remain", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      for (let i = 1; i <= 7; i++) await t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: `${i}` } });
      const p1 = await t.store.listMessages(alice, s.id, 2, 3);
      assert.deepEqual(p1.messages.map((m) => m.seq), [3, 4, 5]);
      assert.equal(p1.hasMore, true);
      const p2 = await t.store.listMessages(alice, s.id, 5, 3);
      assert.deepEqual(p2.messages.map((m) => m.seq), [6, 7]);
      assert.equal(p2.hasMore, false);
      assert.equal(p2.lastSeq, 7);
      t.reset();
      const none = await t.store.listMessages(alice, s.id, 7, 3);
      assert.deepEqual(none.messages, []);
      assert.equal(t.statements.filter((q) => /"Message"/.test(q)).length, 0, "a caught-up client costs no message read");
    });

    it("lets exactly one of two concurrent updates from the same version win", async () => {
      const a = await t.store.createArtifactInstance(alice, { type: "build_progress", title: "p", state: { percent: 0, step: "plan" } });
      const results = await Promise.allSettled([
        t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { percent: 10 } }),
        t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { percent: 20 } }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(isTabflowError((lost[0] as PromiseRejectedResult).reason, "conflict"));
      const stored = await t.store.getArtifactInstance(alice, a.id);
      assert.equal(stored.version, 2);
      assert.equal((stored.state as { percent: number }).percent, ((won[0] as PromiseFulfilledResult<{ state: unknown }>).value.state as { percent: number }).percent);
    });

    it("refuses every operation on another owner's ids with not_found and changes nothing", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      await t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "secret" } });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "Spec", state: spec, createdBySessionId: s.id });
      await t.store.attachArtifactToSession(alice, s.id, a.id);
      const strangers: Scope[] = [
        { ...alice, userId: "mallory" },
        { ...alice, appId: "app-2" },
        { ...alice, enterpriseId: "evil-corp" },
      ];
      const before = await t.store.countRows();
      for (const other of strangers) {
        const mine = await t.store.createWorkflowSession(other, { workflowName: "generator" });
        const myArt = await t.store.createArtifactInstance(other, { type: "notes", title: "x", state: {} });
        const attempts: [string, () => Promise<unknown>][] = [
          ["get", () => t.store.getWorkflowSession(other, s.id)],
          ["complete", () => t.store.completeWorkflowSession(other, s.id)],
          ["archive", () => t.store.archiveWorkflowSession(other, s.id)],
          ["unarchive", () => t.store.unarchiveWorkflowSession(other, s.id)],
          ["append", () => t.store.appendMessage(other, s.id, { role: "user", kind: "text", content: { text: "hi" } })],
          ["list messages", () => t.store.listMessages(other, s.id)],
          ["list artifacts", () => t.store.listSessionArtifacts(other, s.id)],
          ["get artifact", () => t.store.getArtifactInstance(other, a.id)],
          ["update artifact", () => t.store.updateArtifactState(other, a.id, { expectedVersion: 1, patch: { name: "stolen" } })],
          ["attach their artifact to my session", () => t.store.attachArtifactToSession(other, mine.id, a.id)],
          ["attach my artifact to their session", () => t.store.attachArtifactToSession(other, s.id, myArt.id)],
          ["create with their parent", () => t.store.createWorkflowSession(other, { workflowName: "build", parentSessionId: s.id })],
          ["create from their artifact", () => t.store.createWorkflowSession(other, { workflowName: "build", sourceArtifactId: a.id })],
          ["artifact created by their session", () => t.store.createArtifactInstance(other, { type: "notes", title: "x", state: {}, createdBySessionId: s.id })],
        ];
        for (const [what, attempt] of attempts) {
          await assert.rejects(attempt(), (err: unknown) => isTabflowError(err, "not_found"), `${what} as ${JSON.stringify(other)}`);
        }
        assert.deepEqual(await t.store.listWorkflowSessions(other, { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] }).then((l) => l.map((x) => x.id)), [mine.id]);
      }
      const now = await t.store.countRows();
      assert.equal(now.messages, before.messages);
      assert.equal(now.attachments, before.attachments);
      const untouched = await t.store.getWorkflowSession(alice, s.id);
      assert.equal(untouched.status, "IN_PROGRESS");
      assert.equal(untouched.lastSeq, 1);
      assert.equal((await t.store.getArtifactInstance(alice, a.id)).version, 1);
    });

    it("answers unknown ids, bad statuses and invalid input with typed errors and writes nothing", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "Spec", state: spec });
      const before = await t.store.countRows();
      t.reset();
      await rejectsWith(t.store.getWorkflowSession(alice, "no-such-session"), "not_found");
      await rejectsWith(t.store.completeWorkflowSession(alice, "no-such-session"), "not_found");
      await rejectsWith(t.store.appendMessage(alice, "no-such-session", { role: "user", kind: "text", content: {} }), "not_found");
      await rejectsWith(t.store.getArtifactInstance(alice, "no-such-artifact"), "not_found");
      await rejectsWith(t.store.attachArtifactToSession(alice, s.id, "no-such-artifact"), "not_found");
      await rejectsWith(t.store.listWorkflowSessions(alice, { statuses: ["SUSPENDED" as never] }), "invalid_payload");
      await rejectsWith(t.store.listWorkflowSessions(alice, { statuses: ["paused" as never] }), "invalid_payload");
      await rejectsWith(t.store.createWorkflowSession(alice, { workflowName: "" }), "invalid_payload");
      await rejectsWith(t.store.createWorkflowSession({ ...alice, userId: "" }, { workflowName: "generator" }), "invalid_payload");
      await rejectsWith(t.store.appendMessage(alice, s.id, { role: "robot" as never, kind: "text", content: {} }), "invalid_payload");
      await rejectsWith(t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: "not an object" as never }), "invalid_payload");
      await rejectsWith(t.store.appendMessage(alice, s.id, { role: "user", kind: "text", content: { text: "x".repeat(300_000) } }), "invalid_payload");
      await rejectsWith(t.store.getWorkflowSession(alice, 42 as never), "invalid_payload");
      await rejectsWith(t.store.listMessages(alice, s.id, -1, 10), "invalid_payload");
      await rejectsWith(t.store.createArtifactInstance(alice, { type: "app_spec", title: "bad", state: { name: "x" } }), "invalid_payload");
      // Patches that would make the state invalid are refused and leave it unchanged.
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { name: null } }), "invalid_payload");
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { entities: "many" } }), "invalid_payload");
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { unknownKey: 1 } }), "invalid_payload");
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 0, patch: {} }), "invalid_payload");
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: [] as never }), "invalid_payload");
      await rejectsWith(t.store.updateArtifactState(alice, "no-such-artifact", { expectedVersion: 1, patch: {} }), "not_found");
      // Conditional UPDATEs that matched no row may have run; nothing was inserted or deleted.
      assert.deepEqual(t.writes().filter((q) => /^\s*(INSERT|DELETE)/i.test(q)), [], "failed calls inserted nothing");
      assert.deepEqual(await t.store.countRows(), before);
      const stored = await t.store.getArtifactInstance(alice, a.id);
      assert.equal(stored.version, 1);
      assert.deepEqual(stored.state, a.state);
      assert.equal((await t.store.getWorkflowSession(alice, s.id)).lastSeq, 0);
    });

    it("records a session's run state, guards it against racing updates, and finds interrupted runs", async () => {
      const user: Scope = { ...alice, userId: "runner" };
      const s = await t.store.createWorkflowSession(user, { workflowName: "build" });
      assert.equal(s.runState, "idle");
      assert.equal(s.runAttempt, 0);
      const started = await t.store.updateRun(user, s.id, { state: "running", step: "plan", checkpoint: { step: 0 }, newAttempt: true });
      assert.deepEqual([started.runState, started.runStep, started.runAttempt, started.runCheckpoint], ["running", "plan", 1, { step: 0 }]);
      const interrupted = await t.store.listSessionsByRunState(["running"]);
      assert.ok(interrupted.some((x) => x.id === s.id));
      const stopped = await t.store.updateRun(user, s.id, { state: "stopped", error: null, ifStateIn: ["running"] });
      assert.equal(stopped.runState, "stopped");
      assert.equal(stopped.runStep, "plan", "an omitted step is kept");
      await rejectsWith(t.store.updateRun(user, s.id, { state: "succeeded", ifStateIn: ["running"] }), "conflict");
      assert.equal((await t.store.getWorkflowSession(user, s.id)).runState, "stopped");
      await rejectsWith(t.store.updateRun({ ...user, userId: "mallory" }, s.id, { state: "running" }), "not_found");
      await rejectsWith(t.store.updateRun(user, s.id, { state: "paused" as never }), "invalid_payload");
      const retried = await t.store.updateRun(user, s.id, { state: "running", step: "plan", error: null, newAttempt: true });
      assert.equal(retried.runAttempt, 2);
      assert.ok(!(await t.store.listSessionsByRunState(["stopped"])).some((x) => x.id === s.id));
    });

    if (provider === "postgresql") {
      it("answers a database that cannot be reached with `unavailable`", async () => {
        const { openDatabase } = await import("../lib/db/client.ts");
        const { createStore } = await import("../lib/store/index.ts");
        const database = await openDatabase({ provider: "postgresql", url: "postgresql://postgres@127.0.0.1:1/test", schema: "public" });
        const dead = createStore(database);
        try {
          await rejectsWith(dead.listWorkflowSessions(alice), "unavailable");
          await rejectsWith(dead.appendMessage(alice, "s", { role: "user", kind: "text", content: { text: "x" } }), "unavailable");
          await rejectsWith(dead.ping(), "unavailable");
        } finally {
          await database.close();
        }
      });
    }
  });
}
