/**
 * Reads the newest message as a change to the current spec. Each clause is tried against the
 * kinds of change people ask for (rename, remove, add a field, add a feature, add a page, add
 * an entity); what changed is worked out afterwards by comparing the two versions.
 */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import { diffSpecs } from "./diff.ts";
import { actionFeature, summaryFor } from "./describe.ts";
import { AUTH_RE, NO_AUTH_RE } from "./draft.ts";
import { keywordFeature } from "./features.ts";
import { parseFieldPhrase, slug } from "./fields.ts";
import { capitalise, humanPlural, pascal, singular, titleCase } from "./inflect.ts";
import { entryByName } from "./domain.ts";
import { crudFeature, linkAll, mainEntity, syncPages } from "./model.ts";
import { entityFromPhrase, understand } from "./understand.ts";
import {
  type Work,
  addEntity,
  addListed,
  changeField,
  findEntity,
  findField,
  phraseWords,
  removeEntity,
  renameEntity,
  renameField,
  splitItems,
} from "./ops.ts";

const FEATURE_NOUNS = new Set(["search", "filter", "filters", "sort", "sorting", "reminder", "reminders", "notification", "notifications", "alert", "alerts", "calendar", "chart", "charts", "graph", "graphs", "report", "reports", "stats", "statistics", "dashboard", "export", "csv", "map", "maps", "dark", "offline", "cart", "checkout"]);

function normalise(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/&/g, " and ");
}

function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|;|(?<=[.!?])\s+/)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").replace(/[.!?]+$/, "").trim())
    .filter(Boolean);
}

const VERB_START = String.raw`(?:also\s+|please\s+)?(?:add|remove|drop|delete|rename|call\s+it|get\s+rid\s+of|make|change|include)\b`;
const DET = String.raw`(?:the\s+|a\s+|an\s+|each\s+|every\s+|all\s+|some\s+)?`;

function clausesOf(message: string): string[] {
  return sentencesOf(message)
    .flatMap((s) => s.split(new RegExp(String.raw`\s*(?:,\s*|\s+and\s+|\s+then\s+)(?:and\s+|then\s+)?(?=${VERB_START})`, "i")))
    .map((c) => c.trim().replace(/^(?:(?:ok(?:ay)?|great|thanks|nice|cool|also|please|now|and|then|actually|oh|so|hmm|perfect|looks good|can you|could you|would you|i'd like you to)[,\s]+)+/i, "").trim())
    .filter(Boolean);
}

const unquote = (s: string): string => s.trim().replace(/^["'“‘]+|["'”’.!]+$/g, "").trim();

function rename(work: Work, c: string): boolean {
  const m = /^rename\s+(?:the\s+)?(.+?)\s+(?:entity\s+|model\s+|table\s+|field\s+)?(?:to|as|into)\s+(.+)$/i.exec(c);
  const entity = m?.[1] ? findEntity(work.spec, m[1]) : undefined;
  if (m?.[2] && entity) {
    const words = phraseWords(unquote(m[2]));
    const name = pascal(words.map((w, i) => (i === words.length - 1 ? singular(w) : w)));
    if (name) renameEntity(work, entity, name);
    return Boolean(name);
  }
  for (const e of m?.[1] && m[2] ? work.spec.entities : []) {
    const field = findField(e, m?.[1] ?? "");
    const parsed = parseFieldPhrase(unquote(m?.[2] ?? ""));
    if (field && parsed) {
      renameField(work, e, field, parsed.name);
      return true;
    }
  }
  const app =
    /^(?:rename|call|name)\s+(?:the\s+)?(?:app|application|project|product|spec|it|this)\s+(?:to\s+|as\s+)?(.+)$/i.exec(c) ??
    /^change\s+(?:the\s+)?(?:app(?:'s)?\s+|application\s+)?name\s+to\s+(.+)$/i.exec(c) ??
    /^(?:the\s+)?(?:app|application|it)\s+should\s+be\s+(?:called|named)\s+(.+)$/i.exec(c);
  const name = app?.[1] ? unquote(app[1]).slice(0, 120) : "";
  if (!name) return false;
  work.spec.name = name;
  return true;
}

function remove(work: Work, c: string): boolean {
  const m =
    /^(?:remove|drop|delete|get\s+rid\s+of|take\s+out|lose|ditch)\s+(.+)$/i.exec(c) ??
    /^(?:we|i)\s+(?:don't|do\s+not|no\s+longer)\s+need\s+(.+?)(?:\s+any\s*more)?$/i.exec(c) ??
    /^no\s+more\s+(.+)$/i.exec(c);
  if (!m?.[1]) return false;
  const from = /^(.+?)\s+(?:from|on|in)\s+(?:the\s+|each\s+|all\s+)?(.+)$/i.exec(m[1]);
  const owner = from?.[2] ? findEntity(work.spec, from[2]) : undefined;
  let done = false;
  for (const item of splitItems(owner && from?.[1] ? from[1] : m[1])) {
    const bare = item.replace(/\s+(?:entity|entities|model|table|page|pages|field|fields|column|feature)$/i, "");
    const users = AUTH_RE.test(bare.toLowerCase()) ? work.spec.entities.find((e) => e.name === "User") : undefined;
    const entity = owner ? undefined : (users ?? findEntity(work.spec, bare));
    if (entity && !/\bpages?$/i.test(item)) {
      removeEntity(work, entity);
      done = true;
      continue;
    }
    let removedField = false;
    for (const e of owner ? [owner] : work.spec.entities) {
      const field = findField(e, bare);
      if (field && e.fields.length > 1) {
        e.fields = e.fields.filter((f) => f !== field);
        removedField = true;
      }
    }
    done = done || removedField;
    if (removedField) continue;
    const lower = bare.toLowerCase();
    const pages = work.spec.pages.filter((p) => p.name.toLowerCase() === lower || p.path === `/${lower.replace(/\s+/g, "-")}` || (entity && p.entity === entity.name));
    const features = work.spec.features.filter((f) => lower.length > 3 && f.toLowerCase().includes(lower));
    if (pages.length > 0 || features.length > 0) {
      work.spec.pages = work.spec.pages.filter((p) => !pages.includes(p));
      work.spec.features = work.spec.features.filter((f) => !features.includes(f));
      done = true;
    }
  }
  return done;
}

function addFields(work: Work, c: string): boolean {
  const to = new RegExp(String.raw`^(?:add|include|store|track|record)\s+(.+?)\s+(?:to|on|for|in|onto)\s+${DET}(.+?)(?:\s+(?:entity|model|table|records?))?$`, "i").exec(c);
  const has = new RegExp(
    String.raw`^${DET}(.+?)\s+(?:should|must|need\s+to|needs\s+to|will|can)?\s*(?:also\s+)?(?:have|has|need|needs|get|gets|include|includes|contain|contains|store|stores)\s+(?:also\s+)?(.+)$`,
    "i",
  ).exec(c);
  const give = new RegExp(String.raw`^give\s+${DET}(.+?)\s+(?:an?\s+|some\s+)(.+)$`, "i").exec(c);
  for (const [target, list] of [[to?.[2], to?.[1]], [has?.[1], has?.[2]], [give?.[1], give?.[2]]]) {
    if (!target || !list || /\bbe able to\b/i.test(list)) continue;
    // "plants should have a photo" when there are no plants yet: they are new.
    const noun = phraseWords(target).length <= 2 ? entityFromPhrase(phraseWords(target).join(" ")) : null;
    if (!findEntity(work.spec, target) && noun && target === has?.[1]) addEntity(work, noun.name, []);
    const entity = findEntity(work.spec, target);
    if (!entity) continue;
    addListed(work, entity, splitItems(list.replace(/^(?:a\s+|an\s+)?(?:new\s+)?(?:fields?|columns?|propert(?:y|ies)|attributes?)\s*:?\s*/i, "")));
    return true;
  }
  const make = /^(?:make|change|set)\s+(?:the\s+)?(.+?)(?:\s+field)?(?:\s+(?:on|in|of|for)\s+(?:the\s+)?(\w+))?\s+(?:to\s+)?(?:be\s+)?(?:an?\s+)?(optional|required|mandatory|string|text|number|decimal|integer|int|boolean|date|datetime|time|email|url|link|money|currency|phone|image|photo|picture)$/i.exec(c);
  if (!make?.[1] || !make[3]) return false;
  const owner = make[2] ? findEntity(work.spec, make[2]) : undefined;
  let done = false;
  for (const e of owner ? [owner] : work.spec.entities) {
    const field = findField(e, make[1]);
    if (field) done = changeField(field, make[3]) || done;
  }
  return done;
}

/** "add login", "users should be able to sign up": accounts mean a User entity with its pages. */
function addAuth(work: Work, c: string): boolean {
  const lower = c.toLowerCase();
  if (AUTH_RE.test(lower) && !NO_AUTH_RE.test(lower)) addEntity(work, "User", []);
  // The rest of the clause may ask for more ("…sign up and share projects").
  return false;
}

function addFeatures(work: Work, c: string): boolean {
  const spec = work.spec;
  const main = mainEntity(spec.entities);
  const explicit = /^(?:add\s+)?(?:a\s+|another\s+|the\s+)?(?:new\s+)?feature\s*(?::|-|—|that|where|for|to|so\s+that|so)?\s+(.+)$/i.exec(c);
  const said = explicit?.[1]
    ? [capitalise(explicit[1].replace(/\bI\b/g, "users").replace(/\bmy\b/gi, "their"))]
    : !/\b(?:can|could|should|must|be able to|let|lets|allow|allows)\b/i.test(c)
      ? []
      : understand(c)
        .actions.map((a) => actionFeature(a, [...spec.entities, ...understand(c).entities.filter((e) => !spec.entities.some((x) => x.name === e.name)).map((e) => ({ name: e.name, fields: [{ name: "name", type: "string" as const, required: true }] }))]))
        .filter((f): f is string => f !== null && !/\bcan (?:log ?in|sign ?(?:in|up)|register)\b/i.test(f));
  const keyword = /^(?:add|include|support|enable|with|i\s+want|we\s+need|i\s+need)\s+(?:a\s+|an\s+|some\s+)?(.{1,40})$/i.exec(c);
  const kw = !explicit && keyword?.[1] && phraseWords(keyword[1]).some((w) => FEATURE_NOUNS.has(w)) ? keywordFeature(keyword[1], main ? humanPlural(main) : "items") : null;
  if (kw) said.push(kw.feature);
  // "the app should have a leaderboard": a feature in a few words.
  const appHas = /^(?:the\s+app|it|this|the\s+site)\s+(?:should|must|needs\s+to|will)\s+(?:also\s+)?(?:have|support|include|offer)\s+(?:a\s+|an\s+|some\s+)?(.{1,60})$/i.exec(c);
  if (!kw && !explicit && appHas?.[1]) {
    const named = keywordFeature(appHas[1], main ? humanPlural(main) : "items");
    said.push(named?.feature ?? capitalise(appHas[1]));
    if (named?.page && !spec.pages.some((p) => p.path === named.page?.path)) spec.pages.push(named.page);
  }
  if (kw?.page && !spec.pages.some((p) => p.path === kw.page?.path)) spec.pages.push(kw.page);
  for (const f of said) if (!spec.features.some((x) => x.toLowerCase() === f.toLowerCase())) spec.features.push(f.slice(0, 300));
  if (said.length > 0 && !explicit) {
    // "users should be able to comment on recipes" also needs somewhere to keep the comments.
    for (const e of understand(c).entities) if (entryByName(e.name)?.interaction) addEntity(work, e.name, []);
  }
  return said.length > 0;
}

function addPage(work: Work, c: string): boolean {
  const m = /^(?:add|create|include)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(.+?)\s+page$/i.exec(c) ?? /^(?:add|create)\s+(?:a\s+|an\s+)?(?:new\s+)?page\s+(?:for|to|that|where|with|showing)\s+(.+)$/i.exec(c);
  if (!m?.[1]) return false;
  const entity = findEntity(work.spec, m[1]);
  if (entity) {
    work.added.add(entity.name);
    return true;
  }
  const words = phraseWords(m[1]).slice(0, 4);
  if (words.length === 0) return false;
  const path = `/${words.join("-")}`;
  if (!work.spec.pages.some((p) => p.path === path)) work.spec.pages.push({ name: titleCase(words), path });
  return true;
}

function addEntities(work: Work, c: string): boolean {
  const m =
    /^(?:add|include|create|introduce|support|let's\s+add)\s+(.+)$/i.exec(c) ??
    /^(?:i|we)\s+(?:also\s+)?(?:want|need|would\s+like)\s+(?:to\s+(?:also\s+)?(?:track|manage|store|keep\s+track\s+of|log|record|add)\s+)?(.+)$/i.exec(c) ??
    /^(?:track|manage|store|keep\s+track\s+of|log|record)\s+(.+)$/i.exec(c);
  if (!m?.[1]) return false;
  let body = m[1].replace(/\s+(?:too|as\s+well|also)$/i, "");
  const withFields = /^(.+?)\s+(?:with|having|that\s+(?:have|has)|containing)\s+(.+)$/i.exec(body);
  if (withFields?.[1]) body = withFields[1];
  const about = new RegExp(String.raw`^(.+?)\s+(?:to|for|on|in|of|about)\s+${DET}(\w+)$`, "i").exec(body);
  const target = about?.[2] ? findEntity(work.spec, about[2]) : undefined;
  if (target && about?.[1]) body = about[1];
  const items = splitItems(body);
  let done = false;
  for (const item of items) {
    const words = phraseWords(item);
    const ref = entityFromPhrase(words.join(" "));
    if (!ref || findEntity(work.spec, item)) {
      done = done || Boolean(findEntity(work.spec, item));
      continue;
    }
    done = addEntity(work, ref.name, [], target?.name) || done;
    // "with listing, buyer, amount and status": fields, and links where an item names an entity.
    const created = work.spec.entities.find((e) => e.name === ref.name);
    if (created && items.length === 1 && withFields?.[2]) {
      addListed(work, created, splitItems(withFields[2]));
    }
  }
  return done;
}

/** Entities the clause mentions that the spec lacks ("I also need invoices and payments"). */
function mentioned(work: Work, c: string): boolean {
  let done = false;
  for (const e of understand(c).entities) if (e.strong && !work.spec.entities.some((x) => x.name === e.name)) done = addEntity(work, e.name, e.fields) || done;
  return done;
}

/** "make status a choice of draft, sent and paid", "status should be one of open/closed". */
function makeChoice(work: Work, c: string): boolean {
  const m =
    /^(?:make|change|turn|set)\s+(?:the\s+)?(.+?)(?:\s+field)?(?:\s+(?:on|in|of|for)\s+(?:the\s+)?(\w+))?\s+(?:into\s+|to\s+)?(?:be\s+)?(?:a\s+|an\s+)?(?:choice|enum|select|dropdown|pick|list)\s*(?:of|between|from|with)?\s*:?\s*(.+)$/i.exec(c) ??
    /^(?:the\s+)?(.+?)(?:\s+field)?(?:\s+(?:on|in|of|for)\s+(?:the\s+)?(\w+))?\s+(?:should|must|can|will)\s+be\s+(?:one\s+of|either)\s*:?\s*(.+)$/i.exec(c);
  if (!m?.[1] || !m[3]) return false;
  const values = [...new Set(m[3].split(/\s*(?:,|\/|\bor\b|\band\b)\s*/).map(slug).filter(Boolean))];
  if (values.length < 2) return false;
  const owner = m[2] ? findEntity(work.spec, m[2]) : undefined;
  let done = false;
  for (const e of owner ? [owner] : work.spec.entities) {
    const field = findField(e, m[1]);
    if (!field || field.type === "reference") continue;
    for (const k of ["unit", "currency"] as const) delete field[k];
    Object.assign(field, { type: "enum", values });
    done = true;
  }
  if (!done && owner) {
    owner.fields.push({ name: phraseWords(m[1]).join("") ? pascal(phraseWords(m[1])).replace(/^./, (x) => x.toLowerCase()) : "status", type: "enum", required: true, values });
    done = true;
  }
  return done;
}

const HANDLERS = [rename, remove, makeChoice, addAuth, addFields, addFeatures, addPage, addEntities, mentioned];

/** The changed spec and what changed, or null when the message asks for nothing recognisable. */
export function refineSpec(current: AppSpec, message: string): { spec: AppSpec; changes: string[] } | null {
  const work: Work = { spec: structuredClone(current), renames: { entities: new Map(), fields: new Map() }, added: new Set() };
  for (const clause of clausesOf(normalise(message))) {
    for (const handler of HANDLERS) if (handler(work, clause)) break;
  }
  const { spec } = work;
  linkAll(spec.entities);
  syncPages(spec, work.added);
  for (const name of work.added) {
    if (name === "User") continue;
    const crud = crudFeature(name);
    if (spec.entities.some((e) => e.name === name) && !spec.features.includes(crud)) spec.features.push(crud);
  }
  // Status features and the summary follow the spec as it is now.
  const statusFeature = /^Mark .+ as .+$/;
  spec.features = spec.features.filter((f) => !statusFeature.test(f));
  for (const e of spec.entities) {
    const st = e.fields.find((f) => f.type === "enum" && f.name === "status" && f.values && f.values.length > 1);
    if (st?.values) spec.features.push(`Mark ${humanPlural(e.name)} as ${st.values.map((v) => v.replace(/-/g, " ")).join(", ").replace(/, ([^,]+)$/, " or $1")}`);
  }
  spec.features = spec.features.slice(0, 100);
  spec.summary = summaryFor(spec.name, spec.entities, mainEntity(spec.entities), /\bhelps you\b/.test(current.summary));
  const changes = diffSpecs(current, spec, work.renames);
  return changes.length > 0 ? { spec, changes } : null;
}

