/** Edits to a working copy of a spec; refine.ts decides which to apply from the user's words. */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import type { Renames } from "./diff.ts";
import { type Entity, type Field, type FieldType, parseFieldPhrase, toField } from "./fields.ts";
import { camel, pascal, singular, wordsOf } from "./inflect.ts";
import { DOMAIN, entryByName } from "./domain.ts";
import { AUTH_FEATURE, addReference, attachTarget, crudFeature, mainEntity, newEntity, upsertField } from "./model.ts";
import { entityFromPhrase } from "./understand.ts";

const DETERMINERS = new Set("a an the my our your their his her its this that these those each every all any some no new".split(" "));

export interface Work {
  spec: AppSpec;
  renames: Renames;
  /** Entities created in this refinement: they get pages and a CRUD feature. */
  added: Set<string>;
}

const NOISE = new Set([...DETERMINERS, "entity", "entities", "model", "models", "table", "tables", "type", "called", "named", "new"]);

export function phraseWords(phrase: string): string[] {
  return wordsOf(phrase.replace(/['’]s\b/g, "")).filter((w) => !NOISE.has(w));
}

export function splitItems(text: string): string[] {
  return text
    .split(/\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*/i)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function findEntity(spec: AppSpec, phrase: string): Entity | undefined {
  const words = phraseWords(phrase);
  if (words.length === 0 || words.length > 3) return undefined;
  const last = words.length - 1;
  const names = new Set([pascal(words), pascal(words.map((w, i) => (i === last ? singular(w) : w)))].map((n) => n.toLowerCase()));
  const ref = entityFromPhrase(words.join(" "));
  if (ref) names.add(ref.name.toLowerCase());
  return spec.entities.find((e) => names.has(e.name.toLowerCase()));
}

export function findField(entity: Entity, phrase: string): Field | undefined {
  const words = phraseWords(phrase).filter((w) => !["field", "fields", "column", "property", "attribute"].includes(w));
  const last = words.length - 1;
  const names = new Set([camel(words), camel(words.map((w, i) => (i === last ? singular(w) : w)))].map((n) => n.toLowerCase()));
  return entity.fields.find((f) => names.has(f.name.toLowerCase()));
}

export function addEntity(work: Work, name: string, listed: Field[], target?: string): boolean {
  const { spec } = work;
  if (spec.entities.some((e) => e.name === name) || spec.entities.length >= 100) return false;
  const entity = newEntity(name, listed);
  spec.entities.push(entity);
  work.added.add(name);
  const entry = entryByName(name);
  const about = target ?? (entry?.interaction ? mainEntity(spec.entities.filter((e) => e.name !== name)) ?? undefined : undefined);
  const other = about ? spec.entities.find((e) => e.name === about) : undefined;
  if (other && about) {
    if (entry?.interaction) attachTarget(entity, about);
    else if (entry?.grouping) addReference(other, camel(wordsOf(name)), name, false, false);
    else addReference(entity, camel(wordsOf(about)), about, true, false);
  }
  if (name === "User" && !spec.features.includes(AUTH_FEATURE)) spec.features.push(AUTH_FEATURE);
  return true;
}

export function removeEntity(work: Work, entity: Entity): void {
  const { spec } = work;
  spec.entities = spec.entities.filter((e) => e !== entity);
  for (const e of spec.entities) {
    e.fields = e.fields.filter((f) => !(f.type === "reference" && f.references === entity.name));
    if (e.fields.length === 0) e.fields.push({ name: "name", type: "string", required: true });
  }
  spec.pages = spec.pages.filter((p) => p.entity !== entity.name);
  spec.features = spec.features.filter((f) => f !== crudFeature(entity.name) && !(entity.name === "User" && f === AUTH_FEATURE));
}

export function renameEntity(work: Work, entity: Entity, to: string): void {
  const from = entity.name;
  if (work.spec.entities.some((e) => e.name === to)) return;
  entity.name = to;
  work.renames.entities.set(to, work.renames.entities.get(from) ?? from);
  for (const e of work.spec.entities) for (const f of e.fields) if (f.references === from) f.references = to;
  // The old pages go; syncPages adds the new entity's pages.
  work.spec.pages = work.spec.pages.filter((p) => p.entity !== from);
  work.added.add(to);
  work.spec.features = work.spec.features.map((f) => (f === crudFeature(from) ? crudFeature(to) : f));
}

export function renameField(work: Work, entity: Entity, field: Field, to: string): void {
  if (!to || entity.fields.some((f) => f.name === to)) return;
  work.renames.fields.set(`${entity.name}.${to}`, work.renames.fields.get(`${entity.name}.${field.name}`) ?? field.name);
  field.name = to;
}

const TYPE_WORDS: Record<string, FieldType> = {
  string: "string", text: "text", number: "number", decimal: "decimal", integer: "integer", int: "integer",
  boolean: "boolean", date: "date", datetime: "datetime", time: "time", email: "email", url: "url", link: "url",
  money: "money", currency: "money", phone: "phone", image: "image", photo: "image", picture: "image",
};

export function changeField(field: Field, change: string): boolean {
  const c = change.toLowerCase();
  if (c === "optional" || c === "required" || c === "mandatory") {
    field.required = c !== "optional";
    return true;
  }
  const type = TYPE_WORDS[c];
  if (!type || field.type === "reference") return false;
  field.type = type;
  delete field.values;
  if (type !== "money") delete field.currency;
  if (!["number", "integer", "decimal"].includes(type)) delete field.unit;
  return true;
}

/**
 * Adds what the user listed for an entity: fields, or links when an item names an entity
 * ("add a project to tasks", "add comments to recipes").
 */
/** People who are another row of the same entity: "each employee has a manager". */
const SELF = new Set(["manager", "supervisor", "boss", "mentor", "parent", "lead", "leader", "coach", "referrer", "sponsor", "partner", "spouse", "buddy", "successor", "predecessor"]);

export function addListed(work: Work, entity: Entity, items: string[]): void {
  for (const item of items) {
    const words = phraseWords(item);
    if (words.length === 0) continue;
    const person = entryByName(entity.name)?.person || DOMAIN.personWords.has(entity.name.toLowerCase()) || entity.fields.some((f) => f.name === "role");
    if (words.length === 1 && SELF.has(words[0]!) && (person || words[0] === "parent")) {
      addReference(entity, words[0]!, entity.name, false, true);
      continue;
    }
    const existing = findEntity(work.spec, item);
    // "buyer" when there are users: a person who is a user of the app.
    if (!existing && words.length === 1 && DOMAIN.personWords.has(singular(words[0]!)) && work.spec.entities.some((e) => e.name === "User")) {
      addReference(entity, words[0]!, "User", true, true);
      continue;
    }
    const ref = words.length <= 2 ? entityFromPhrase(words.join(" ")) : null;
    const plural = ref?.plural ?? false;
    if (existing && existing.name !== entity.name) {
      if (plural && !entryByName(existing.name)?.grouping) addReference(existing, camel(wordsOf(entity.name)), entity.name, true, false);
      else addReference(entity, camel(words), existing.name, false, false);
      continue;
    }
    // "add comments to recipes" means a Comment entity; "add notes" or "add ratings" means a field.
    if (ref?.lex && plural && words.length === 1 && !["notes", "ratings", "tags"].includes(words[0] ?? "")) {
      addEntity(work, ref.name, [], entity.name);
      continue;
    }
    const parsed = parseFieldPhrase(item);
    if (!parsed) continue;
    const same = entity.fields.find((f) => f.name.toLowerCase() === parsed.name.toLowerCase());
    if (same && !parsed.explicitType) continue;
    upsertField(entity, { ...toField(parsed), name: same?.name ?? parsed.name });
  }
}
