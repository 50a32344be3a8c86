/**
 * The NLP layer: compromise tags every word (noun, verb, adjective, value…), the domain data
 * teaches it the nouns apps are about, and a few corrections fix the plural-noun / verb mix-ups
 * it makes in the telegraphic style people describe apps in ("my cellar: bottles with…").
 * compromise loads with the module (~0.4 s, once per process at start); the domain words are
 * added on the first description.
 */
import compromise from "compromise";
import { singular } from "./inflect.ts";
import { DOMAIN } from "./domain.ts";
import { fixTypos } from "./typos.ts";

type Compromise = typeof compromise;
let engine: Compromise | undefined;

/** compromise with the domain's nouns added, set up on first use. */
function nlp(): Compromise {
  if (engine) return engine;
  const n = compromise;
  const words: Record<string, string> = {};
  for (const w of DOMAIN.entityWords.keys()) if (!w.includes(" ")) words[w] = "Singular";
  for (const w of DOMAIN.personWords) words[w] = "Singular";
  n.addWords(words);
  engine = n;
  return n;
}

export interface Tok {
  /** Lower-case word as written ("matches", "drink"). */
  w: string;
  /** As written, for names ("CRM"). */
  raw: string;
  /** Nouns: singular ("match"); verbs: infinitive ("scored" → "score"); others: w. */
  lemma: string;
  tags: Set<string>;
  /** Punctuation written after the word: "," ":" ";" "." "(" ")"… trimmed. */
  post: string;
  pre: string;
}

export type Sentence = Tok[];

const is = (t: Tok | undefined, tag: string): boolean => t !== undefined && t.tags.has(tag);
export const isNoun = (t: Tok | undefined): boolean => is(t, "Noun") && !is(t, "Pronoun") && !is(t, "Possessive") || is(t, "Possessive") && !is(t, "Pronoun") && /'s$/.test(t?.raw ?? "");
export const isVerb = (t: Tok | undefined): boolean => is(t, "Verb") && !is(t, "Auxiliary") && !is(t, "Modal");
export const isPlural = (t: Tok | undefined): boolean => t !== undefined && isNoun(t) && (is(t, "Plural") || (t.lemma !== t.w && !is(t, "Possessive")));
/** A separator after this token ends a list item (",", ";", ":", "."). */
export const ends = (t: Tok | undefined): boolean => t !== undefined && /[,;:.!?)]/.test(t.post);

interface RawTerm {
  text: string;
  normal?: string;
  pre: string;
  post: string;
  tags: string[];
}

const lemmas = new Map<string, string>();
function verbLemma(n: Compromise, w: string, tags: Set<string>): string {
  if (!tags.has("Verb") || tags.has("Infinitive")) return w;
  let inf = lemmas.get(w);
  if (inf === undefined) {
    const out = n(w).verbs().toInfinitive().text().toLowerCase().trim();
    inf = out && !out.includes(" ") ? out : w;
    if (lemmas.size < 5000) lemmas.set(w, inf);
  }
  return inf;
}

// One description is read by several passes (entities, the app's name): parse it once.
let lastText = "";
let lastParse: Sentence[] = [];

/**
 * A plural noun read as a present-tense verb ("cellar: bottles with…", "to volunteers") when
 * nothing before it could be its subject. Singular forms the domain data knows are nouns.
 */
function fixNounVerb(toks: Tok[]): void {
  toks.forEach((t, i) => {
    if (!t.tags.has("PresentTense") || !/[a-z]s$/.test(t.w) || t.tags.has("Infinitive")) return;
    const prev = toks[i - 1];
    const next = toks[i + 1];
    const known = DOMAIN.entityWords.has(singular(t.w)) || DOMAIN.personWords.has(singular(t.w));
    const noSubject = !prev || (prev.tags.has("Verb") && !prev.tags.has("Auxiliary") && !prev.tags.has("Modal") && !prev.tags.has("PastTense")) || /[,;:(]/.test(prev.post) || ["to", "and", "or", "with", "of", "for", "the", "my", "our", "their", "your", "some", "all", "many"].includes(prev.w) || is(prev, "Preposition") || is(prev, "Determiner");
    const followedLikeNoun = !next || /[,;:.()]/.test(t.post) || next.pre.includes("(") || ["with", "that", "who", "which", "and", "or", "of", "have", "has", "can", "should", "in", "per", "for"].includes(next.w) || isVerb(next);
    const topic = /[:]/.test(t.post) && isNoun(prev);
    if ((noSubject && followedLikeNoun) || topic || (known && (noSubject || followedLikeNoun || isNoun(prev)))) {
      t.tags = new Set(["Noun", "Plural"]);
      t.lemma = singular(t.w);
    }
  });
}

/** Sentences of tagged tokens. Bullets and line breaks end sentences; so do ";" and ":" only when written so. */
export function parse(text: string): Sentence[] {
  if (text === lastText) return lastParse;
  const out = parseFresh(text);
  lastText = text;
  lastParse = out;
  return out;
}

function parseFresh(text: string): Sentence[] {
  const n = nlp();
  const out: Sentence[] = [];
  for (const line of text.split(/\n+/)) {
    const clean = fixTypos(line).replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").trim();
    if (!clean) continue;
    const doc = n(clean);
    for (const s of doc.json({ terms: { tags: true, normal: true } }) as Array<{ terms: RawTerm[] }>) {
      const toks: Tok[] = [];
      for (const term of s.terms) {
        const raw = term.text.replace(/['’]s$/i, "");
        const w = (term.normal ?? term.text).toLowerCase().replace(/['’]s$/, "").replace(/[^a-z0-9'&/-]/g, "");
        if (!w) continue;
        const tags = new Set(term.tags);
        if (/['’]s$/i.test(term.text) && !tags.has("Pronoun")) tags.add("Possessive");
        const lemma = tags.has("Noun") && !tags.has("Pronoun") ? singular(w) : verbLemma(n, w, tags);
        // " - " between words is a dash (a pause like ":"), not a hyphen.
        const post = /\s[-–—]\s*$|^\s*[–—]/.test(term.post) ? ":" : term.post.trim();
        toks.push({ w, raw, lemma, tags, post, pre: term.pre.trim() });
      }
      fixNounVerb(toks);
      // "others comment on them", "members vote on books": a verb after people, before its object.
      toks.forEach((t, i) => {
        const prev = toks[i - 1];
        const next = toks[i + 1];
        if (!t.tags.has("Noun") || t.tags.has("Plural") || !DOMAIN.actionVerbs.has(t.w) || !prev || !next || prev.post) return;
        const people = prev.tags.has("Pronoun") || DOMAIN.audience.has(singular(prev.w)) || DOMAIN.personWords.has(singular(prev.w)) || prev.w === "others";
        if (people && (next.tags.has("Preposition") || next.tags.has("Determiner") || next.tags.has("Pronoun") || next.tags.has("Plural"))) {
          t.tags = new Set(["Verb", "PresentTense", "Infinitive"]);
          t.lemma = t.w;
        }
      });
      // Words the domain data knows as nouns, tagged otherwise after a determiner ("a lost and found board").
      toks.forEach((t, i) => {
        const prev = toks[i - 1];
        if (!isNoun(t) && DOMAIN.entityWords.has(t.w) && (is(prev, "Determiner") || is(prev, "Possessive") || is(prev, "Adjective"))) {
          t.tags = new Set(["Noun", "Singular"]);
          t.lemma = t.w;
        }
      });
      if (toks.length > 0) out.push(toks);
    }
  }
  return out;
}

/** Loads compromise now (servers call this at start so the first description is fast). */
export function warmUp(): void {
  parse("Warm up the tagger with a sentence.");
}
