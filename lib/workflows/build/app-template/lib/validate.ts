import type { EntityDef, FieldDef, Value } from "./schema-types";

/**
 * Server-side validation from the field types. Input comes from a form (strings, "on" for a
 * checkbox, several values for a multi-select) or from the JSON API (typed values); both are
 * accepted. Reference targets are checked against the database in lib/records.ts.
 */
export type Errors = Record<string, string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ().-]{2,30}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const MAX_STRING = 500;
const MAX_TEXT = 20_000;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function validTime(h: string, m: string, s?: string): boolean {
  return Number(h) < 24 && Number(m) < 60 && (s === undefined || Number(s) < 60);
}

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "") || (Array.isArray(raw) && raw.length === 0);
}

function one(raw: unknown): unknown {
  return Array.isArray(raw) ? raw[0] : raw;
}

function toIds(raw: unknown): number[] | undefined {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === "" ? [] : [raw];
  const ids: number[] = [];
  for (const item of list) {
    const n = typeof item === "number" ? item : typeof item === "string" && /^\d+$/.test(item.trim()) ? Number(item) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) return undefined;
    if (!ids.includes(n)) ids.push(n);
  }
  return ids;
}

/** One field's value, or the message to show beside it. */
export function parseField(field: FieldDef, raw: unknown): { value: Value } | { error: string } {
  const label = field.label;
  if (field.type === "boolean") {
    const v = one(raw);
    if (v === undefined || v === null || v === "" || v === false || v === "false" || v === "0" || v === 0) return { value: false };
    if (v === true || v === "true" || v === "on" || v === "1" || v === 1) return { value: true };
    return { error: `${label} must be yes or no` };
  }
  if (field.many) {
    const ids = toIds(raw);
    if (!ids) return { error: `${label} must be a list of record ids` };
    if (field.required && ids.length === 0) return { error: `${label} needs at least one choice` };
    return { value: ids };
  }
  if (isBlank(raw)) return field.required ? { error: `${label} is required` } : { value: null };
  const v = one(raw);
  if (field.type === "reference") {
    const ids = toIds(v);
    if (!ids || ids.length !== 1) return { error: `${label} must be one of the listed choices` };
    return { value: ids[0]! };
  }
  if (["number", "integer", "decimal", "money"].includes(field.type)) {
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
    if (!Number.isFinite(n)) return { error: `${label} must be a number` };
    if (field.type === "integer" && !Number.isInteger(n)) return { error: `${label} must be a whole number` };
    if (field.type === "money" && Math.round(n * 100) !== Math.round(n * 100 * 1e6) / 1e6) return { error: `${label} can have at most 2 decimals` };
    if (Math.abs(n) > 1e15) return { error: `${label} is too large` };
    return { value: n };
  }
  if (typeof v !== "string") return { error: `${label} must be text` };
  const text = v.trim();
  switch (field.type) {
    case "enum":
      if (!field.values?.includes(text)) return { error: `${label} must be one of: ${(field.values ?? []).join(", ")}` };
      return { value: text };
    case "date":
      return validDate(text) ? { value: text } : { error: `${label} must be a date (YYYY-MM-DD)` };
    case "datetime": {
      const m = DATETIME.exec(text);
      return m && validDate(m[1]!) && validTime(m[2]!, m[3]!, m[4]) ? { value: text } : { error: `${label} must be a date and time (YYYY-MM-DDTHH:MM)` };
    }
    case "time": {
      const m = TIME.exec(text);
      return m && validTime(m[1]!, m[2]!, m[3]) ? { value: text } : { error: `${label} must be a time (HH:MM)` };
    }
    case "email":
      return EMAIL.test(text) && text.length <= 254 ? { value: text } : { error: `${label} must be an email address like name@example.com` };
    case "url":
    case "image": {
      let ok = false;
      try {
        ok = ["http:", "https:"].includes(new URL(text).protocol);
      } catch {
        ok = false;
      }
      return ok && text.length <= 2000 ? { value: text } : { error: `${label} must be a web address starting with http:// or https://` };
    }
    case "phone":
      return PHONE.test(text) ? { value: text } : { error: `${label} must be a phone number (digits, spaces, + - ( ) .)` };
    case "text":
      return text.length <= MAX_TEXT ? { value: text } : { error: `${label} is too long (at most ${MAX_TEXT} characters)` };
    default:
      return text.length <= MAX_STRING ? { value: text } : { error: `${label} is too long (at most ${MAX_STRING} characters)` };
  }
}

/** Reads an own property only: a field named "constructor" never sees Object.prototype. */
export function own(input: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
}

export function parseRecord(entity: EntityDef, input: Record<string, unknown>): { values: Record<string, Value>; errors: Errors } {
  const values: Record<string, Value> = Object.create(null);
  const errors: Errors = Object.create(null);
  for (const field of entity.fields) {
    const result = parseField(field, own(input, field.key));
    if ("error" in result) errors[field.key] = result.error;
    else values[field.key] = result.value;
  }
  return { values, errors };
}
