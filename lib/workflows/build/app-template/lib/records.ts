import type { Db } from "./db";
import { appSchema } from "./schema";
import type { EntityDef, FieldDef, Row, Value } from "./schema-types";
import { q, targetOf } from "./sql";
import { parseRecord, type Errors } from "./validate";

/** Data access for every entity, driven by the schema; all values travel as bound parameters. */
export type SaveResult = { ok: true; id: number } | { ok: false; errors: Errors };

const SEARCHABLE = new Set(["string", "text", "email", "url", "phone", "enum", "date", "datetime", "time"]);

function toRow(db: Db, entity: EntityDef, raw: Record<string, unknown>): Row {
  const values: Record<string, Value> = Object.create(null);
  const id = Number(raw.id);
  for (const f of entity.fields) {
    if (f.many) {
      values[f.key] = (db.prepare(`SELECT "target_id" AS t FROM ${q(f.joinTable!)} WHERE "source_id" = ? ORDER BY "target_id"`).all(id) as { t: number }[]).map((r) => r.t);
    } else {
      const v = raw[`c_${f.column}`];
      values[f.key] = v === undefined || v === null ? null : f.type === "boolean" ? v === 1 : (v as Value);
    }
  }
  return { id, createdAt: String(raw.created_at), values };
}

function selectList(entity: EntityDef): string {
  const cols = entity.fields.filter((f) => !f.many).map((f) => `${q(f.column)} AS ${q(`c_${f.column}`)}`);
  return [`"id"`, `"created_at"`, ...cols].join(", ");
}

export function listRecords(db: Db, entity: EntityDef, options: { search?: string; sort?: string; dir?: "asc" | "desc" } = {}): Row[] {
  const params: unknown[] = [];
  let where = "";
  const search = options.search?.trim();
  if (search) {
    const cols = entity.fields.filter((f) => !f.many && SEARCHABLE.has(f.type));
    if (cols.length) {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where = ` WHERE ${cols.map((f) => `${q(f.column)} LIKE ? ESCAPE '\\'`).join(" OR ")}`;
      for (const _ of cols) params.push(like);
    } else where = " WHERE 0";
  }
  const sortField = entity.fields.find((f) => f.key === options.sort && !f.many);
  const order = `${sortField ? q(sortField.column) : `"id"`} ${options.dir === "desc" ? "DESC" : "ASC"}, "id" ASC`;
  const rows = db.prepare(`SELECT ${selectList(entity)} FROM ${q(entity.table)}${where} ORDER BY ${order} LIMIT 1000`).all(...params) as Record<string, unknown>[];
  return rows.map((r) => toRow(db, entity, r));
}

export function getRecord(db: Db, entity: EntityDef, id: number): Row | undefined {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  const raw = db.prepare(`SELECT ${selectList(entity)} FROM ${q(entity.table)} WHERE "id" = ?`).get(id) as Record<string, unknown> | undefined;
  return raw && toRow(db, entity, raw);
}

function exists(db: Db, entity: EntityDef, id: number): boolean {
  return db.prepare(`SELECT 1 FROM ${q(entity.table)} WHERE "id" = ?`).get(id) !== undefined;
}

function checkReferences(db: Db, entity: EntityDef, values: Record<string, Value>, errors: Errors): void {
  for (const f of entity.fields) {
    if (f.type !== "reference" || errors[f.key]) continue;
    const target = targetOf(appSchema, f);
    const v = values[f.key];
    const ids = Array.isArray(v) ? v : typeof v === "number" ? [v] : [];
    const missing = ids.filter((id) => !exists(db, target, id));
    if (missing.length) errors[f.key] = `${f.label}: there is no ${target.label.toLowerCase()} with id ${missing.join(", ")}`;
  }
}

function stored(f: FieldDef, v: Value): unknown {
  return f.type === "boolean" ? (v ? 1 : 0) : v;
}

function writeLinks(db: Db, entity: EntityDef, id: number, values: Record<string, Value>): void {
  for (const f of entity.fields) {
    if (!f.many) continue;
    db.prepare(`DELETE FROM ${q(f.joinTable!)} WHERE "source_id" = ?`).run(id);
    const insert = db.prepare(`INSERT INTO ${q(f.joinTable!)} ("source_id", "target_id") VALUES (?, ?)`);
    for (const target of (values[f.key] as number[]) ?? []) insert.run(id, target);
  }
}

export function createRecord(db: Db, entity: EntityDef, input: Record<string, unknown>): SaveResult {
  const { values, errors } = parseRecord(entity, input);
  checkReferences(db, entity, values, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const cols = entity.fields.filter((f) => !f.many);
  return db.transaction((): SaveResult => {
    const sql = cols.length
      ? `INSERT INTO ${q(entity.table)} (${cols.map((f) => q(f.column)).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`
      : `INSERT INTO ${q(entity.table)} DEFAULT VALUES`;
    const id = Number(db.prepare(sql).run(...cols.map((f) => stored(f, values[f.key]!))).lastInsertRowid);
    writeLinks(db, entity, id, values);
    return { ok: true, id };
  })();
}

/** Replaces a row's values (the JSON API's PATCH merges the stored values in first). */
export function updateRecord(db: Db, entity: EntityDef, id: number, input: Record<string, unknown>): SaveResult {
  if (!getRecord(db, entity, id)) return { ok: false, errors: { _form: `There is no ${entity.label.toLowerCase()} with id ${id}` } };
  const { values, errors } = parseRecord(entity, input);
  checkReferences(db, entity, values, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  const cols = entity.fields.filter((f) => !f.many);
  return db.transaction((): SaveResult => {
    if (cols.length) db.prepare(`UPDATE ${q(entity.table)} SET ${cols.map((f) => `${q(f.column)} = ?`).join(", ")} WHERE "id" = ?`).run(...cols.map((f) => stored(f, values[f.key]!)), id);
    writeLinks(db, entity, id, values);
    return { ok: true, id };
  })();
}

/** Rows elsewhere that must have this one (a required many-to-one reference) keep it from being deleted. */
export function deleteRecord(db: Db, entity: EntityDef, id: number): { ok: true } | { ok: false; error: string; notFound?: boolean } {
  if (!getRecord(db, entity, id)) return { ok: false, error: `There is no ${entity.label.toLowerCase()} with id ${id}`, notFound: true };
  for (const source of appSchema.entities) {
    for (const f of source.fields) {
      if (f.type !== "reference" || f.many || !f.required || f.references !== entity.key) continue;
      const { n } = db.prepare(`SELECT count(*) AS n FROM ${q(source.table)} WHERE ${q(f.column)} = ?`).get(id) as { n: number };
      if (n > 0 && !(source.key === entity.key && n === 1 && getRecord(db, source, id)?.values[f.key] === id)) {
        return { ok: false, error: `This ${entity.label.toLowerCase()} is still the ${f.label.toLowerCase()} of ${n} ${n === 1 ? source.label.toLowerCase() : source.pluralLabel.toLowerCase()}: change or delete those first.` };
      }
    }
  }
  db.prepare(`DELETE FROM ${q(entity.table)} WHERE "id" = ?`).run(id);
  return { ok: true };
}

/** How a row is named where it is referenced. */
export function labelOf(entity: EntityDef, row: Row): string {
  const v = entity.labelField ? row.values[entity.labelField] : null;
  return v === null || v === undefined || v === "" ? `${entity.label} #${row.id}` : String(v);
}

export function choices(db: Db, entity: EntityDef): { id: number; label: string }[] {
  return listRecords(db, entity, { sort: entity.labelField ?? undefined }).map((r) => ({ id: r.id, label: labelOf(entity, r) }));
}

/** Rows of `source` whose `field` points at `id` (the other side of a relation). */
export function referencing(db: Db, source: EntityDef, field: FieldDef, id: number): Row[] {
  const ids = field.many
    ? (db.prepare(`SELECT "source_id" AS s FROM ${q(field.joinTable!)} WHERE "target_id" = ? ORDER BY "source_id"`).all(id) as { s: number }[]).map((r) => r.s)
    : (db.prepare(`SELECT "id" AS s FROM ${q(source.table)} WHERE ${q(field.column)} = ? ORDER BY "id"`).all(id) as { s: number }[]).map((r) => r.s);
  return ids.map((i) => getRecord(db, source, i)).filter((r): r is Row => r !== undefined);
}

/** The JSON API's shape of a row. */
export function toJson(row: Row): Record<string, unknown> {
  return { id: row.id, createdAt: row.createdAt, ...row.values };
}
