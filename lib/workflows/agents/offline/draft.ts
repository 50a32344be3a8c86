/** A first spec from a description: entities and fields from the extractor, then pages, features, name. */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import { PERSON_REF, QUANTIFIERS } from "./cues.ts";
import { type Relation, extract } from "./extract.ts";
import { clauseFeatures, keywordFeatures } from "./features.ts";
import { type Entity, type Field, type Page, parseFieldPhrase, referenceField } from "./fields.ts";
import { camel, humanPlural, wordsOf } from "./inflect.ts";
import { entryByName, lookupWord } from "./lexicon.ts";
import { AUTH_FEATURE, addReference, attachTarget, crudFeature, entityPages, homePage, linkAll, mainEntity, newEntity } from "./model.ts";
import { appName, summarise } from "./naming.ts";
import { resolveNoun } from "./nouns.ts";
import { DETERMINERS, normalise } from "./text.ts";

export const AUTH_RE = /\b(?:log ?ins?|logins?|sign ?ins?|sign ?ups?|signups?|register|registration|accounts?|profiles?|authenticat\w*|passwords?|multi-?user)\b/;
export const NO_AUTH_RE =
  /\b(?:no|without|don't need|do not need|doesn't need|no need for)\s+(?:any\s+|user\s+|a\s+)?(?:accounts?|log ?ins?|logins?|sign ?ins?|sign ?ups?|users|authentication|auth)\b|\b(?:just|only) for me\b|\bonly i\b/;
/** "Users can log in": covered by the account feature. */
export function isSignInFeature(feature: string): boolean {
  return /\bcan (?:log ?in|sign ?(?:in|up)|register|create (?:an )?accounts?)$/i.test(feature);
}

/** What a bare app kind usually holds, for descriptions that name no data ("a blog", "a CRM"). */
const KIND_DEFAULTS: Array<[RegExp, string[]]> = [
  [/\bblog\b/, ["Post", "Comment"]],
  [/\bcrm\b/, ["Contact", "Company", "Deal"]],
  [/\b(?:help ?desk|support desk|ticketing)\b/, ["Ticket"]],
  [/\b(?:e-?commerce|online (?:shop|store)|marketplace|webshop)\b/, ["Product", "Order", "Customer"]],
  [/\b(?:journal|diary)\b/, ["Entry"]],
  [/\b(?:forum|chat)\b/, ["Conversation", "Message"]],
  [/\bkanban\b/, ["Project", "Task"]],
  [/\b(?:calendar|scheduler|scheduling)\b/, ["Event"]],
  [/\bportfolio\b/, ["Project"]],
  [/\binventory\b/, ["Item"]],
];
const SKIP_FIELD = new Set("account accounts login logins thing things stuff everything anything something access feature features".split(" "));

function resolveListed(
  subject: string,
  words: string[],
  single: boolean,
  names: string[],
  relations: Relation[],
  fields: Field[],
): void {
  const quantified = words.some((w) => QUANTIFIERS.has(w));
  const content = words.filter((w) => !DETERMINERS.has(w) && !(quantified && (QUANTIFIERS.has(w) || w === "of")));
  const head = content[content.length - 1];
  if (head === undefined || (content.length === 1 && SKIP_FIELD.has(head))) return;
  const ref = quantified ? resolveNoun(content) : content.length <= 2 ? resolveNoun([head]) : null;
  const relate = (other: string, plural: boolean): void => {
    if (!names.includes(other)) names.push(other);
    const grouping = entryByName(other)?.grouping ?? false;
    if (plural && !grouping) relations.push({ from: other, to: subject, required: true });
    else fields.push(referenceField(plural ? camel(wordsOf(other)) : camel(content), other, !grouping));
  };
  if (ref && ref.name !== subject) {
    if (quantified) return relate(ref.name, true);
    if (names.includes(ref.name)) return relate(ref.name, ref.plural);
    if (single && ref.lex && ref.plural && content.length === 1) return relate(ref.name, true);
  }
  if (content.length === 1 && PERSON_REF.has(head)) {
    const own = lookupWord(head)?.entry.name;
    const target = own && names.includes(own) ? own : names.includes("User") ? "User" : null;
    if (target) return void fields.push(referenceField(head, target, false));
  }
  const parsed = parseFieldPhrase(words.join(" "));
  if (parsed) fields.push({ name: parsed.name, type: parsed.type, required: parsed.required });
}

/** Null when the description names nothing the app could store. */
export function draftSpec(text: string): AppSpec | null {
  const ex = extract(text);
  const lower = normalise(text).toLowerCase();
  const noAuth = NO_AUTH_RE.test(lower);
  const names = ex.entities.filter((n) => !(noAuth && n === "User"));
  if (!names.some((n) => n !== "User")) {
    const defaults = KIND_DEFAULTS.find(([re]) => re.test(lower))?.[1] ?? [];
    names.push(...defaults.filter((d) => !names.includes(d)));
  }
  if (!names.some((n) => n !== "User")) return null;
  const auth = !noAuth && (AUTH_RE.test(lower) || names.includes("User"));
  if (auth && !names.includes("User")) names.push("User");

  const relations = [...ex.relations];
  const listed = new Map<string, Field[]>();
  for (const [subject, items] of ex.listed) {
    if (!names.includes(subject)) continue;
    const fields = listed.get(subject) ?? [];
    for (const words of items) resolveListed(subject, words, items.length === 1, names, relations, fields);
    listed.set(subject, fields);
  }

  const entities: Entity[] = names.map((n) => newEntity(n, listed.get(n) ?? [], ex.templates.get(n)));
  const byName = (n: string): Entity | undefined => entities.find((e) => e.name === n);
  for (const r of relations) {
    const from = byName(r.from);
    if (from && byName(r.to)) addReference(from, camel(wordsOf(r.to)), r.to, r.required, false);
  }
  const main = mainEntity(entities);
  for (const e of entities) {
    if (!entryByName(e.name)?.interaction) continue;
    const target = ex.targets.get(e.name) ?? main;
    if (target && target !== e.name && byName(target)) attachTarget(e, target);
  }
  linkAll(entities);
  entities.sort((a, b) => (a.name === main ? -1 : b.name === main ? 1 : 0));

  const mainPlural = main ? humanPlural(main) : "items";
  // Signing in is covered by the account feature below.
  const said = clauseFeatures(text).filter((f) => !(auth && isSignInFeature(f)));
  const keyword = keywordFeatures(text, mainPlural, said);
  const crud = entities.filter((e) => e.name !== "User").map((e) => crudFeature(e.name));
  const features = [...said, ...keyword.features, ...(auth ? [AUTH_FEATURE] : []), ...crud];
  const pages: Page[] = [homePage(main)];
  for (const e of entities) if (e.name !== "User") pages.push(...entityPages(e.name));
  for (const p of [...keyword.pages, ...(auth ? entityPages("User") : [])]) if (!pages.some((x) => x.path === p.path)) pages.push(p);

  const name = appName(text, main);
  return {
    name,
    summary: summarise(name, entities, main, text, said, !auth && /\b(?:i|my|me)\b/.test(lower)),
    features: dedupe(features).slice(0, 100),
    entities: entities.slice(0, 100),
    pages: pages.slice(0, 100),
  };
}

function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((s) => {
    const k = s.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
