/** Indexes over domain-data.ts: word → entity entry, with its fields and links parsed. */
import type { FieldType } from "../../../artifacts/schemas.ts";
import * as data from "./domain-data.ts";
import { type Field, fieldFromData } from "./fields.ts";
import { singular } from "./inflect.ts";

export interface LinkSpec {
  /** Field name; null → named after the target ("project"). */
  field: string | null;
  /** Candidate targets, first present wins. */
  to: string[];
  required: boolean;
}

export interface LexEntry {
  name: string;
  description: string;
  core: Field[];
  extra: Field[];
  links: LinkSpec[];
  secondary: boolean;
  interaction: boolean;
  grouping: boolean;
  person: boolean;
  ownWord: boolean;
}

function parseLink(spec: string): LinkSpec {
  const m = /^([a-zA-Z]*)@([A-Za-z|]+)(\?)?$/.exec(spec);
  if (!m?.[2]) throw new Error(`bad link shorthand ${spec}`);
  return { field: m[1] || null, to: m[2].split("|"), required: m[3] !== "?" };
}

const entries = data.ENTITIES.map((e): LexEntry => {
  const flags = new Set(e.flags ?? []);
  return {
    name: e.name,
    description: e.description,
    core: e.core.map(fieldFromData),
    extra: e.extra.map(fieldFromData),
    links: (e.links ?? []).map(parseLink),
    secondary: flags.has("secondary"),
    interaction: flags.has("interaction"),
    grouping: flags.has("grouping"),
    person: flags.has("person"),
    ownWord: flags.has("ownWord"),
  };
});
const byName = new Map(entries.map((e) => [e.name, e]));
const entityWords = new Map<string, LexEntry>();
data.ENTITIES.forEach((e, i) => {
  for (const w of e.words) if (!entityWords.has(w)) entityWords.set(w, entries[i]!);
});

export const DOMAIN = {
  entityWords,
  personWords: new Set(data.PERSON_WORDS),
  audience: new Set(data.AUDIENCE_WORDS),
  generic: new Set(data.GENERIC_NOUNS),
  kinds: new Set(data.KIND_WORDS),
  entityKinds: new Set(data.ENTITY_KINDS),
  collective: new Set(data.COLLECTIVE_NOUNS),
  containers: new Set(data.CONTAINER_HEADS),
  fieldish: new Set(data.FIELDISH),
  createVerbs: new Set(data.CREATE_VERBS),
  keepVerbs: new Set(data.KEEP_VERBS),
  unitWords: new Set(["metre", "meter", "inch", "pound", "point", "percent", "degree", "litre", "liter", "gram", "kilo", "mile", "yard", "ounce", "pint", "cup", "tablespoon", "teaspoon"]),
  /** Verbs that are also nouns ("comment", "vote", "book"). */
  actionVerbs: new Set([...Object.keys(data.EVENT_VERBS), ...data.KEEP_VERBS, ...data.CREATE_VERBS]),
};

export function entryByName(name: string): LexEntry | undefined {
  return byName.get(name);
}

/** A singular word or two-word phrase → its entry. */
export function lookup(lemma: string): LexEntry | undefined {
  return entityWords.get(lemma) ?? entityWords.get(singular(lemma));
}

export function eventEntity(verb: string): string | undefined {
  return data.EVENT_VERBS[verb];
}

export function eventFields(name: string): Field[] {
  return (data.EVENT_FIELDS[name] ?? []).map(fieldFromData);
}

export function statusOf(verb: string): string | undefined {
  return data.STATUS_VERBS[verb];
}

export function currencyOf(word: string): string | undefined {
  return data.CURRENCIES[word.toLowerCase()];
}

export function appKinds(lower: string): { entities: string[]; extra?: Record<string, string[]>; phrase: string } | undefined {
  for (const k of data.APP_KINDS) {
    const phrase = k.words.find((w) => new RegExp(`(?:^|[^a-z])${w.replace(/[-/]/g, "\\$&")}(?:$|[^a-z])`).test(lower));
    if (phrase) return { ...k, phrase };
  }
  return undefined;
}

export type { FieldType };
