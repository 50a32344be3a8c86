import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { openDatabase } from "../lib/db";
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord } from "../lib/records";
import { appSchema } from "../lib/schema";
import { sampleInput, seedOrder } from "../lib/samples";
import { SEED_ROWS } from "../lib/seed";
import { parseField } from "../lib/validate";

/** The app's own tests: the data layer against a temporary database, and the validation rules. */
const dir = mkdtempSync(path.join(tmpdir(), "app-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("migrations apply on a new database, again without change, and the seed fills every table", () => {
  const file = path.join(dir, "migrate.db");
  openDatabase(file).close();
  const db = openDatabase(file);
  for (const entity of appSchema.entities) assert.equal(listRecords(db, entity).length, SEED_ROWS, entity.name);
  db.close();
});

test("every entity: create, read, update and delete a row", () => {
  const db = openDatabase(path.join(dir, "crud.db"));
  const ids = (key: string) => listRecords(db, appSchema.entities.find((e) => e.key === key)!).map((r) => r.id);
  for (const entity of seedOrder(appSchema)) {
    const input = sampleInput(entity, 1, ids);
    const created = createRecord(db, entity, input);
    assert.ok(created.ok, `${entity.name}: ${JSON.stringify(!created.ok && created.errors)}`);
    const id = created.id;
    assert.ok(getRecord(db, entity, id));
    const updated = updateRecord(db, entity, id, { ...input });
    assert.ok(updated.ok, entity.name);
    const removed = deleteRecord(db, entity, id);
    assert.ok(removed.ok, `${entity.name}: ${!removed.ok && removed.error}`);
    assert.equal(getRecord(db, entity, id), undefined);
  }
  db.close();
});

test("a required field left empty is refused with a message naming it", () => {
  for (const entity of appSchema.entities) {
    for (const field of entity.fields.filter((f) => f.required && f.type !== "boolean")) {
      const result = parseField(field, "");
      assert.ok("error" in result, `${entity.name}.${field.key}`);
      assert.match(result.error, new RegExp(field.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
  }
});

test("values of the wrong kind are refused", () => {
  for (const entity of appSchema.entities) {
    for (const field of entity.fields) {
      const bad: Record<string, unknown> = { enum: "not-a-listed-value", integer: "1.5", number: "abc", decimal: "abc", money: "abc", date: "2026-02-30", datetime: "yesterday", time: "25:00", email: "nobody", url: "javascript:alert(1)", image: "ftp://x", reference: "abc" };
      if (!(field.type in bad) || field.many) continue;
      assert.ok("error" in parseField(field, bad[field.type]), `${entity.name}.${field.key} accepted ${String(bad[field.type])}`);
    }
  }
});

test("a reference to a row that does not exist is refused", () => {
  const db = openDatabase(path.join(dir, "refs.db"));
  const ids = (key: string) => listRecords(db, appSchema.entities.find((e) => e.key === key)!).map((r) => r.id);
  for (const entity of appSchema.entities) {
    const ref = entity.fields.find((f) => f.type === "reference");
    if (!ref) continue;
    const input = sampleInput(entity, 0, ids);
    input[ref.key] = ref.many ? [999_999] : 999_999;
    const result = createRecord(db, entity, input);
    assert.ok(!result.ok && result.errors[ref.key], `${entity.name}.${ref.key}`);
  }
  db.close();
});
