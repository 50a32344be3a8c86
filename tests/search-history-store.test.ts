/**
 * The store's session search and artifact history, on every supported database: what search
 * finds (titles, the user's own messages, artifacts), that it is owner-scoped, prefix-matching,
 * safe with any input and read-only; that every artifact write keeps a version, and that a
 * restore makes a new one (with conflicts on a race).
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { isTabflowError, type ErrorCode } from "../lib/errors.ts";
import type { Scope } from "../lib/store/index.ts";
import { fts5Query, searchTerms, tsQuery } from "../lib/store/search.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";

const alice: Scope = { enterpriseId: "acme", appId: "app-1", userId: "alice" };
const mallory: Scope = { enterpriseId: "acme", appId: "app-1", userId: "mallory" };

const spec = (entities: { name: string; fields: { name: string; type: string; required?: boolean }[] }[], name = "Hive Log") => ({
  name,
  summary: "Track colonies",
  features: ["Record visits"],
  entities: entities.map((e) => ({ ...e, fields: e.fields.map((f) => ({ required: true, ...f })) })),
  pages: [{ name: "Home", path: "/" }],
});

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isTabflowError(err), `expected a TabflowError, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}

describe("search query building", () => {
  it("keeps only letter/digit terms and quotes each one", () => {
    assert.deepEqual(searchTerms(`Beek" OR title:* NEAR(x) 'drop table`), ["beek", "or", "title", "near", "x", "drop", "table"]);
    assert.equal(fts5Query(["beek", "log"]), `"beek"* "log"*`);
    assert.equal(tsQuery(["beek", "log"]), `'beek':* & 'log':*`);
    assert.deepEqual(searchTerms("  ***  "), []);
    assert.equal(searchTerms("a b c d e f g h i j k").length, 8);
  });
});

for (const provider of PROVIDERS) {
  describe(`search and artifact history on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(provider);
    });
    after(async () => {
      await t?.cleanup();
    });
    beforeEach(() => t.reset());

    it("finds sessions by title, by the user's own messages and by artifacts, with prefixes", async () => {
      const user: Scope = { ...alice, userId: "searcher" };
      const byTitle = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Beekeeping journal" });
      const byMessage = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Untitled" });
      await t.store.appendMessage(user, byMessage.id, { role: "user", kind: "text", content: { text: "I keep bees and want to log every hive inspection" }, clientMessageId: "c1" });
      // An agent's words are not the user's: they are not searched.
      await t.store.appendMessageBatch(user, byMessage.id, [
        { role: "agent", kind: "text", content: { text: "Tell me about your zebras" } },
        { role: "agent", kind: "text", content: { text: "zebras again" } },
      ]);
      const byArtifact = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Something" });
      const art = await t.store.createArtifactInstance(user, { type: "app_spec", title: "App spec", state: spec([{ name: "Apiary", fields: [{ name: "location", type: "string" }] }]), createdBySessionId: byArtifact.id });
      await t.store.attachArtifactToSession(user, byArtifact.id, art.id);

      const ids = async (query: string) => (await t.store.searchSessions(user, { query })).map((h) => h.session.id);
      assert.deepEqual(await ids("beek"), [byTitle.id]);
      assert.deepEqual(await ids("inspect"), [byMessage.id]);
      assert.deepEqual(await ids("HIVE insp"), [byMessage.id], "every term must match, case does not matter");
      assert.deepEqual(await ids("apiar"), [byArtifact.id]);
      assert.deepEqual(await ids("zebra"), [], "agent messages are not searched");
      const hit = (await t.store.searchSessions(user, { query: "inspection" }))[0]!;
      assert.deepEqual(hit.matched, ["message"]);
      assert.match(hit.excerpt ?? "", /hive inspection/);
      // Artifact updates are indexed too.
      await t.store.updateArtifactState(user, art.id, { expectedVersion: 1, patch: { name: "Queen tracker" } });
      assert.deepEqual(await ids("queen"), [byArtifact.id]);
      // A rename is indexed.
      await t.store.renameWorkflowSession(user, byTitle.id, "Honey harvests");
      assert.deepEqual(await ids("beek"), []);
      assert.deepEqual(await ids("honey"), [byTitle.id]);
    });

    it("puts sessions needing the user first, then title matches, then recency", async () => {
      const user: Scope = { ...alice, userId: "ranker" };
      const titled = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Garden planner" });
      const waiting = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Other" });
      await t.store.appendMessage(user, waiting.id, { role: "user", kind: "text", content: { text: "my garden has tomatoes" }, clientMessageId: "w1" });
      await t.store.updateRun(user, waiting.id, { state: "waiting_input", step: "needs more detail" });
      const recentMsg = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Third" });
      await t.store.appendMessage(user, recentMsg.id, { role: "user", kind: "text", content: { text: "garden again" }, clientMessageId: "r1" });
      const got = (await t.store.searchSessions(user, { query: "garden" })).map((h) => h.session.id);
      assert.deepEqual(got, [waiting.id, titled.id, recentMsg.id]);
      // No terms: needing you first, then newest activity.
      const all = (await t.store.searchSessions(user, { query: "  " })).map((h) => h.session.id);
      assert.equal(all[0], waiting.id);
      assert.deepEqual(new Set(all), new Set([titled.id, waiting.id, recentMsg.id]));
    });

    it("never misses a session that needs the user, even behind a thousand newer matches", async () => {
      const user: Scope = { ...alice, userId: "flood" };
      const waiting = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Quiet one" });
      await t.store.appendMessage(user, waiting.id, { role: "user", kind: "text", content: { text: "an apple orchard" }, clientMessageId: "q1" });
      await t.store.updateRun(user, waiting.id, { state: "waiting_input" });
      const noisy = await t.store.createWorkflowSession(user, { workflowName: "generator", title: "Noisy one" });
      for (let b = 0; b < 3; b++) {
        await t.store.appendMessageBatch(user, noisy.id, Array.from({ length: 450 }, (_, i) => ({ role: "user" as const, kind: "text", content: { text: `apple number ${b * 450 + i}` } })));
      }
      const got = (await t.store.searchSessions(user, { query: "appl" })).map((h) => h.session.id);
      assert.deepEqual(got, [waiting.id, noisy.id]);
    });

    it("is scoped to the owner, safe with hostile input, and writes nothing", async () => {
      const own = await t.store.createWorkflowSession(alice, { workflowName: "generator", title: "Secret volcano lair" });
      await t.store.appendMessage(alice, own.id, { role: "user", kind: "text", content: { text: "plans for the volcano" }, clientMessageId: "v1" });
      t.reset();
      assert.deepEqual(await t.store.searchSessions(mallory, { query: "volcano" }), []);
      assert.deepEqual(await t.store.searchSessions({ ...alice, appId: "app-2" }, { query: "volcano" }), []);
      assert.deepEqual(await t.store.searchSessions({ ...alice, enterpriseId: "other" }, { query: "volcano" }), []);
      for (const hostile of [`"`, `'`, `volcano" OR "`, `*`, `NEAR(`, `body:volcano`, `') OR 1=1 --`, `volcano\\`, `:*`, `&|!`, "\u0000", "日本語", "x".repeat(500)]) {
        const hits = await t.store.searchSessions(mallory, { query: hostile });
        assert.deepEqual(hits, [], `no leak or error for ${JSON.stringify(hostile).slice(0, 40)}`);
      }
      assert.equal((await t.store.searchSessions(alice, { query: `volcano" OR "x` })).length, 0, "quotes are not FTS syntax: the term 'or' must match too");
      assert.equal((await t.store.searchSessions(alice, { query: `volc` })).length, 1);
      assert.deepEqual(t.writes(), [], "a search writes nothing");
      await rejectsWith(t.store.searchSessions(alice, { query: "x".repeat(501) }), "invalid_payload");
    });

    it("keeps every version of an artifact, written with each create and update", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "App spec", state: spec([{ name: "Hive", fields: [{ name: "name", type: "string" }] }]), createdBySessionId: s.id });
      await t.store.attachArtifactToSession(alice, s.id, a.id);
      await t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { name: "Hive Log 2" } });
      await t.store.updateArtifactState(alice, a.id, { expectedVersion: 2, patch: { summary: "Third" } });
      await rejectsWith(t.store.updateArtifactState(alice, a.id, { expectedVersion: 2, patch: { summary: "lost race" } }), "conflict");
      const history = await t.store.listArtifactHistory(alice, a.id);
      assert.deepEqual(history.versions.map((v) => v.version), [1, 2, 3], "the refused update left no version behind");
      assert.equal(history.version, 3);
      const v2 = await t.store.getArtifactVersion(alice, a.id, 2);
      assert.equal((v2.state as { name: string }).name, "Hive Log 2");
      assert.equal((v2.previous?.state as { name: string }).name, "Hive Log");
      assert.equal((await t.store.getArtifactVersion(alice, a.id, 1)).previous, null);
      await rejectsWith(t.store.getArtifactVersion(alice, a.id, 9), "not_found");
    });

    it("restores an old version as a new one, and refuses a stale restore", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "App spec", state: spec([{ name: "Hive", fields: [{ name: "name", type: "string" }] }]), createdBySessionId: s.id });
      await t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { name: "Renamed" } });
      const restored = await t.store.restoreArtifactVersion(alice, a.id, { version: 1, expectedVersion: 2 });
      assert.equal(restored.version, 3);
      assert.equal((restored.state as { name: string }).name, "Hive Log");
      assert.equal(((await t.store.getArtifactInstance(alice, a.id)).state as { name: string }).name, "Hive Log");
      assert.deepEqual((await t.store.listArtifactHistory(alice, a.id)).versions.map((v) => v.version), [1, 2, 3]);
      // Two restores from the same version: exactly one wins.
      const results = await Promise.allSettled([
        t.store.restoreArtifactVersion(alice, a.id, { version: 2, expectedVersion: 3 }),
        t.store.restoreArtifactVersion(alice, a.id, { version: 1, expectedVersion: 3 }),
      ]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.ok(isTabflowError(failed.reason, "conflict"), String(failed.reason));
      assert.deepEqual((await t.store.listArtifactHistory(alice, a.id)).versions.map((v) => v.version), [1, 2, 3, 4]);
      await rejectsWith(t.store.restoreArtifactVersion(alice, a.id, { version: 1, expectedVersion: 3 }), "conflict");
      await rejectsWith(t.store.restoreArtifactVersion(alice, a.id, { version: 99, expectedVersion: 4 }), "not_found");
      // A closed session's artifacts keep their history read-only; a busy one refuses for now.
      await t.store.updateRun(alice, s.id, { state: "running", step: "thinking" });
      await rejectsWith(t.store.restoreArtifactVersion(alice, a.id, { version: 1, expectedVersion: 4 }), "blocked");
      await t.store.updateRun(alice, s.id, { state: "waiting_input" });
      await t.store.completeWorkflowSession(alice, s.id);
      await rejectsWith(t.store.restoreArtifactVersion(alice, a.id, { version: 1, expectedVersion: 4 }), "session_closed");
    });

    it("lists the Builds started from an artifact with the version each one built", async () => {
      const gen = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "App spec", state: spec([{ name: "Hive", fields: [{ name: "name", type: "string" }] }]), createdBySessionId: gen.id });
      const b1 = await t.store.createWorkflowSession(alice, { workflowName: "build", parentSessionId: gen.id, sourceArtifactId: a.id });
      await t.store.updateRun(alice, b1.id, { state: "running", checkpoint: { specVersion: 1, stage: "plan" } });
      await t.store.updateArtifactState(alice, a.id, { expectedVersion: 1, patch: { name: "v2" } });
      const b2 = await t.store.createWorkflowSession(alice, { workflowName: "build", parentSessionId: gen.id, sourceArtifactId: a.id });
      await t.store.updateRun(alice, b2.id, { state: "succeeded", checkpoint: { specVersion: 2, stage: "done" } });
      const { builds } = await t.store.listArtifactHistory(alice, a.id);
      assert.deepEqual(
        builds.map((b) => [b.sessionId, b.version, b.runState]),
        [
          [b1.id, 1, "running"],
          [b2.id, 2, "succeeded"],
        ],
      );
    });

    it("answers another owner's artifact ids with not_found, versions included", async () => {
      const s = await t.store.createWorkflowSession(alice, { workflowName: "generator" });
      const a = await t.store.createArtifactInstance(alice, { type: "app_spec", title: "App spec", state: spec([{ name: "Hive", fields: [{ name: "name", type: "string" }] }]), createdBySessionId: s.id });
      await rejectsWith(t.store.listArtifactHistory(mallory, a.id), "not_found");
      await rejectsWith(t.store.getArtifactVersion(mallory, a.id, 1), "not_found");
      await rejectsWith(t.store.restoreArtifactVersion(mallory, a.id, { version: 1, expectedVersion: 1 }), "not_found");
      await rejectsWith(t.store.listArtifactHistory({ ...alice, appId: "app-2" }, a.id), "not_found");
      assert.equal((await t.store.getArtifactInstance(alice, a.id)).version, 1, "nothing changed");
    });
  });
}
