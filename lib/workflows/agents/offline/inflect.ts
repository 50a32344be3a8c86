/** Number (pluralize) and identifier casing of the words people use for their data. */

import pluralize from "pluralize";

// Words pluralize gets wrong for app data (it keeps "data" plural-only and "status" as is).
pluralize.addIrregularRule("status", "statuses");
pluralize.addIrregularRule("canvas", "canvases");
pluralize.addUncountableRule("feedback");
pluralize.addUncountableRule("inventory");
pluralize.addUncountableRule("staff");

export function singular(word: string): string {
  const w = word.toLowerCase();
  return w.length <= 2 ? w : pluralize.singular(w);
}

export function plural(word: string): string {
  return pluralize.plural(word.toLowerCase());
}

export function isPlural(word: string): boolean {
  const w = word.toLowerCase();
  return w.length > 2 && pluralize.isPlural(w) && singular(w) !== w;
}

/** Lower-case words of any identifier or phrase: "OrderItem", "order_item", "order items" → ["order", "item(s)"]. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const cap = (w: string): string => (w ? w.charAt(0).toUpperCase() + w.slice(1) : w);

export function pascal(words: string[]): string {
  const s = words.map((w) => cap(w.toLowerCase().replace(/[^a-z0-9]/g, ""))).join("");
  const cleaned = s.replace(/^[^A-Za-z]+/, "");
  return cleaned.slice(0, 64);
}

export function camel(words: string[]): string {
  const p = pascal(words);
  return p ? p.charAt(0).toLowerCase() + p.slice(1) : "";
}

/** "OrderItem" → "order items" (for prose). */
export function humanPlural(entity: string): string {
  const ws = wordsOf(entity);
  const last = ws.pop() ?? "";
  return [...ws, plural(last)].join(" ");
}

export function humanSingular(entity: string): string {
  return wordsOf(entity).join(" ");
}

/** "OrderItem" → "/order-items". */
export function entityPath(entity: string): string {
  return `/${humanPlural(entity).replace(/\s+/g, "-")}`;
}

const ACRONYMS = new Set(["crm", "cms", "erp", "hr", "api", "faq", "rsvp", "pos", "ai", "b2b", "diy", "seo", "kpi", "okr", "id", "isbn", "sku", "pto", "sms", "url"]);

/** Title-cases words the user typed in lower case; keeps "CRM", "iPhone" and the like as written. */
export function titleWord(raw: string): string {
  if (/[A-Z]/.test(raw.slice(1)) || /^[A-Z]{2,}$/.test(raw)) return raw;
  if (ACRONYMS.has(raw.toLowerCase())) return raw.toUpperCase();
  return raw
    .split("-")
    .map((part) => cap(part))
    .join("-");
}

const SMALL = new Set(["and", "or", "of", "the", "a", "an", "for", "to", "in", "on"]);
export function titleCase(words: string[]): string {
  return words.map((w, i) => (i > 0 && SMALL.has(w.toLowerCase()) ? w.toLowerCase() : titleWord(w))).join(" ");
}

export function capitalise(sentence: string): string {
  return cap(sentence.trim());
}

export function joinList(items: string[], conjunction = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}
