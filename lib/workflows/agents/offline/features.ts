/** Features: what the user said people can do, rewritten as short sentences about the app's users. */
import type { Page } from "./fields.ts";
import { capitalise, plural, singular } from "./inflect.ts";
import { VERBS, normalise, sentencesOf } from "./text.ts";

const SUBJECT = String.raw`(users?|people|customers?|members?|visitors?|guests?|students?|teachers?|admins?|administrators?|staff|employees?|readers?|buyers?|sellers?|clients?|patients?|players?|attendees?|organi[sz]ers?|everyone|anyone|i|we|you|[a-z]+s)`;
/** People who act in the app: "members suggest books" is a feature even without "can". */
const PEOPLE_SUBJECT = String.raw`(users|customers|members|visitors|guests|students|teachers|admins|readers|buyers|sellers|clients|patients|players|attendees|organi[sz]ers|employees|agents|managers|parents|volunteers|drivers|owners)`;
const NOT_VERBS = "can|could|should|will|would|must|may|might|are|is|were|was|have|has|had|need|needs|want|wants|also|and|or|of|with|in|on|to|for|who|that|which|get|do|don't";
const MODAL = String.raw`(?:can|could|(?:should|will|must|need to)(?:\s+also)?\s+be\s+able\s+to|are\s+able\s+to|should|will|must|may)`;
const NOT_SUBJECTS = new Set(["this", "its", "is", "was", "has", "does", "us", "yes", "plus", "thus", "always", "perhaps", "sometimes", "as", "his", "hers", "ours", "theirs", "also", "less", "unless", "it's", "what's", "that's", "there's", "lets"]);
const IMPERATIVE = "track|manage|log|keep|organi[sz]e|plan|share|record|store|sell|book|schedule|find|discover|browse|collect|monitor|create|add|write|send|see|view|compare|remind|help";
// "I log workouts", "we vote on…": first-person actions, but not "I want…" or "I need…".
const ACTIONS = [...VERBS].filter((v) => !["want", "need", "like", "make", "build", "use", "let", "help", "allow", "enable", "get", "set"].includes(v)).join("|");
const PATTERNS: Array<{ re: RegExp; subject: number | null }> = [
  { re: new RegExp(String.raw`\b${SUBJECT}\s+${MODAL}\s+(?:also\s+)?`, "gi"), subject: 1 },
  { re: new RegExp(String.raw`\b(?:let|lets|allow|allows|enable|enables|help|helps)\s+(me|us|users?|people|customers|members|[a-z]+s)\s+(?:to\s+)?`, "gi"), subject: 1 },
  { re: new RegExp(String.raw`\b${PEOPLE_SUBJECT}\s+(?!${NOT_VERBS}\b)(?=[a-z]+\s)`, "gi"), subject: 1 },
  {
    re: /\b(?:i|we)(?:'d|\s+would)?\s+(?:really\s+|also\s+)*(?:want|need|like|wish)\s+(?:(users|people|customers|members|them|everyone|[a-z]+s)\s+)?to\s+(?:also\s+)?(?:be\s+able\s+to\s+)?/gi,
    subject: 1,
  },
  { re: /\b(?:it|the app|this app|the tool|the system|the site|the platform)\s+(?:should|must|will|needs to|has to)\s+(?:also\s+)?(?!be\s+(?:called|named))/gi, subject: -1 },
  {
    re: /\b(?:app|application|tool|platform|site|website|system|tracker|planner|manager|dashboard|crm|bot)(?:\s+(?:called|named)\s+(?:"[^"]+"|\S+(?:\s+\S+){0,3}?))?\s+(?:that|which|to)\s+/gi,
    subject: -1,
  },
  { re: new RegExp(String.raw`(?:^|:\s+)(?=(?:${IMPERATIVE})\b)`, "gi"), subject: -1 },
  { re: new RegExp(String.raw`\b(i|we)\s+(?=(?:${ACTIONS})\b)`, "gi"), subject: 1 },
];
const BUILD_VERBS = /^(?:build|make|create|have|get|develop|design|start|write|code)\b.{0,40}\b(?:app|application|tool|site|website|platform|system|something|thing)\b/i;

function subjectLabel(raw: string | undefined): string | null {
  if (raw === undefined || raw.toLowerCase() === "them") return "Users";
  const w = raw.toLowerCase();
  if (NOT_SUBJECTS.has(w)) return null;
  if (["i", "we", "you", "me", "us", "everyone", "anyone", "people"].includes(w)) return "Users";
  if (w === "others") return "Other users";
  return capitalise(w === "staff" ? w : plural(singular(w)));
}

/**
 * "remind me when to water my plants" → "remind users when to water their plants"; imperative
 * features address the reader instead ("Keep track of your plants").
 */
function rewritePronouns(vp: string, imperative: boolean): string {
  const map: Record<string, string> = imperative
    ? { me: "you", us: "you", my: "your", our: "your", i: "you", we: "you", myself: "yourself", mine: "yours", "i'm": "you're", "i've": "you've", "i'd": "you'd" }
    : { me: "them", us: "them", my: "their", our: "their", i: "they", we: "they", myself: "themselves", mine: "theirs", "i'm": "they're", "i've": "they've", "i'd": "they'd" };
  return vp
    .split(/\s+/)
    .map((w, i) => {
      const lw = w.toLowerCase();
      if ((lw === "me" || lw === "us") && i === 1) return imperative ? "you" : "users";
      return map[lw] ?? w;
    })
    .join(" ");
}

function tidy(vp: string): string {
  let s = vp.replace(/\s+/g, " ").trim();
  s = s.replace(/[\s,;:-]+(?:and|but|or|while|where|so|too|as well|please|etc)?[\s,;:-]*$/i, "").trim();
  s = s.replace(/\s+(?:too|as well|please)$/i, "");
  const words = s.split(" ");
  return words.length > 30 ? words.slice(0, 30).join(" ") : s;
}

/**
 * Splits "post recipes and comment on them" into two verb phrases, resolving "them" to the
 * previous phrase's object; `object` carries it across phrases of one sentence.
 */
function splitVerbPhrases(vp: string, object: { last: string | null }): string[] {
  const words = vp.split(" ");
  const parts: string[][] = [[]];
  const verbAt = (k: number): boolean => {
    const w = (words[k] ?? "").toLowerCase();
    return VERBS.has(w === "and" ? (words[k + 1] ?? "").toLowerCase() : w);
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    const cur = parts[parts.length - 1] ?? [];
    if (w.toLowerCase() === "and" && cur.length >= 2 && VERBS.has((words[i + 1] ?? "").toLowerCase())) {
      parts.push([]);
      continue;
    }
    cur.push(w);
    if (w.endsWith(",") && cur.length >= 2 && verbAt(i + 1)) {
      cur[cur.length - 1] = w.slice(0, -1);
      parts.push([]);
      if (words[i + 1]?.toLowerCase() === "and") i++;
    }
  }
  const out: string[] = [];
  for (const p of parts) {
    const text = p.join(" ").replace(/^and\s+/i, "").replace(/[\s,;:]+$/, "");
    out.push(object.last ? text.replace(/\bthem\b/gi, object.last) : text);
    object.last = p.slice(1).find((w) => /^[a-z]{3,}s$/i.test(w) && !["others", "users", "friends"].includes(w.toLowerCase())) ?? object.last;
  }
  return out.filter((t) => t.length > 0);
}

/** Features the user asked for in their own words. */
export function clauseFeatures(text: string, opts: { imperative: boolean } = { imperative: true }): string[] {
  const out: string[] = [];
  for (const sentence of sentencesOf(text)) {
    const heads: Array<{ start: number; end: number; label: string | null; imperative: boolean }> = [];
    // In a change request a leading verb is the request itself ("add a comments entity"), not a feature.
    for (const p of opts.imperative ? PATTERNS : PATTERNS.filter((x) => x.subject !== -1)) {
      for (const m of sentence.matchAll(p.re)) {
        const start = m.index ?? 0;
        if (heads.some((h) => start >= h.start && start < h.end)) continue;
        const label = p.subject === -1 ? "" : subjectLabel(p.subject === null ? undefined : m[p.subject]);
        heads.push({ start, end: start + m[0].length, label, imperative: p.subject === -1 });
      }
    }
    heads.sort((a, b) => a.start - b.start);
    const object = { last: null as string | null };
    heads.forEach((h, k) => {
      if (h.label === null) return;
      const vp = tidy(sentence.slice(h.end, heads[k + 1]?.start ?? sentence.length));
      // "…should have a rating" asks for a field, and "…should be called X" for a name: neither is a feature.
      if (!vp || BUILD_VERBS.test(vp) || /^(?:be|look|have|has|contain|include)\b/i.test(vp)) return;
      for (const raw of splitVerbPhrases(vp, object)) {
        const part = rewritePronouns(raw, h.imperative);
        // "an app that reminds me…" → "Remind users…"
        const first = part.split(" ")[0] ?? "";
        const verb = h.imperative && /[^su]s$/i.test(first) ? part.replace(/^(\w+?)(?:(?<=(?:ch|sh|ss|x))es|s)\b/i, "$1") : part;
        const sentenceText = h.imperative ? capitalise(verb) : `${h.label} can ${verb}`;
        if (sentenceText.length <= 300 && !out.some((f) => f.toLowerCase() === sentenceText.toLowerCase())) out.push(sentenceText);
      }
    });
  }
  return out;
}

interface Keyword {
  re: RegExp;
  stem: RegExp;
  feature: (mainPlural: string) => string;
  page?: Page;
}
const KEYWORDS: Keyword[] = [
  { re: /\bsearch/, stem: /search/i, feature: (m) => `Search ${m}`, page: { name: "Search", path: "/search", purpose: "Find anything by keyword" } },
  { re: /\b(?:filter|sort)/, stem: /filter|sort/i, feature: (m) => `Filter and sort ${m}` },
  { re: /\b(?:remind|notif|alert)/, stem: /remind|notif|alert/i, feature: () => "Reminders and notifications" },
  { re: /\bcalendar/, stem: /calendar/i, feature: (m) => `Calendar view of ${m}`, page: { name: "Calendar", path: "/calendar", purpose: "See everything on a calendar" } },
  { re: /\b(?:dashboard|stats|statistics|analytics|charts?|graphs?|reports?|insights|progress)\b/, stem: /dashboard|stat|analytic|chart|graph|report|insight|progress/i, feature: () => "Dashboard with charts and statistics", page: { name: "Dashboard", path: "/dashboard", purpose: "Charts and statistics at a glance" } },
  { re: /\b(?:export|csv)\b/, stem: /export|csv/i, feature: () => "Export data to CSV" },
  { re: /\bdark mode\b/, stem: /dark mode/i, feature: () => "Dark mode" },
  { re: /\b(?:cart|checkout)\b/, stem: /cart|checkout/i, feature: () => "Shopping cart and checkout", page: { name: "Cart", path: "/cart", purpose: "Review items and check out" } },
  { re: /\bmaps?\b/, stem: /\bmap/i, feature: (m) => `Map view of ${m}`, page: { name: "Map", path: "/map", purpose: "See items on a map" } },
  { re: /\boffline\b/, stem: /offline/i, feature: () => "Works offline" },
];

/** Features named by a keyword ("with search and reminders"), unless a clause already covers them. */
export function keywordFeatures(text: string, mainPlural: string, existing: string[]): { features: string[]; pages: Page[] } {
  const lower = normalise(text).toLowerCase();
  const features: string[] = [];
  const pages: Page[] = [];
  for (const k of KEYWORDS) {
    if (!k.re.test(lower)) continue;
    // A clause may already say it ("see my progress"); the page is still wanted.
    if (!existing.some((f) => k.stem.test(f))) features.push(k.feature(mainPlural));
    if (k.page) pages.push({ ...k.page });
  }
  return { features, pages };
}

/** The keyword feature (and page) a short request names: "add search", "a calendar". */
export function keywordFeature(phrase: string, mainPlural: string): { feature: string; page?: Page } | null {
  const k = KEYWORDS.find((x) => x.re.test(phrase.toLowerCase()));
  return k ? { feature: k.feature(mainPlural), ...(k.page ? { page: { ...k.page } } : {}) } : null;
}
