/**
 * Readable differences between two versions of an artifact's state, for the history view.
 * App specs get a domain diff (entities and fields added, removed, renamed, retyped; pages,
 * features, the app's name); other types a path-by-path diff from microdiff. Pure: no I/O, so
 * the browser and tests use it alike.
 *
 * Renames are inferred, since the versions carry no identity for entities or fields: an
 * entity that disappeared and one that appeared with mostly the same field names is a rename;
 * within an entity, one field removed and one added with the same type is a rename.
 */
import diff from "microdiff";
import { appSpecState, type AppSpec } from "./schemas.ts";

export type ChangeKind = "added" | "removed" | "renamed" | "changed";

export interface Change {
  kind: ChangeKind;
  /** One line a person reads ("Added field price (money) to Product"). */
  text: string;
}

type Entity = AppSpec["entities"][number];
type Field = Entity["fields"][number];

export function fieldType(f: Field): string {
  if (f.type === "reference") return `reference to ${f.references ?? "?"}${f.cardinality === "many-to-many" ? " (many)" : ""}`;
  if (f.type === "enum" && f.values) return `enum: ${f.values.join(", ")}`;
  if (f.type === "money" && f.currency) return `money, ${f.currency}`;
  if (f.unit) return `${f.type}, ${f.unit}`;
  return f.type;
}

const describeField = (f: Field) => `${f.name} (${fieldType(f)}${f.required ? "" : ", optional"})`;

/** Share of field names two entities have in common (0..1). */
function overlap(a: Entity, b: Entity): number {
  const names = new Set(a.fields.map((f) => f.name.toLowerCase()));
  const common = b.fields.filter((f) => names.has(f.name.toLowerCase())).length;
  return common / Math.max(a.fields.length, b.fields.length, 1);
}

function pairRenamed<T>(removed: T[], added: T[], score: (r: T, a: T) => number, threshold: number): [T, T][] {
  const pairs: [T, T][] = [];
  const used = new Set<T>();
  for (const r of removed) {
    let best: T | undefined;
    let bestScore = threshold;
    for (const a of added) {
      if (used.has(a)) continue;
      const s = score(r, a);
      if (s >= bestScore) [best, bestScore] = [a, s];
    }
    if (best !== undefined) {
      used.add(best);
      pairs.push([r, best]);
    }
  }
  return pairs;
}

function fieldChanges(entityName: string, before: Entity, after: Entity): Change[] {
  const out: Change[] = [];
  const oldByName = new Map(before.fields.map((f) => [f.name, f]));
  const newNames = new Set(after.fields.map((f) => f.name));
  const removed = before.fields.filter((f) => !newNames.has(f.name));
  const added = after.fields.filter((f) => !oldByName.has(f.name));
  const renamed = pairRenamed(removed, added, (r, a) => (fieldType(r) === fieldType(a) ? 1 : 0), 1);
  const renamedFrom = new Map(renamed.map(([r, a]) => [a, r]));
  const renamedOld = new Set(renamed.map(([r]) => r));
  for (const [r, a] of renamed) out.push({ kind: "renamed", text: `Renamed field ${r.name} on ${entityName} to ${a.name}` });
  for (const f of after.fields) {
    if (renamedFrom.has(f)) continue;
    const was = oldByName.get(f.name);
    if (!was) {
      out.push({ kind: "added", text: `Added field ${describeField(f)} to ${entityName}` });
      continue;
    }
    if (fieldType(was) !== fieldType(f)) out.push({ kind: "changed", text: `Changed ${entityName}.${f.name} from ${fieldType(was)} to ${fieldType(f)}` });
    if (was.required !== f.required) out.push({ kind: "changed", text: `Made ${entityName}.${f.name} ${f.required ? "required" : "optional"}` });
    if ((was.label ?? "") !== (f.label ?? "") && f.label) out.push({ kind: "changed", text: `Relabelled ${entityName}.${f.name} as "${f.label}"` });
  }
  for (const f of removed) if (!renamedOld.has(f)) out.push({ kind: "removed", text: `Removed field ${f.name} from ${entityName}` });
  return out;
}

export function diffAppSpecs(before: AppSpec, after: AppSpec): Change[] {
  const out: Change[] = [];
  if (before.name !== after.name) out.push({ kind: "renamed", text: `Renamed the app from "${before.name}" to "${after.name}"` });
  if ((before.summary ?? "") !== (after.summary ?? "")) out.push({ kind: "changed", text: after.summary ? `New summary: ${after.summary}` : "Removed the summary" });

  const oldByName = new Map(before.entities.map((e) => [e.name, e]));
  const newNames = new Set(after.entities.map((e) => e.name));
  const removed = before.entities.filter((e) => !newNames.has(e.name));
  const added = after.entities.filter((e) => !oldByName.has(e.name));
  const renamed = pairRenamed(removed, added, overlap, 0.5);
  const renamedFrom = new Map(renamed.map(([r, a]) => [a, r]));
  const renamedOld = new Set(renamed.map(([r]) => r));
  for (const e of after.entities) {
    const from = renamedFrom.get(e);
    if (from) {
      out.push({ kind: "renamed", text: `Renamed entity ${from.name} to ${e.name}` });
      out.push(...fieldChanges(e.name, from, e));
      continue;
    }
    const was = oldByName.get(e.name);
    if (!was) out.push({ kind: "added", text: `Added entity ${e.name} (${e.fields.map((f) => f.name).join(", ")})` });
    else out.push(...fieldChanges(e.name, was, e));
  }
  for (const e of removed) if (!renamedOld.has(e)) out.push({ kind: "removed", text: `Removed entity ${e.name}` });

  const oldFeatures = new Set(before.features);
  const newFeatures = new Set(after.features);
  for (const f of after.features) if (!oldFeatures.has(f)) out.push({ kind: "added", text: `Added feature: ${f}` });
  for (const f of before.features) if (!newFeatures.has(f)) out.push({ kind: "removed", text: `Removed feature: ${f}` });

  const oldPages = new Map(before.pages.map((p) => [p.path, p]));
  const newPages = new Map(after.pages.map((p) => [p.path, p]));
  for (const [path, p] of newPages) {
    const was = oldPages.get(path);
    if (!was) out.push({ kind: "added", text: `Added page ${p.name} (${path})` });
    else if (was.name !== p.name) out.push({ kind: "renamed", text: `Renamed page ${path} from ${was.name} to ${p.name}` });
  }
  for (const [path, p] of oldPages) if (!newPages.has(path)) out.push({ kind: "removed", text: `Removed page ${p.name} (${path})` });
  return out;
}

const MAX_VALUE_CHARS = 80;
function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** Any JSON state: one line per changed path ("files.3.bytes: 120 → 240"). */
export function diffJson(before: Record<string, unknown>, after: Record<string, unknown>): Change[] {
  return diff(before, after).map((d) => {
    const path = d.path.join(".");
    if (d.type === "CREATE") return { kind: "added", text: `Added ${path}: ${show(d.value)}` };
    if (d.type === "REMOVE") return { kind: "removed", text: `Removed ${path} (was ${show(d.oldValue)})` };
    return { kind: "changed", text: `Changed ${path}: ${show(d.oldValue)} → ${show(d.value)}` };
  });
}

/** The changes from `before` to `after` of an artifact of `type`. */
export function diffArtifactStates(type: string, before: Record<string, unknown>, after: Record<string, unknown>): Change[] {
  if (type === "app_spec") {
    const a = appSpecState.safeParse(before);
    const b = appSpecState.safeParse(after);
    if (a.success && b.success) return diffAppSpecs(a.data, b.data);
  }
  return diffJson(before, after);
}
