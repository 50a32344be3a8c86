import type { AppSchema, EntityDef, FieldDef } from "./schema-types";

/**
 * SQL for the schema. Identifiers come from lib/app-schema.json, are checked against a strict
 * pattern again here and always double-quoted (so `order` or `group` are ordinary names);
 * values never appear in SQL text, only as bound parameters.
 */
export function q(identifier: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(identifier)) throw new Error(`unsafe SQL identifier ${JSON.stringify(identifier)}`);
  return `"${identifier}"`;
}

const COLUMN_TYPES: Record<FieldDef["type"], string> = {
  string: "TEXT", text: "TEXT", number: "REAL", integer: "INTEGER", decimal: "REAL", money: "REAL",
  boolean: "INTEGER", date: "TEXT", datetime: "TEXT", time: "TEXT", email: "TEXT", url: "TEXT",
  phone: "TEXT", image: "TEXT", enum: "TEXT", reference: "INTEGER",
};

export function targetOf(schema: AppSchema, field: FieldDef): EntityDef {
  const target = schema.entities.find((e) => e.key === field.references);
  if (!target) throw new Error(`${field.key} references an unknown entity`);
  return target;
}

/** The statements of the first migration: one table per entity, one join table per many-to-many field. */
export function migrationStatements(schema: AppSchema): string[] {
  const statements: string[] = [];
  for (const entity of schema.entities) {
    const cols = [`"id" INTEGER PRIMARY KEY AUTOINCREMENT`];
    for (const f of entity.fields) {
      if (f.many) continue;
      let col = `${q(f.column)} ${COLUMN_TYPES[f.type]}${f.required ? " NOT NULL" : ""}`;
      if (f.type === "reference") col += ` REFERENCES ${q(targetOf(schema, f).table)}("id") ON DELETE ${f.required ? "RESTRICT" : "SET NULL"}`;
      cols.push(col);
    }
    cols.push(`"created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))`);
    statements.push(`CREATE TABLE IF NOT EXISTS ${q(entity.table)} (\n  ${cols.join(",\n  ")}\n)`);
  }
  for (const entity of schema.entities) {
    for (const f of entity.fields) {
      if (!f.many || !f.joinTable) continue;
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${q(f.joinTable)} (\n  "source_id" INTEGER NOT NULL REFERENCES ${q(entity.table)}("id") ON DELETE CASCADE,\n  "target_id" INTEGER NOT NULL REFERENCES ${q(targetOf(schema, f).table)}("id") ON DELETE CASCADE,\n  PRIMARY KEY ("source_id", "target_id")\n)`,
      );
    }
  }
  return statements;
}
