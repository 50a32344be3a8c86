/** English number and identifier casing, small and rule-based: good enough for domain nouns. */

const IRREGULAR: Record<string, string> = {
  person: "people",
  child: "children",
  man: "men",
  woman: "women",
  mouse: "mice",
  goose: "geese",
  foot: "feet",
  tooth: "teeth",
  leaf: "leaves",
  knife: "knives",
  wife: "wives",
  life: "lives",
  shelf: "shelves",
  half: "halves",
  wolf: "wolves",
  loaf: "loaves",
  thief: "thieves",
  calf: "calves",
  analysis: "analyses",
  crisis: "crises",
  thesis: "theses",
  diagnosis: "diagnoses",
  criterion: "criteria",
  cactus: "cacti",
  status: "statuses",
  bus: "buses",
  campus: "campuses",
  bonus: "bonuses",
  virus: "viruses",
  quiz: "quizzes",
  hero: "heroes",
  potato: "potatoes",
  tomato: "tomatoes",
  echo: "echoes",
  volcano: "volcanoes",
};
const IRREGULAR_SINGULAR: Record<string, string> = Object.fromEntries(Object.entries(IRREGULAR).map(([s, p]) => [p, s]));

const UNCOUNTABLE = new Set([
  "news", "series", "species", "equipment", "information", "info", "software", "hardware", "feedback", "music",
  "furniture", "data", "media", "staff", "money", "rice", "fish", "sheep", "deer", "progress", "fitness",
  "analytics", "physics", "mathematics", "athletics", "inventory", "homework", "luggage", "baggage",
  "spending", "clothing", "weather", "traffic", "stuff", "metadata", "chess", "gymnastics",
]);

// Singular nouns that end in "ie" or "che": the generic "-ies"/"-ches" rules would mangle their plurals.
const IE_WORDS = new Set(["movie", "cookie", "pie", "tie", "lie", "calorie", "zombie", "selfie", "rookie", "hoodie", "smoothie", "brownie", "genie", "prairie", "sortie", "auntie", "pixie", "eyrie", "lingerie", "veggie", "foodie", "goalie", "newbie", "birdie", "freebie"]);
const CHE_WORDS = new Set(["cache", "niche", "headache", "avalanche", "moustache", "mustache", "creche", "quiche", "psyche", "cliche", "attache", "microfiche"]);

export function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3 || UNCOUNTABLE.has(w)) return w;
  const irregular = IRREGULAR_SINGULAR[w];
  if (irregular) return irregular;
  if (IRREGULAR[w]) return w;
  if (w.endsWith("ies")) return IE_WORDS.has(w.slice(0, -1)) ? w.slice(0, -1) : `${w.slice(0, -3)}y`;
  if (w.endsWith("ches") || w.endsWith("shes")) return CHE_WORDS.has(w.slice(0, -1)) ? w.slice(0, -1) : w.slice(0, -2);
  if (w.endsWith("sses") || w.endsWith("xes") || w.endsWith("zzes")) return w.slice(0, -2);
  if (/(ss|us|is|ous)$/.test(w)) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
}

export function plural(word: string): string {
  const w = word.toLowerCase();
  if (UNCOUNTABLE.has(w)) return w;
  const irregular = IRREGULAR[w];
  if (irregular) return irregular;
  if (IRREGULAR_SINGULAR[w]) return w;
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(w)) return `${w}es`;
  return `${w}s`;
}

export function isPlural(word: string): boolean {
  const w = word.toLowerCase();
  return singular(w) !== w || (IRREGULAR_SINGULAR[w] !== undefined);
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

export function titleCase(words: string[]): string {
  return words.map(titleWord).join(" ");
}

export function capitalise(sentence: string): string {
  return cap(sentence.trim());
}

export function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
