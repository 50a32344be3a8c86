/** Field naming and type inference from the words a user uses for a field. */
import type { AppSpec } from "../../../artifacts/schemas.ts";
import { FIELD_TYPES } from "../../../artifacts/schemas.ts";
import { camel, isPlural, wordsOf } from "./inflect.ts";

export type FieldType = (typeof FIELD_TYPES)[number];
export type Field = AppSpec["entities"][number]["fields"][number];
export type Entity = AppSpec["entities"][number];
export type Page = AppSpec["pages"][number];

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

const BOOLEAN = set(`done completed complete finished archived active published paid visible featured favorite favourite
  enabled verified private public available approved watched read pinned starred checked resolved cancelled canceled
  confirmed attended returned flagged shipped delivered refunded billable recurring urgent vegetarian vegan unread seen
  accepted rejected booked sold hidden`);
const TEXT = set(`description notes note body content instructions bio summary details comment comments text message
  ingredients directions steps review feedback remarks story lyrics answer agenda transcript requirements symptoms reason
  explanation abstract biography memo reflection diagnosis treatment overview`);
const NUMBER = set(`price prices amount cost costs total balance salary budget revenue fee fees weight height width length
  depth distance latitude longitude lat lng lon percentage percent rate temperature value tax discount income wage rent
  deposit bmi volume pace speed kg lbs km miles meters cm dollars euros pounds usd eur gbp area sqft mileage tip`);
const INTEGER = set(`count quantity qty minutes minute hours hour seconds days weeks months years age rating duration stock
  servings reps sets calories capacity seats points score streak bedrooms bathrooms votes likes views laps pages level rank
  year floor position interval attendees`);
const URL_LAST = set(`url link website homepage site image photo picture avatar thumbnail logo cover video attachment file
  resume cv pdf audio`);
// A "... time" that names a moment rather than a duration ("start time" vs "cooking time").
const TIME_POINT = set(`start end due departure arrival pickup pick appointment meeting delivery opening closing open close
  reminder alarm wake bed check checkin checkout event release publish launch session class`);
const EXPLICIT: Record<string, FieldType> = {
  string: "string", text: "text", number: "number", decimal: "number", float: "number", money: "number",
  currency: "number", integer: "integer", int: "integer", boolean: "boolean", bool: "boolean", checkbox: "boolean",
  toggle: "boolean", datetime: "datetime", timestamp: "datetime", date: "date", email: "email", url: "url", link: "url",
};
// Type words that are also ordinary field names ("start date", "email"): only explicit after "as"/"type".
const NAME_LIKE_TYPES = set("date email url link timestamp money currency");
const FILLER = set(`a an the field fields column columns property properties attribute attributes called named new their
  its his her some each every also plus etc my our your`);
const UNITS = set("days hours minutes weeks seconds months years kg lbs km miles meters cm");

export function inferType(words: string[]): FieldType {
  const first = words[0];
  const last = words[words.length - 1];
  if (first === undefined || last === undefined) return "string";
  const prev = words[words.length - 2];
  if (words.length > 1 && ["is", "has", "can", "should", "was", "allow", "allows", "needs"].includes(first)) return "boolean";
  if (words.join(" ") === "in stock") return "boolean";
  if (words.includes("email")) return "email";
  if (first === "number" && words[1] === "of") return "integer";
  if (first === "last" && words.length > 1 && last.endsWith("ed")) return "date";
  if (["at", "timestamp", "datetime", "start", "end", "starts", "ends", "when"].includes(last)) return "datetime";
  if (last === "time") return prev === undefined || TIME_POINT.has(prev) ? "datetime" : "integer";
  if (words.includes("date") || ["birthday", "deadline", "dob", "due", "on"].includes(last)) return "date";
  if (URL_LAST.has(last)) return "url";
  if (BOOLEAN.has(last)) return "boolean";
  if (["number", "id", "code"].includes(last)) return "string";
  if (words.some((w) => INTEGER.has(w))) return "integer";
  if (words.some((w) => NUMBER.has(w))) return "number";
  if (TEXT.has(last) || isPlural(last)) return "text";
  return "string";
}

/** Long-form text, links and anything marked optional can be left empty; the rest is required. */
function defaultRequired(type: FieldType): boolean {
  return type !== "text" && type !== "url";
}

export interface ParsedField {
  name: string;
  type: FieldType;
  required: boolean;
  /** The words of the name, lower-case, for matching against entities. */
  words: string[];
  explicitType: boolean;
}

/** "a done flag" → done:boolean; "watering interval in days" → wateringIntervalDays:integer; "rating (integer)". */
export function parseFieldPhrase(raw: string): ParsedField | null {
  const s = raw.toLowerCase().replace(/['’]s\b/g, "").replace(/[()[\]"“”]/g, " ").trim();
  const last = /^(?:the\s+)?(?:date|day|time|when)\s+(?:it|they|he|she)\s+(?:was|were|got)\s+(last\s+)?([a-z]+)/.exec(s);
  if (last?.[2]) {
    const words = last[1] ? ["last", last[2]] : [last[2], "on"];
    return { name: camel(words), type: "date", required: false, words, explicitType: false };
  }
  const whether = /^(?:whether|if)\s+(?:(?:i|they|it|we|you|he|she)(?:'ve|'re|'s|'m)?\s+)?(?:(?:have|has|is|are|was|were|been|be|am)\s+)*([a-z]+)/.exec(s);
  if (whether?.[1]) return { name: camel([whether[1]]), type: "boolean", required: true, words: [whether[1]], explicitType: false };
  let words = s.split(/[^a-z0-9/]+/).filter(Boolean);
  let required: boolean | null = null;
  let explicit: FieldType | null = null;
  const asIdx = words.findIndex((w, i) => (w === "as" || w === "type") && i > 0);
  if (asIdx > 0) {
    const rest = words.slice(asIdx + 1).filter((w) => !["a", "an", "of", "type"].includes(w));
    const t = rest[0] !== undefined ? EXPLICIT[rest[0]] : undefined;
    if (t) {
      explicit = t;
      words = words.slice(0, words[asIdx - 1] === "of" ? asIdx - 1 : asIdx);
    }
  }
  const lead = words[0];
  const tail = words[words.length - 1];
  if (!explicit && words.length > 1 && lead !== undefined && EXPLICIT[lead] && !NAME_LIKE_TYPES.has(lead) && words[1] !== "of") {
    explicit = EXPLICIT[lead] ?? null;
    words = words.slice(1);
  } else if (!explicit && words.length > 1 && tail !== undefined && EXPLICIT[tail] && !NAME_LIKE_TYPES.has(tail)) {
    explicit = EXPLICIT[tail] ?? null;
    words = words.slice(0, -1);
  }
  if (words.includes("yes/no") || words.some((w) => ["flag", "checkbox", "toggle", "tickbox"].includes(w))) explicit ??= "boolean";
  const optional = words.includes("optional");
  if (words.includes("required") || words.includes("mandatory")) required = true;
  words = words.filter((w) => !FILLER.has(w) && !["optional", "required", "mandatory", "flag", "checkbox", "toggle", "tickbox", "yes/no"].includes(w));
  const n = words.length;
  if (n >= 3 && words[n - 2] === "in" && UNITS.has(words[n - 1] ?? "")) words.splice(n - 2, 1);
  words = words.flatMap((w) => w.split("/")).filter(Boolean);
  const name = camel(words);
  if (!name || !/^[a-z]/.test(name)) return null;
  const type = explicit ?? inferType(words);
  return { name, type, required: required ?? (optional ? false : defaultRequired(type)), words, explicitType: explicit !== null };
}

/** Lexicon shorthand: "description?:text" (optional, typed), "price:number", "title" (inferred). */
export function fieldFromSpec(spec: string): Field {
  const m = /^([a-zA-Z][a-zA-Z0-9]*)(\?)?(?::([a-z]+))?$/.exec(spec);
  if (!m?.[1]) throw new Error(`bad field spec ${spec}`);
  const type = (m[3] as FieldType | undefined) ?? inferType(wordsOf(m[1]));
  return { name: m[1], type, required: m[2] !== "?" };
}

export function referenceField(name: string, target: string, required: boolean): Field {
  return { name, type: "reference", required, references: target };
}
