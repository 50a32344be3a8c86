/** A first spec from a description: what understand.ts found, completed with domain data, then pages, features, name. */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import { DOMAIN, appKinds, entryByName, eventFields, lookup } from "./domain.ts";
import { type Entity, type Field, fieldFromData } from "./fields.ts";
import { camel, pascal, singular, wordsOf } from "./inflect.ts";
import { addReference, attachTarget, linkAll, mainEntity, newEntity } from "./model.ts";
import { appName } from "./naming.ts";
import { describeSpec } from "./describe.ts";
import { type Found, understand } from "./understand.ts";

export const AUTH_RE = /\b(?:log ?ins?|logins?|sign ?ins?|sign ?ups?|signups?|user accounts?|accounts?|profiles?|authenticat\w*|passwords?|multi-?user)\b/;
export const NO_AUTH_RE =
  /\b(?:no|without|don't need|do not need|doesn't need|no need for)\s+(?:any\s+|user\s+|a\s+)?(?:accounts?|log ?ins?|logins?|sign ?ins?|sign ?ups?|users|authentication|auth)\b|\b(?:just|only) for me\b|\bonly i\b/;

const ROLE_HOLDERS = ["User", "Employee", "Member", "Staff"];
/** Field names that are a person's role on a record ("host", "assignee"). */
const ROLE_FIELDS = new Set(["host", "author", "assignee", "owner", "organizer", "organiser", "reporter", "requester", "approver", "reviewer", "creator", "leader", "presenter", "submitter"]);

/** Several kinds of people acting in the app are one user entity with a role ("managers approve, employees request"). */
function mergeRoles(found: Found[]): { holder: string; roles: string[]; merged: Set<string> } | null {
  const actors = found.filter((f) => f.actor && (f.lex?.person || !f.lex) && wordsOf(f.name).length === 1 && !f.fields.length);
  const people = found.filter((f) => f.actor && (f.lex?.person ?? lookup(f.words[0] ?? "")?.person ?? /er$|or$|ee$|ant$|ent$|ist$/.test(f.words[0] ?? "")));
  if (people.length < 2) return null;
  const holder = people.find((p) => ROLE_HOLDERS.includes(p.name))?.name ?? "User";
  const roles = people.map((p) => (p.words[p.words.length - 1] ?? p.name).toLowerCase());
  const merged = new Set(people.filter((p) => p.name !== holder && actors.includes(p)).map((p) => p.name));
  return { holder, roles: [...new Set(roles)], merged };
}

/** The stem a record and its doer share: donation/donor → "don", rental/renter → "rent", membership → "member". */
export function nameStem(name: string): string {
  const w = name.toLowerCase();
  const m = /^(.{3,}?)(?:ations?|ions?|als?|ings?|ments?|ship|ers?|ors?|ants?|ees?)$/.exec(w);
  return m?.[1] ?? w;
}

/** Null when the description names nothing the app could store. */
export function draftSpec(text: string): AppSpec | null {
  const u = understand(text);
  const lower = text.toLowerCase();
  const noAuth = NO_AUTH_RE.test(lower);
  let found = u.entities.filter((f) => !(noAuth && f.name === "User"));
  const kind = appKinds(lower);
  const extra: Record<string, Field[]> = {};
  if (kind && !found.some((f) => f.strong && f.name !== "User")) {
    for (const [n, fields] of Object.entries(kind.extra ?? {})) extra[n] = fields.map(fieldFromData);
    for (const n of kind.entities) if (!found.some((f) => f.name === n)) found.push({ name: n, lex: entryByName(n), words: wordsOf(n), fields: [], pos: -1, strong: true, actor: false });
    found.sort((a, b) => a.pos - b.pos);
  }
  if (!found.some((f) => f.name !== "User")) return null;

  const roles = mergeRoles(found);
  const rename = (n: string): string => (roles?.merged.has(n) ? roles.holder : n);
  if (roles) {
    found = found.filter((f) => !roles.merged.has(f.name));
    if (!found.some((f) => f.name === roles.holder)) found.push({ name: roles.holder, lex: entryByName(roles.holder), words: wordsOf(roles.holder), fields: [], pos: 1e9, strong: true, actor: true });
  }
  const auth = !noAuth && (AUTH_RE.test(lower) || found.some((f) => f.name === "User"));
  if (auth && !found.some((f) => f.name === "User")) found.push({ name: "User", lex: entryByName("User"), words: ["user"], fields: [], pos: 1e9, strong: true, actor: false });

  const entities: Entity[] = found.map((f) => {
    const evFields = f.lex ? undefined : eventFields(f.name);
    const e = newEntity(f.name, f.fields, f.lex?.name, extra[f.name] ?? (evFields?.length ? evFields : undefined));
    if (f.words.length > 1 || (f.words[0] && camel(f.words) !== camel(wordsOf(f.name)))) {
      const label = f.words.join(" ");
      if (camel(wordsOf(label)) === camel(wordsOf(f.name))) e.label = label.charAt(0).toUpperCase() + label.slice(1);
    }
    return e;
  });
  const byName = (n: string): Entity | undefined => entities.find((e) => e.name === n);
  // A field named after another entity is a link to it ("donations with … campaign", "talks with speakers").
  for (const e of entities) {
    for (const f of e.fields) {
      if (!["string", "text"].includes(f.type)) continue;
      const words = wordsOf(f.name);
      const last = words[words.length - 1] ?? "";
      const target = entities.find((x) => x !== e && x.name !== "User" && (camel(wordsOf(x.name)) === camel([...words.slice(0, -1), singular(last)]) || (words.length === 1 && wordsOf(x.name).length === 1 && wordsOf(x.name)[0] === singular(last))));
      if (!target) continue;
      const many = singular(last) !== last;
      delete f.unit;
      Object.assign(f, { type: "reference", references: target.name }, many ? { cardinality: "many-to-many" } : {});
    }
  }
  if (roles) {
    const holder = byName(roles.holder)!;
    if (!holder.fields.some((f) => f.name === "role")) holder.fields.push({ name: "role", type: "enum", required: true, values: roles.roles.map((r) => r.replace(/[^a-z0-9]+/g, "-")) });
  }
  for (const r of u.relations) {
    const from = byName(rename(r.from));
    const to = byName(rename(r.to));
    if (!from || !to || from === to) continue;
    const field = r.field ? camel(wordsOf(r.field)) : camel(wordsOf(to.name));
    addReference(from, field || camel(wordsOf(to.name)), to.name, r.required ?? false, Boolean(r.field), r.many);
  }
  // "who won each game night": the doer is the person the app keeps, else a new Person.
  for (const r of u.relations) {
    if (r.to !== "?person") continue;
    const from = byName(rename(r.from));
    if (!from) continue;
    let person = entities.find((e) => e !== from && (entryByName(e.name)?.person || DOMAIN.personWords.has(e.name.toLowerCase())));
    if (!person) {
      person = { name: "Person", fields: [{ name: "name", type: "string", required: true }] };
      entities.push(person);
    }
    addReference(from, camel(wordsOf(r.field ?? person.name)), person.name, false, true);
  }
  // "who scored in each match": the scorer is the person the app keeps (players), or a user.
  for (const a of u.actions) {
    if (a.actor !== "?person") continue;
    const event = byName(a.object);
    const person = entities.find((e) => e !== event && (entryByName(e.name)?.person || found.find((f) => f.name === e.name)?.actor)) ?? byName("User");
    if (event && person) addReference(event, camel(wordsOf(person.name)), person.name, true, false);
  }
  const main = mainEntity(entities.filter((e) => found.find((f) => f.name === e.name)?.strong !== false));
  for (const e of entities) {
    if (!entryByName(e.name)?.interaction && !found.find((f) => f.name === e.name && f.pos >= 0 && eventFields(f.name).length)) continue;
    if (main && main !== e.name && !e.fields.some((f) => f.type === "reference" && f.references !== "User" && !entryByName(f.references ?? "")?.person)) attachTarget(e, main);
  }
  linkAll(entities);
  const people = entities.filter((e) => e.name !== "User" && (entryByName(e.name)?.person || DOMAIN.personWords.has(e.name.toLowerCase())));
  // A record named after what its person does ("donation" by a "donor", "rental" by a "renter",
  // "membership" of a "member"): it points at that person.
  const doers = entities.filter((e) => e.name !== "User" && (people.includes(e) || /(?:er|or|ee|ant|ist)$/.test(e.name)));
  for (const e of entities) {
    if (doers.includes(e) || e.name === "User") continue;
    const stem = nameStem(e.name);
    for (const p of doers) {
      if (p === e || e.fields.some((f) => f.type === "reference" && f.references === p.name)) continue;
      const ps = nameStem(p.name);
      if (stem.length >= 3 && (stem === ps || stem === p.name.toLowerCase())) addReference(e, camel(wordsOf(p.name)), p.name, true, false);
    }
  }
  // A text field named for a role ("host", "author", "assignee") links to the people the app keeps as members/staff/users.
  const holder = entities.find((e) => ROLE_HOLDERS.includes(e.name) && e.name !== "User") ?? byName("User");
  if (holder) {
    for (const e of entities) {
      if (e === holder) continue;
      for (const f of e.fields) {
        const last = wordsOf(f.name).pop() ?? "";
        if (!["string", "text"].includes(f.type) || !ROLE_FIELDS.has(last) || byName(pascal([last])) || DOMAIN.audience.has(last)) continue;
        delete f.unit;
        Object.assign(f, { type: "reference", references: holder.name });
      }
    }
  }
  // Tags are many per thing: the main thing gets a list of them when nothing links to them.
  const tag = byName("Tag");
  if (tag && main && main !== "Tag" && !entities.some((e) => e.fields.some((f) => f.type === "reference" && f.references === "Tag"))) addReference(byName(main)!, "tags", "Tag", false, true, true);
  // A record that points at nothing (a donation, an RSVP) belongs to the person the app keeps and to its main thing.
  for (const e of entities) {
    if (e.name === main || people.includes(e) || e.name === "User" || entryByName(e.name)?.grouping || e.fields.some((f) => f.type === "reference")) continue;
    const record = e.fields.some((f) => ["date", "datetime", "money"].includes(f.type) || f.name === "status") || Boolean(entryByName(e.name)?.interaction) || eventFields(e.name).length > 0;
    if (!record) continue;
    if (people[0]) addReference(e, camel(wordsOf(people[0].name)), people[0].name, true, false);
    if (main && main !== e.name && !people.some((p) => p.name === main)) addReference(e, camel(wordsOf(main)), main, true, false);
  }
  // People nothing links to ("authors", "practitioners") are on the record kept between people, else on the main thing.
  const refsTo = (n: string) => entities.some((e) => e.name !== n && e.fields.some((f) => f.type === "reference" && f.references === n));
  for (const p of doers) {
    if (refsTo(p.name) || p.fields.some((f) => f.type === "reference") || found.find((f) => f.name === p.name)?.actor) continue;
    const between = entities.find((e) => e !== p && !doers.includes(e) && e.fields.some((f) => f.type === "reference" && doers.some((d) => d.name === f.references)));
    const mainEntity = main ? byName(main) : undefined;
    const host = between ?? (mainEntity && !doers.includes(mainEntity) ? mainEntity : undefined);
    if (host && host !== p) addReference(host, camel(wordsOf(p.name)), p.name, false, false);
  }
  if (u.currency) for (const e of entities) for (const f of e.fields) if (f.type === "money") f.currency = u.currency;
  entities.sort((a, b) => (a.name === main ? -1 : b.name === main ? 1 : 0));
  const name = appName(text, main);
  return describeSpec({ name, entities, actions: u.actions.map((a) => ({ ...a, actor: a.actor === "?person" ? null : a.actor && rename(a.actor), object: rename(a.object), ...(a.actor && roles?.merged.has(a.actor) ? { actorLabel: wordsOf(a.actor).join(" ") } : {}) })), auth, personal: !auth && /\b(?:i|my|me)\b/.test(lower), text });
}
