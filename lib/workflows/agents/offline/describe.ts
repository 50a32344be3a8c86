/**
 * Summary, features and pages written from the spec's own entities (and, for a first draft, the
 * actions the description named): never pasted from the user's sentence fragments.
 */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import { entryByName } from "./domain.ts";
import { keywordFeatures } from "./features.ts";
import type { Entity, Page } from "./fields.ts";
import { capitalise, humanPlural, humanSingular, joinList, plural, wordsOf } from "./inflect.ts";
import { AUTH_FEATURE, crudFeature, entityPages, homePage, mainEntity } from "./model.ts";

export interface ActionFact {
  actor: string | null;
  verbs: string[];
  object: string;
  record?: boolean;
  /** The role the actor acts in ("manager" of Employee). */
  actorLabel?: string;
}
const article = (w: string): string => `${/^[aeiou]/i.test(w) ? "an" : "a"} ${w}`;

const plainPlural = (e: Entity | string): string => {
  const name = typeof e === "string" ? e : e.name;
  const label = typeof e === "string" ? undefined : e.label;
  return label ? pluralOfLabel(label) : humanPlural(name);
};
function pluralOfLabel(label: string): string {
  const ws = label.toLowerCase().split(/\s+/);
  const last = ws.pop() ?? "";
  return [...ws, plural(last)].join(" ");
}
const enumText = (values: string[]): string => joinList(values.map((v) => v.replace(/-/g, " ")), "or");

/** "Managers can approve or reject leave requests", "Record goals for each match". */
export function actionFeature(a: ActionFact, entities: Entity[]): string | null {
  const object = entities.find((e) => e.name === a.object);
  if (!object) return null;
  const verbs = joinList([...new Set(a.verbs)], "or");
  const target = object.fields.find((f) => f.type === "reference" && f.references !== a.actor && !entryByName(f.references ?? "")?.person)?.references;
  const event = !entryByName(object.name) || entryByName(object.name)?.interaction;
  if (a.record && target) {
    return `Record ${plainPlural(object)} for each ${humanSingular(target)}`;
  }
  const actor = a.actor ? entities.find((e) => e.name === a.actor) : undefined;
  const who = a.actorLabel ? capitalise(plural(a.actorLabel)) : actor ? capitalise(plainPlural(actor)) : "Users";
  const what = event && target ? plainPlural(target) : plainPlural(object);
  if (a.verbs.every((v) => ["see", "view"].includes(v))) return `${who} can see ${what}`;
  // "employees request leave requests" reads as making one.
  const head = wordsOf(object.name).at(-1);
  if (a.verbs.length === 1 && head && a.verbs[0] === head) return `${who} can make ${what}`;
  return `${who} can ${verbs} ${what}`;
}

export function pagesFor(entities: Entity[], main: string | null, extra: Page[] = []): Page[] {
  const pages: Page[] = [homePage(main)];
  for (const e of entities) if (e.name !== "User") pages.push(...entityPages(e.name));
  if (entities.some((e) => e.name === "User")) pages.push(...entityPages("User"));
  for (const p of extra) if (!pages.some((x) => x.path === p.path)) pages.push(p);
  return pages.slice(0, 100);
}

/** What each entity is for, in one sentence each, from its fields: roles, statuses and links. */
export function summaryFor(name: string, entities: Entity[], main: string | null, personal: boolean): string {
  const kept = entities.filter((e) => e.name !== "User");
  const sentences = [`${name} ${personal ? "helps you keep" : "keeps"} track of ${joinList(kept.slice(0, 6).map(plainPlural))}.`];
  for (const e of kept.slice(0, 6)) {
    const status = e.fields.find((f) => f.type === "enum" && f.values && ["status", "stage", "role"].includes(f.name));
    const links = e.fields.filter((f) => f.type === "reference" && f.references !== "User").map((f) => humanSingular(f.references!));
    const parts: string[] = [];
    if (links.length) parts.push(`belong to ${joinList([...new Set(links)].map(article))}`);
    if (status?.values) parts.push(status.name === "role" ? `have a role (${enumText(status.values)})` : `are ${enumText(status.values)}`);
    if (parts.length) sentences.push(`${capitalise(plainPlural(e))} ${joinList(parts)}.`);
  }
  const users = entities.find((e) => e.name === "User");
  const role = users?.fields.find((f) => f.name === "role" && f.values);
  if (role?.values) sentences.push(`People sign in as ${joinList(role.values.map((v) => `${/^[aeiou]/.test(v) ? "an" : "a"} ${v.replace(/-/g, " ")}`), "or")}.`);
  return sentences.join(" ").slice(0, 2000);
}

export function featuresFor(entities: Entity[], actions: ActionFact[], auth: boolean, keyword: string[]): string[] {
  const out: string[] = [];
  const push = (f: string | null) => {
    if (f && f.length <= 300 && !out.some((x) => x.toLowerCase() === f.toLowerCase())) out.push(f);
  };
  for (const a of actions) push(actionFeature(a, entities));
  for (const e of entities) {
    const status = e.fields.find((f) => f.type === "enum" && f.name === "status" && f.values);
    if (status?.values && status.values.length > 1) push(`Mark ${plainPlural(e)} as ${enumText(status.values)}`);
  }
  for (const f of keyword) push(f);
  if (auth) push(AUTH_FEATURE);
  for (const e of entities) if (e.name !== "User") push(crudFeature(e.name));
  return out.slice(0, 100);
}

export function describeSpec(input: { name: string; entities: Entity[]; actions: ActionFact[]; auth: boolean; personal: boolean; text: string }): AppSpec {
  const { name, entities } = input;
  const main = mainEntity(entities);
  const keyword = keywordFeatures(input.text, main ? plainPlural(main) : "items", []);
  return {
    name,
    summary: summaryFor(name, entities, main, input.personal),
    features: featuresFor(entities, input.actions, input.auth, keyword.features),
    entities: entities.slice(0, 100),
    pages: pagesFor(entities, main, keyword.pages),
  };
}
