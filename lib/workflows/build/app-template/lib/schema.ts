import raw from "./app-schema.json";
import type { AppSchema, EntityDef, FieldDef } from "./schema-types";

export const appSchema = raw as unknown as AppSchema;

export function entityByKey(key: string): EntityDef | undefined {
  return appSchema.entities.find((e) => e.key === key);
}

export function requireEntity(key: string): EntityDef {
  const entity = entityByKey(key);
  if (!entity) throw new Error(`unknown entity ${JSON.stringify(key)}`);
  return entity;
}

/** Fields of other entities (and this one) that point at `entity`: the other side of each relation. */
export function incomingReferences(entity: EntityDef): { source: EntityDef; field: FieldDef }[] {
  const out: { source: EntityDef; field: FieldDef }[] = [];
  for (const source of appSchema.entities) {
    for (const field of source.fields) if (field.type === "reference" && field.references === entity.key) out.push({ source, field });
  }
  return out;
}
