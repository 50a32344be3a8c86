/** The app's name: the one the user gave, else the noun phrase naming the app kind, else the main entity. */
import { FLUFF_ADJECTIVES } from "./domain-data.ts";
import { DOMAIN, appKinds } from "./domain.ts";
import { titleCase, titleWord, wordsOf } from "./inflect.ts";
import { type Sentence, isNoun, parse } from "./nlp.ts";

const FLUFF = new Set(FLUFF_ADJECTIVES);
const GENERIC_KINDS = new Set(["app", "application", "tool", "platform", "site", "website", "webapp", "system", "hub", "board", "service"]);
/** Groups that name an app about them ("a kids football team"), without being kinds of app. */
const NAME_KINDS = new Set(["team", "club", "league", "band", "choir", "group", "society", "association", "clinic", "salon", "studio", "gym", "bakery", "cafe", "restaurant", "bookstore", "shop", "farm", "school", "office"]);
const NAME_STOP = new Set("that which where for to with and so because it i we who in on by using like but or".split(" "));

function cleanName(raw: string): string | null {
  const s = raw.replace(/^["'\s]+|["'.,!?\s]+$/g, "").replace(/\s+/g, " ").slice(0, 120).trim();
  return s.length > 0 ? s : null;
}

/** "an app called Leaf Buddy that…", `call it "RecipeBox"`. */
function calledName(text: string): string | null {
  const t = text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
  const lead = String.raw`\b(?:called|named)\s+|\b(?:call|name)\s+it\s+`;
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

/** "a simple recipe sharing app" → "Recipe Sharing App"; "my wine cellar" → "Wine Cellar". */
function kindName(sentences: Sentence[], main: string | null): string | null {
  for (const toks of sentences) {
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (!(DOMAIN.kinds.has(t.w) || NAME_KINDS.has(t.w)) || !isNoun(t)) continue;
      // A kind word followed by another noun is a modifier ("blog posts").
      const next = toks[i + 1];
      if (next && isNoun(next) && !/[,:;.]/.test(t.post)) continue;
      const words: string[] = [];
      for (let j = i - 1; j >= 0 && words.length < 4; j--) {
        const b = toks[j]!;
        if (/[,:;.]/.test(b.post) || b.tags.has("Determiner") || b.tags.has("Pronoun") || b.tags.has("Preposition") || b.tags.has("Verb") && !b.tags.has("Gerund") && !b.tags.has("Noun") || b.tags.has("Conjunction") && !(toks[j - 1] && toks[j + 1] && b.w === "and" && !toks[j - 1]!.tags.has("Determiner") && words.length === 1)) break;
        if (["my", "our", "your", "their", "his", "her", "its"].includes(b.w)) break;
        if (!FLUFF.has(b.w)) words.unshift(b.raw);
      }
      if (words.length > 0) return titleCase([...words, t.raw]);
      if (DOMAIN.entityKinds.has(t.w) && main) return `${titleCase(wordsOf(main))} ${titleWord(t.raw)}`;
      if (!GENERIC_KINDS.has(t.w)) return titleWord(t.raw);
    }
  }
  return null;
}

/** "a lost and found board": the app kind's own words before its kind word. */
function phraseKindName(text: string): string | null {
  const kind = appKinds(text.toLowerCase());
  if (!kind) return null;
  const m = new RegExp(String.raw`\b(${kind.phrase.replace(/[-/]/g, "\\$&")})\s+(${[...DOMAIN.kinds].join("|")})\b`, "i").exec(text);
  return m?.[1] && m[2] ? titleCase([...m[1].split(/\s+/), m[2]]) : null;
}

export function appName(text: string, main: string | null): string {
  const named = calledName(text) ?? phraseKindName(text) ?? kindName(parse(text), main);
  if (named) return named;
  if (!main) return "My App";
  const lower = text.toLowerCase();
  const suffix = /\b(?:track|log|monitor)/.test(lower) ? "Tracker" : /\b(?:manage|organi[sz]e)/.test(lower) ? "Manager" : /\b(?:plan|schedule)/.test(lower) ? "Planner" : "App";
  return `${titleCase(wordsOf(main))} ${suffix}`;
}
