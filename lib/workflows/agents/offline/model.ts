/** Operations on spec entities and pages shared by first drafts and refinements. */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import { type Entity, type Field, type Page, referenceField } from "./fields.ts";
import { camel, capitalise, entityPath, humanPlural, humanSingular, titleCase, wordsOf } from "./inflect.ts";
import { DOMAIN, type LexEntry, entryByName } from "./domain.ts";

export const MAX_FIELDS = 100;

function describe(entry: LexEntry | undefined): string | undefined {
  return entry?.description;
}

/** A new entity: the domain's usual fields (or a plain name + notes), plus whatever the user listed. */
export function newEntity(name: string, listed: Field[] = [], template?: string, extra?: Field[]): Entity {
  const entry = entryByName(template ?? name);
  const listedNames = new Set(listed.map((f) => f.name));
  const identifying = ["name", "title", "subject", "label", "heading"].some((n) => listedNames.has(n));
  let base: Field[];
  if (extra) {
    base = extra;
  } else if (entry) {
    const core = entry.core.filter((f) => !(identifying && (f.name === "name" || f.name === "title")));
    base = listed.length > 0 ? core : [...core, ...entry.extra];
  } else {
    base = listed.length > 0 ? (identifying ? [] : [{ name: "name", type: "string", required: true }]) : [
      { name: "name", type: "string", required: true },
      { name: "notes", type: "text", required: false },
    ];
  }
  const fields: Field[] = base.map((f) => ({ ...f }));
  for (const f of listed) upsertField({ name, fields }, f);
  const description = extra ? undefined : describe(entry);
  return description ? { name, description, fields } : { name, fields };
}

/** Adds a field, or replaces a same-named one (the user's words win over defaults). */
export function upsertField(entity: Entity, field: Field): void {
  const i = entity.fields.findIndex((f) => f.name.toLowerCase() === field.name.toLowerCase());
  if (i >= 0) entity.fields[i] = { ...field };
  else if (entity.fields.length < MAX_FIELDS) entity.fields.push({ ...field });
}

/**
 * Points `entity` at `target`. A named link ("assignee") only checks its own name, so an entity
 * can point at User twice (requester, assignee); an unnamed one is skipped when any reference to
 * the target exists. A scalar of the same name ("author": string) becomes the reference.
 */
export function addReference(entity: Entity, field: string, target: string, required: boolean, named: boolean, many = false): boolean {
  if (entity.name === target && !named) return false;
  const same = entity.fields.find((f) => f.name === field);
  if (same) {
    if (same.type === "reference" || !["string", "text"].includes(same.type)) return false;
    delete same.unit;
    Object.assign(same, { type: "reference", references: target });
    return true;
  }
  if (!named && entity.fields.some((f) => f.type === "reference" && f.references === target)) return false;
  // "users post recipes" made recipe.user; the usual link names it better ("author").
  const generic = entity.fields.find((f) => f.type === "reference" && f.references === target && f.name === camel(wordsOf(target)));
  if (named && generic && field !== generic.name) {
    generic.name = field;
    return true;
  }
  if (entity.fields.length >= MAX_FIELDS) return false;
  entity.fields.push(referenceField(field, target, required, many));
  return true;
}

/** Applies the lexicon's usual links among the entities present, both for new and existing ones. */
export function linkAll(entities: Entity[]): void {
  const names = new Set(entities.map((e) => e.name));
  for (const entity of entities) {
    for (const link of entryByName(entity.name)?.links ?? []) {
      const target = link.to.find((t) => t !== entity.name && names.has(t));
      if (target) addReference(entity, link.field ?? camel(wordsOf(target)), target, link.required, link.field !== null);
    }
  }
}

/** The entity the app is mostly about: the first one that is not a user, comment, tag… */
export function mainEntity(entities: Entity[]): string | null {
  const person = (e: Entity) => entryByName(e.name)?.person || DOMAIN.personWords.has(e.name.toLowerCase());
  const primary = entities.find((e) => !entryByName(e.name)?.secondary && !person(e)) ?? entities.find((e) => !entryByName(e.name)?.secondary);
  return (primary ?? entities.find((e) => e.name !== "User") ?? entities[0])?.name ?? null;
}

/** Interaction entities (comments, reviews, bookings) point at what they are about. */
export function attachTarget(entity: Entity, target: string): boolean {
  return addReference(entity, camel(wordsOf(target)), target, true, false);
}

export function crudFeature(entity: string): string {
  return entity === "User" ? "Users can edit their profile" : `Create, view, edit and delete ${humanPlural(entity)}`;
}

export const AUTH_FEATURE = "Sign up and sign in with email and password";

export function entityPages(entity: string): Page[] {
  if (entity === "User") {
    return [
      { name: "Sign in", path: "/sign-in", purpose: "Sign in or create an account", entity },
      { name: "Profile", path: "/profile", purpose: "View and edit your profile", entity },
    ];
  }
  const plural = humanPlural(entity);
  const single = humanSingular(entity);
  return [
    { name: titleCase(plural.split(" ")), path: entityPath(entity), purpose: `Browse, search and add ${plural}`, entity },
    { name: `${capitalise(single)} details`, path: `${entityPath(entity)}/[id]`, purpose: `View and edit one ${single}`, entity },
  ];
}

export function homePage(main: string | null): Page {
  return { name: "Home", path: "/", purpose: main ? `Overview of recent ${humanPlural(main)}` : "Overview" };
}

/**
 * Drops pages of removed entities and adds pages for `added` ones, keeping paths unique. Only new
 * entities get pages, so a page the user removed stays removed.
 */
export function syncPages(spec: AppSpec, added: Set<string>): void {
  const names = new Set(spec.entities.map((e) => e.name));
  const pages = spec.pages.filter((p) => !p.entity || names.has(p.entity));
  for (const e of spec.entities) {
    if (!added.has(e.name)) continue;
    for (const page of entityPages(e.name)) {
      if (!pages.some((p) => p.path === page.path)) pages.push(page);
    }
  }
  spec.pages = pages.slice(0, 100);
}
