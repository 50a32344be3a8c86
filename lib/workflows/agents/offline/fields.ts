/** Field naming and typing from the words a user uses for a field ("price paid", "how many km"). */
import type { AppSpec, FieldType } from "../../../artifacts/schemas.ts";
import { BOOLEAN_WORDS, CURRENCIES, ENUM_DEFAULTS, NUMBER_COUNTS, TYPE_BY_LAST_WORD, UNITS } from "./domain-data.ts";
import { camel, isPlural, singular, wordsOf } from "./inflect.ts";

export type { FieldType };
export type Field = AppSpec["entities"][number]["fields"][number];
export type Entity = AppSpec["entities"][number];
export type Page = AppSpec["pages"][number];

const BOOLEANS = new Set(BOOLEAN_WORDS);
const TIME_POINT = new Set(["start", "end", "due", "departure", "arrival", "pickup", "pick", "appointment", "meeting", "delivery", "opening", "closing", "reminder", "alarm", "wake", "bed", "check", "event", "release", "kick", "kickoff", "tee", "session", "class"]);
const EXPLICIT: Record<string, FieldType> = {
  string: "string", text: "text", number: "number", decimal: "decimal", float: "decimal", money: "money", currency: "money",
  integer: "integer", int: "integer", boolean: "boolean", bool: "boolean", checkbox: "boolean", toggle: "boolean",
  datetime: "datetime", timestamp: "datetime", date: "date", time: "time", email: "email", url: "url", link: "url",
  phone: "phone", image: "image", photo: "image", picture: "image", enum: "enum", choice: "enum", select: "enum",
};
/** Type words that are also ordinary field names ("start date", "email"): explicit only after "as"/"type"/"(". */
const NAME_LIKE = new Set(["date", "email", "url", "link", "timestamp", "money", "currency", "time", "phone", "image", "photo", "picture", "number"]);
const FILLER = new Set(`a an the field fields column columns property properties attribute attributes called named new their
  its his her some each every also plus etc my our your how many much which what`.split(/\s+/));

export interface TypeInfo {
  type: FieldType;
  unit?: string;
  values?: string[];
}

/** The type a field name implies: "due date" → date, "price paid" → money, "phone number" → phone. */
export function inferType(words: string[]): TypeInfo {
  const ws = words.map((w) => w.toLowerCase());
  const last = ws[ws.length - 1];
  const first = ws[0];
  if (first === undefined || last === undefined) return { type: "string" };
  const prev = ws[ws.length - 2];
  if (ws.length > 1 && ["is", "has", "can", "should", "was", "allow", "allows", "needs", "whether"].includes(first)) return { type: "boolean" };
  if (ws.join(" ") === "in stock") return { type: "boolean" };
  if (first === "number" && ws[1] === "of") return { type: "integer" };
  if (last === "number") {
    if (prev && TYPE_BY_LAST_WORD[prev] === "phone") return { type: "phone" };
    return { type: prev && NUMBER_COUNTS.includes(prev) ? "integer" : "string" };
  }
  if (["id", "code", "isbn", "sku", "reference"].includes(last)) return { type: "string" };
  if (first === "last" && ws.length > 1 && last.endsWith("ed")) return { type: "date" };
  if (last === "time") return prev === undefined || TIME_POINT.has(prev) ? { type: "time" } : { type: "integer", unit: "minutes" };
  if (["starts", "ends"].includes(last)) return { type: "datetime" };
  if (ws.includes("date")) return { type: "date" };
  const unit = UNITS[singular(last)] ?? UNITS[last];
  if (unit && ws.length > 1 && !["per"].includes(prev ?? "")) return { type: unit[2], unit: unit[0] };
  // A lone unit word is a quantity when plural or abbreviated ("km", "hours"), not "minute" (a point in a match).
  if (unit && ws.length === 1 && last.length > 1 && (singular(last) !== last || last.length <= 3)) return { type: unit[2], unit: unit[0] };
  const byLast = TYPE_BY_LAST_WORD[last] ?? TYPE_BY_LAST_WORD[singular(last)];
  if (byLast === "enum") return { type: "enum", values: ENUM_DEFAULTS[last] ?? ENUM_DEFAULTS[singular(last)] ?? ["open", "closed"] };
  if (byLast) return { type: byLast as FieldType };
  if (BOOLEANS.has(last)) return { type: "boolean" };
  // "price paid", "amount owed": the first word types it.
  const byAny = ws.map((w) => TYPE_BY_LAST_WORD[w]).find((t) => t === "money" || t === "email" || t === "phone" || t === "image");
  if (byAny) return { type: byAny as FieldType };
  if (isPlural(last) && ws.length === 1) return { type: "text" };
  return { type: "string" };
}

/** Long-form text, links, images and anything marked optional can be left empty; the rest is required. */
function defaultRequired(type: FieldType): boolean {
  return !["text", "url", "image", "boolean"].includes(type);
}

export interface ParsedField {
  name: string;
  type: FieldType;
  required: boolean;
  unit?: string;
  values?: string[];
  /** The words of the name, lower-case, for matching against entities. */
  words: string[];
  explicitType: boolean;
}

export function slug(value: string): string {
  return value.toLowerCase().trim().replace(/['’]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
}

/** Field from a phrase: "a done flag" → done:boolean; "distance in km" → distance:decimal km; "status (open, closed)". */
export function parseFieldPhrase(raw: string): ParsedField | null {
  // "speaker(s)": the plural.
  let s = raw.toLowerCase().replace(/['’]s\b/g, "").replace(/\(s\)/g, "s").trim().replace(/[,;.]+$/, "").trim();
  let values: string[] | undefined;
  const listed = /^(.+?)\s*[(:]\s*([^()]+?)\)?\s*$/.exec(s);
  if (listed?.[1] && listed[2] && /[,/|]|\bor\b/.test(listed[2])) {
    values = listed[2].split(/\s*(?:,|\/|\||\bor\b|\band\b)\s*/).map(slug).filter(Boolean);
    s = listed[1];
  }
  // "discount (number)": a type in brackets.
  const bracketType = /^(.+?)\s*\(\s*([a-z]+)\s*\)\s*$/.exec(s);
  let typed: FieldType | null = null;
  if (bracketType?.[1] && bracketType[2] && EXPLICIT[bracketType[2]]) {
    typed = EXPLICIT[bracketType[2]] ?? null;
    s = bracketType[1];
  }
  s = s.replace(/[()[\]"“”]/g, " ");
  // "status available/reserved/adopted": the choices, written with slashes.
  const slashed = /(?:^|\s)([a-z][a-z-]*(?:\s*\/\s*[a-z][a-z-]*)+)\s*$/.exec(s);
  if (!values && slashed?.[1] && !/yes\s*\/\s*no/.test(slashed[1])) {
    const parts = slashed[1].split(/\s*\/\s*/).map(slug).filter(Boolean);
    const rest = s.slice(0, slashed.index).trim();
    const restWords = rest.split(/\s+/).filter((w) => w && !FILLER.has(w));
    if (parts.length >= 2 && (restWords.length > 0 || parts.every((p) => /(?:ed|ing|able|ive|ful|ent|ant)$|^(?:open|new|done|draft|live|active|closed|lost|won)$/.test(p)))) {
      values = parts;
      s = restWords.length > 0 ? rest : "status";
    }
  }
  const whether = /^(?:whether|if)\s+(?:(?:i|they|it|we|you|he|she)(?:'ve|'re|'s|'m)?\s+)?(?:(?:have|has|is|are|was|were|been|be|am)\s+)*([a-z]+)/.exec(s);
  if (whether?.[1]) return { name: camel([whether[1]]), type: "boolean", required: false, words: [whether[1]], explicitType: false };
  let words = s.split(/[^a-z0-9/-]+/).filter(Boolean).flatMap((w) => (w.includes("/") && w !== "yes/no" ? w.split("/") : [w]));
  let explicit: FieldType | null = typed;
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
  if (!explicit && words.length > 1 && lead && EXPLICIT[lead] && !NAME_LIKE.has(lead) && words[1] !== "of") {
    explicit = EXPLICIT[lead] ?? null;
    words = words.slice(1);
  } else if (!explicit && words.length > 1 && tail && EXPLICIT[tail] && !NAME_LIKE.has(tail)) {
    explicit = EXPLICIT[tail] ?? null;
    words = words.slice(0, -1);
  }
  if (words.includes("yes/no") || words.some((w) => ["flag", "checkbox", "toggle", "tickbox"].includes(w))) explicit ??= "boolean";
  const optional = words.includes("optional");
  const required = words.includes("required") || words.includes("mandatory") ? true : null;
  words = words.filter((w) => !FILLER.has(w) && !["optional", "required", "mandatory", "flag", "checkbox", "toggle", "tickbox", "yes/no"].includes(w));
  // "a fee in euros": the currency is the money's, not part of the name.
  const inCur = words.indexOf("in");
  if (inCur > 0 && inCur === words.length - 2 && CURRENCIES[words[inCur + 1]!]) {
    words = words.slice(0, inCur);
    explicit ??= "money";
  }
  // "watering interval in days", "distance in km": the unit types the field and leaves its name.
  let unit: string | undefined;
  const inAt = words.indexOf("in");
  const unitWord = inAt > 0 ? words[inAt + 1] : undefined;
  const u = unitWord ? (UNITS[singular(unitWord)] ?? UNITS[unitWord]) : undefined;
  if (u && inAt === words.length - 2) {
    unit = u[0];
    words = words.slice(0, inAt);
  } else if (words.length === 1 && words[0] && (UNITS[singular(words[0])] ?? UNITS[words[0]]) && words[0].length > 1) {
    // "how many km": the unit alone names the quantity.
    const only = UNITS[singular(words[0])] ?? UNITS[words[0]]!;
    unit = only[0];
    words = [only[1]];
  }
  const name = camel(words.flatMap((w) => w.split("-")).filter(Boolean));
  if (!name || !/^[a-z]/.test(name)) return null;
  let info: TypeInfo = explicit ? { type: explicit } : inferType(words);
  if (unit) info = { type: info.type === "integer" || u?.[2] === "integer" ? "integer" : "decimal", unit };
  if (values?.length) info = { type: "enum", values: [...new Set(values)] };
  if (info.type === "enum" && !info.values) info.values = ENUM_DEFAULTS[words[words.length - 1] ?? ""] ?? ["open", "closed"];
  const out: ParsedField = { name, type: info.type, required: required ?? (optional ? false : defaultRequired(info.type)), words, explicitType: explicit !== null || Boolean(values) };
  if (info.unit && ["number", "integer", "decimal"].includes(info.type)) out.unit = info.unit;
  if (info.type === "enum" && info.values) out.values = info.values;
  return out;
}

export function toField(p: ParsedField): Field {
  const f: Field = { name: p.name, type: p.type, required: p.required };
  if (p.unit) f.unit = p.unit;
  if (p.values) f.values = p.values;
  return f;
}

/** Data shorthand: "description?:text", "price:money", "status:enum(open|closed)", "distance:decimal[km]". */
export function fieldFromData(spec: string): Field {
  const m = /^([a-zA-Z][a-zA-Z0-9]*)(\?)?(?::([a-z]+))?(?:\(([^)]*)\))?(?:\[([^\]]+)\])?$/.exec(spec);
  if (!m?.[1]) throw new Error(`bad field shorthand ${spec}`);
  const inferred = inferType(wordsOf(m[1]));
  const type = (m[3] as FieldType | undefined) ?? inferred.type;
  const f: Field = { name: m[1], type, required: m[2] !== "?" };
  if (type === "enum") f.values = m[4]?.split("|") ?? inferred.values ?? ["open", "closed"];
  const unit = m[5] ?? (type === inferred.type ? inferred.unit : undefined);
  if (unit) f.unit = unit;
  return f;
}

export function referenceField(name: string, target: string, required: boolean, many = false): Field {
  const f: Field = { name, type: "reference", required, references: target };
  if (many) f.cardinality = "many-to-many";
  return f;
}
