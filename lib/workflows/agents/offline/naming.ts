/** The app's name and summary. */
import type { Entity } from "./fields.ts";
import { capitalise, humanPlural, joinList, singular, titleCase, titleWord, wordsOf } from "./inflect.ts";
import { FLUFF, resolveNoun } from "./nouns.ts";
import { CLAUSE_WORDS, DETERMINERS, PREPOSITIONS, type Tok, isWord, normalise, sentencesOf, tokenize } from "./text.ts";

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

export const KIND_WORDS = set(`app application tool platform site website webapp system tracker manager planner dashboard
  crm portal marketplace shop store blog journal diary organizer organiser catalog catalogue directory helpdesk forum list
  watchlist wishlist log library collection hub board`);
const GENERIC_KINDS = set("app application tool platform site website webapp system list hub collection board");
/** Kinds that read well after the main entity: "Plant Tracker". */
const ENTITY_KINDS = set("tracker manager planner journal diary organizer organiser catalog catalogue directory dashboard");
/** A kind word followed by one of these ends the phrase; followed by another noun it is a modifier ("blog posts"). */
const KIND_FOLLOW = set(`that which where for to with so called named and or i we in on using like is should will can who
  built please because but than as of my our`);
const STOP_BACK = new Set([...DETERMINERS, ...PREPOSITIONS, ...CLAUSE_WORDS, ...set("want need build make create like called named")]);
const BUSINESS = String.raw`bookstore|shop|store|bakery|cafe|restaurant|gym|studio|clinic|salon|library|school|agency|hotel|farm|nursery|garage|practice|company|business|club|charity|brewery|bar|boutique|pharmacy|florist|daycare|kennel|[a-z]+store|[a-z]+shop`;
const NAME_STOP = set("that which where for to with and so because it i we who in on by using like but or");

function cleanName(raw: string): string | null {
  const s = raw.replace(/^["'\s]+|["'.,!?\s]+$/g, "").replace(/\s+/g, " ").slice(0, 120).trim();
  return s.length > 0 ? s : null;
}

/** "an app called Leaf Buddy that…", `call it "RecipeBox"`. */
function calledName(text: string): string | null {
  const t = normalise(text);
  const kinds = [...KIND_WORDS, "it", "it's", "is", "be", "project", "product", "something", "one", "service"].join("|");
  const lead = String.raw`\b(?:${kinds})\s+(?:called|named)\s+|\b(?:call|name)\s+it\s+`;
  const quoted = new RegExp(String.raw`(?:${lead})(?:"([^"]{1,80})"|'([^']{1,80})')`, "i").exec(t);
  const q = quoted?.[1] ?? quoted?.[2];
  if (q) return cleanName(q);
  const bare = new RegExp(String.raw`(?:${lead})([A-Za-z0-9][\w&+.-]*(?:\s+[A-Za-z0-9][\w&+-]*){0,4})`, "i").exec(t);
  if (!bare?.[1]) return null;
  const words: string[] = [];
  for (const w of bare[1].split(/\s+/)) {
    if (NAME_STOP.has(w.toLowerCase()) && words.length > 0) break;
    words.push(w.replace(/[.,!?]+$/, ""));
    if (/[.,!?]$/.test(w)) break;
  }
  const name = words.join(" ");
  return cleanName(name === name.toLowerCase() ? titleCase(name.split(" ")) : name);
}

/** "a simple recipe sharing app" → "Recipe Sharing App". */
function kindName(text: string, main: string | null): string | null {
  for (const sentence of sentencesOf(text)) {
    const toks = tokenize(sentence);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (!t || !KIND_WORDS.has(t.w)) continue;
      const next = toks[i + 1];
      if (isWord(next) && !KIND_FOLLOW.has(next.w) && !next.w.endsWith("ing")) continue;
      const words: string[] = [];
      let j = i - 1;
      for (; j >= 0 && words.length < 4; j--) {
        const b = toks[j];
        if (!isWord(b) || STOP_BACK.has(b.w)) break;
        if (!FLUFF.has(b.w)) words.unshift(b.raw);
      }
      const anchored = j < 0 || DETERMINERS.has(toks[j]?.w ?? "");
      if (!anchored) continue;
      if (words.length > 0) return titleCase([...words, t.raw]);
      const topic = GENERIC_KINDS.has(t.w) ? forTopic(toks, i) : null;
      if (topic) return `${topic} ${titleWord(t.raw)}`;
      if (ENTITY_KINDS.has(t.w) && main) return `${titleCase(wordsOf(main))} ${titleWord(t.raw)}`;
      if (!GENERIC_KINDS.has(t.w)) return titleWord(t.raw);
    }
  }
  return null;
}

/** "I run a small bookstore" → "Bookstore Manager"; "an app for my book club" → "Book Club App". */
/** "a platform for online courses" → "Online Course"; audiences ("for teachers", "for my team") do not count. */
function forTopic(toks: Tok[], kind: number): string | null {
  if (toks[kind + 1]?.w !== "for") return null;
  const words: string[] = [];
  for (let j = kind + 2; j < toks.length && words.length < 3; j++) {
    const t = toks[j];
    if (!isWord(t) || STOP_BACK.has(t.w) && words.length > 0) break;
    if (!DETERMINERS.has(t.w)) words.push(t.w);
  }
  const ref = resolveNoun(words);
  // Only a plural topic: "for a small team" or "for teachers" is an audience.
  if (!ref?.plural || ref.lex?.person || words.length === 0) return null;
  return titleCase([...words.slice(0, -1), singular(words[words.length - 1] ?? "")]);
}

function businessName(text: string): string | null {
  const m = new RegExp(String.raw`\b(run|own|manage|managing|running|have|operate|for)\s+(?:a|an|my|our|the)\s+((?:[a-z-]+\s+){0,2}?)(${BUSINESS})\b`, "i").exec(normalise(text));
  if (!m?.[3]) return null;
  const words = [...(m[2] ?? "").split(/\s+/).filter((w) => w && !FLUFF.has(w.toLowerCase())), m[3]];
  return `${titleCase(words)} ${m[1]?.toLowerCase() === "for" ? "App" : "Manager"}`;
}

export function appName(text: string, main: string | null): string {
  const named = calledName(text) ?? kindName(text, main) ?? businessName(text);
  if (named) return named;
  if (!main) return "My App";
  const lower = text.toLowerCase();
  const suffix = /\b(?:track|log|monitor)/.test(lower) ? "Tracker" : /\b(?:manage|organi[sz]e)/.test(lower) ? "Manager" : /\b(?:plan|schedule)/.test(lower) ? "Planner" : "App";
  return `${titleCase(wordsOf(main))} ${suffix}`;
}

const PURPOSE: Array<[RegExp, string]> = [
  [/^shar(?:e|es|ing)$/, "share"],
  [/^(?:booking|reserve|reserving)$/, "book"],
  [/^(?:sell|sells|selling)$/, "sell"],
  [/^(?:track|tracking|tracker|log|logging|monitor)$/, "track"],
  [/^(?:plan|planning|planner|schedule|scheduling)$/, "plan"],
];

/** The verb the user put next to the main entity ("track my expenses", "recipe sharing"), else "manage". */
function purposeVerb(text: string, main: string | null): string {
  if (!main) return "manage";
  const words = normalise(text).toLowerCase().split(/[^a-z]+/);
  const target = new Set([humanPlural(main), wordsOf(main).join(" ")].map((w) => w.split(" ").pop() ?? ""));
  const near = (i: number): boolean => words.slice(Math.max(0, i - 4), i + 5).some((w) => target.has(w));
  for (const [re, verb] of PURPOSE) if (words.some((w, i) => re.test(w) && near(i))) return verb;
  return "manage";
}

export function summarise(name: string, entities: Entity[], main: string | null, text: string, features: string[], personal: boolean): string {
  const verb = purposeVerb(text, main);
  const others = entities.filter((e) => e.name !== "User" && e.name !== main).slice(0, 4).map((e) => humanPlural(e.name));
  const first = `${name} helps ${personal ? "you" : "users"} ${verb} ${main ? humanPlural(main) : "their data"}.`;
  const highlight = features[0];
  const second = highlight ? capitalise(highlight).replace(/[.!]*$/, ".") : others.length > 0 ? `It also keeps track of ${joinList(others)}.` : "";
  return `${first} ${second}`.trim().slice(0, 2000);
}
