/** Human-readable differences between two spec versions, for the "changes" list. */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import type { Entity, Field } from "./fields.ts";

export interface Renames {
  /** New entity name → old. */
  entities: Map<string, string>;
  /** "Entity.newField" → old field name. */
  fields: Map<string, string>;
}

export function fieldLabel(f: Field): string {
  let type: string = f.type;
  if (f.type === "reference") type = `${f.cardinality === "many-to-many" ? "references" : "reference"} to ${f.references ?? "?"}`;
  else if (f.type === "enum" && f.values) type = `choice of ${f.values.join(", ")}`;
  else if (f.type === "money" && f.currency) type = `money in ${f.currency}`;
  else if (f.unit) type = `${f.type} in ${f.unit}`;
  return f.required ? type : `${type}, optional`;
}

export function entityLabel(e: Entity): string {
  return e.fields.map((f) => (f.type === "reference" ? `${f.name} → ${f.references ?? "?"}` : f.name)).join(", ");
}

function fieldChanges(before: Entity, after: Entity, renames: Renames): string[] {
  const out: string[] = [];
  const kept = new Set<string>();
  for (const f of after.fields) {
    const oldName = renames.fields.get(`${after.name}.${f.name}`) ?? f.name;
    const was = before.fields.find((x) => x.name === oldName);
    if (!was) {
      out.push(`Added field ${f.name} (${fieldLabel(f)}) to ${after.name}`);
      continue;
    }
    kept.add(was.name);
    if (oldName !== f.name) out.push(`Renamed field ${oldName} on ${after.name} to ${f.name}`);
    const target = f.references === undefined ? undefined : (renames.entities.get(f.references) ?? f.references);
    if (was.type !== f.type || was.references !== target || fieldLabel(was) !== fieldLabel({ ...f, required: was.required, references: target })) {
      out.push(`Changed ${after.name}.${f.name} from ${fieldLabel(was)} to ${fieldLabel(f)}`);
    } else if (was.required !== f.required) {
      out.push(`Made ${after.name}.${f.name} ${f.required ? "required" : "optional"}`);
    }
  }
  for (const f of before.fields) if (!kept.has(f.name)) out.push(`Removed field ${f.name} from ${after.name}`);
  return out;
}

export function diffSpecs(before: AppSpec, after: AppSpec, renames: Renames): string[] {
  const out: string[] = [];
  if (before.name !== after.name) out.push(`Renamed the app to "${after.name}"`);
  const matched = new Set<string>();
  for (const e of after.entities) {
    const oldName = renames.entities.get(e.name) ?? e.name;
    const was = before.entities.find((x) => x.name === oldName);
    if (!was) {
      out.push(`Added entity ${e.name} (${entityLabel(e)})`);
      continue;
    }
    matched.add(was.name);
    if (oldName !== e.name) out.push(`Renamed entity ${oldName} to ${e.name}`);
    out.push(...fieldChanges(was, e, renames));
  }
  for (const e of before.entities) if (!matched.has(e.name)) out.push(`Removed entity ${e.name}`);
  const paths = (s: AppSpec): Set<string> => new Set(s.pages.map((p) => p.path));
  const beforePaths = paths(before);
  const afterPaths = paths(after);
  for (const p of after.pages) if (!beforePaths.has(p.path)) out.push(`Added page ${p.name} (${p.path})`);
  for (const p of before.pages) if (!afterPaths.has(p.path)) out.push(`Removed page ${p.name} (${p.path})`);
  const beforeFeatures = new Set(before.features);
  const afterFeatures = new Set(after.features);
  for (const f of after.features) if (!beforeFeatures.has(f)) out.push(`Added feature: ${f}`);
  for (const f of before.features) if (!afterFeatures.has(f)) out.push(`Removed feature: ${f}`);
  return out;
}
