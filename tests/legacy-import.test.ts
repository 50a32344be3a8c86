/**
 * The older system's sessions: its PAUSED status is imported as IN_PROGRESS and never exists
 * in Tabflow's own schema. The importer runs against every supported database.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MIGRATIONS_ROOT } from "../lib/db/migrate.ts";
import type { Scope } from "../lib/store/index.ts";
import { sourcePath } from "../scripts/derive-pg-schema.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";

describe("the status model", () => {
  it("has no PAUSED status: the model is IN_PROGRESS | COMPLETED (| ARCHIVED for the UI)", () => {
    const source = readFileSync(sourcePath, "utf8");
    const statusEnum = /enum SessionStatus \{([^}]*)\}/.exec(source)?.[1] ?? "";
    assert.deepEqual(statusEnum.trim().split(/\s+/), ["IN_PROGRESS", "COMPLETED", "ARCHIVED"]);
    for (const provider of ["sqlite", "postgresql"]) {
      for (const dir of readdirSync(path.join(MIGRATIONS_ROOT, provider), { withFileTypes: true }).filter((d) => d.isDirectory())) {
        assert.doesNotMatch(readFileSync(path.join(MIGRATIONS_ROOT, provider, dir.name, "migration.sql"), "utf8"), /PAUSED/);
      }
    }
  });
});

for (const provider of PROVIDERS) {
  describe(`legacy import on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(provider);
    });
    after(async () => {
      await t?.cleanup();
    });

    it("imports a legacy dump: PAUSED becomes IN_PROGRESS, bad records are reported, a rerun imports nothing twice", async () => {
      const owner = { enterprise_id: "legacy-ent", app_id: "legacy-app", user_id: "lee" };
      const dump = [
        JSON.stringify({ _id: { $oid: "64f000000000000000000001" }, chat_id: "chat_abc123", status: "PAUSED", workflow_name: "Generator", ...owner, created_at: { $date: "2025-10-01T10:00:00Z" }, updated_at: "2025-10-02T10:00:00Z", messages: [{ role: "user", content: "Build me a todo app", sequence: 0, timestamp: "2025-10-01T10:00:00Z" }, { role: "assistant", content: "Here is a spec", sequence: 1, timestamp: "2025-10-01T10:00:05Z" }] }),
        JSON.stringify({ chat_id: "chat_done", status: 1, workflow_name: "Build", ...owner, created_at: "2025-09-01T00:00:00Z" }),
        JSON.stringify({ chat_id: "chat_open", status: 0, workflow_name: "Generator", ...owner }),
        "{ this is not json",
        JSON.stringify({ chat_id: "chat_bad_status", status: "SLEEPING", workflow_name: "Generator", ...owner }),
        JSON.stringify({ chat_id: "chat_bad_msg", status: "IN_PROGRESS", workflow_name: "Generator", ...owner, messages: [{ role: "user", content: "ok" }, { role: "alien", content: "??" }] }),
        JSON.stringify({ status: "IN_PROGRESS", workflow_name: "Generator", ...owner }),
        "",
      ].join("\n");
      const before = await t.store.countRows();
      const first = await t.store.importLegacySessions(dump);
      assert.equal(first.imported, 3);
      assert.equal(first.skipped, 0);
      assert.equal(first.invalid, 4);
      assert.deepEqual(first.problems.map((p) => p.where), ["line 4", "line 5", "line 6", "line 7"]);
      assert.match(first.problems[1]!.reason, /unknown status/);
      assert.match(first.problems[2]!.reason, /role/);
      const lee: Scope = { enterpriseId: "legacy-ent", appId: "legacy-app", userId: "lee" };
      const open = await t.store.listWorkflowSessions(lee);
      assert.equal(open.length, 2, "PAUSED and 0 are in progress");
      const paused = open.find((s) => s.legacyId === "chat_abc123")!;
      assert.equal(paused.status, "IN_PROGRESS");
      assert.equal(paused.workflowName, "generator");
      assert.equal(paused.lastSeq, 2);
      assert.equal(paused.createdAt.toISOString(), "2025-10-01T10:00:00.000Z");
      const msgs = await t.store.listMessages(lee, paused.id);
      assert.deepEqual(msgs.messages.map((m) => [m.seq, m.role, m.content]), [[1, "user", { text: "Build me a todo app" }], [2, "agent", { text: "Here is a spec" }]]);
      assert.deepEqual((await t.store.listWorkflowSessions(lee, { statuses: ["COMPLETED"] })).map((s) => s.legacyId), ["chat_done"]);
      // The record with one bad message was not half-imported.
      const afterFirst = await t.store.countRows();
      assert.equal(afterFirst.sessions - before.sessions, 3);
      assert.equal(afterFirst.messages - before.messages, 2);
      const second = await t.store.importLegacySessions(dump);
      assert.deepEqual([second.imported, second.skipped, second.invalid], [0, 3, 4]);
      assert.deepEqual(await t.store.countRows(), afterFirst);
      // A JSON array works too, and is reported by index.
      const arr = await t.store.importLegacySessions(JSON.stringify([{ chat_id: "chat_arr", status: "COMPLETED", workflow_name: "Build", user_id: "lee" }, { chat_id: 5 }]));
      assert.deepEqual([arr.imported, arr.invalid, arr.problems[0]?.where], [1, 1, "index 1"]);
      const defaults: Scope = { enterpriseId: "default", appId: "default", userId: "lee" };
      assert.equal((await t.store.listWorkflowSessions(defaults, { statuses: ["COMPLETED"] }))[0]?.legacyId, "chat_arr");
    });

  });
}
