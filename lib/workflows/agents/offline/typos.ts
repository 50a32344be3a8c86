/**
 * Typo tolerance for common words: a word of 5+ letters that the domain vocabulary does not know
 * becomes the one vocabulary word (or longer word of the same description) one edit away
 * ("apointments" → "appointments", "colection" → "collection"). Only unambiguous matches.
 */
import * as data from "./domain-data.ts";
import { plural, singular } from "./inflect.ts";

let vocab: Set<string> | null = null;

function domainVocab(): Set<string> {
  if (vocab) return vocab;
  const words = new Set<string>();
  const addWord = (w: string) => {
    for (const part of w.toLowerCase().split(/[\s-]+/)) {
      if (!/^[a-z]{5,}$/.test(part)) continue;
      words.add(part);
      words.add(plural(part));
    }
  };
  for (const e of data.ENTITIES) e.words.forEach(addWord);
  for (const list of [data.PERSON_WORDS, data.AUDIENCE_WORDS, data.GENERIC_NOUNS, data.KIND_WORDS, data.ENTITY_KINDS, data.COLLECTIVE_NOUNS, data.CONTAINER_HEADS, data.FIELDISH, data.CREATE_VERBS, data.KEEP_VERBS]) list.forEach(addWord);
  vocab = words;
  return words;
}

/**
 * The typos people make, not any edit (a substitution turns real words into others: "shirt"/"shift"):
 * a doubled letter missed or added ("apointment", "groomming") or two neighbours swapped ("recieve").
 */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  const doubled = long[i] === long[i - 1] || long[i] === long[i + 1];
  return doubled && long.slice(i + 1) === short.slice(i);
}

/** The text with misspelt common words put right; everything else as written. */
export function fixTypos(text: string): string {
  const known = domainVocab();
  const own = new Set((text.toLowerCase().match(/[a-z]{7,}/g) ?? []));
  return text.replace(/[A-Za-z]{5,}/g, (word) => {
    const w = word.toLowerCase();
    if (known.has(w) || known.has(singular(w))) return word;
    const candidates = new Set<string>();
    for (const v of known) if (oneEditApart(w, v)) candidates.add(v);
    // A word written right elsewhere in the description; not an ending changed ("painted"/"painter").
    for (const v of own) if (known.has(v) && oneEditApart(w, v) && w.slice(0, -2) !== v.slice(0, -2)) candidates.add(v);
    if (candidates.size !== 1) return word;
    const fixed = [...candidates][0]!;
    return word[0] === word[0]!.toUpperCase() ? fixed[0]!.toUpperCase() + fixed.slice(1) : fixed;
  });
}
