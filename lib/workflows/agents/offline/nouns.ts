/** Turning a noun phrase ("my house plants", "inventory of books") into an entity name. */
import { type LexEntry, lookupPhrase, lookupWord } from "./lexicon.ts";
import { pascal, singular } from "./inflect.ts";
import { CLAUSE_WORDS, DETERMINERS, GENERIC_NOUNS, PREPOSITIONS, VERBS } from "./text.ts";

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

/** "an inventory of books" is about books. */
const COLLECTIVE = set("inventory list lists collection catalog catalogue library set group bunch database record records log history lot lots kinds types variety archive");
/** Heads that need their modifier to mean anything: "shopping list", "workout session". */
const CONTAINERS = set("list log entry record plan schedule session sheet board slot request report card");
export const FLUFF = set(`simple small basic little nice new quick easy cool good great modern clean tiny web mobile
  daily weekly monthly yearly upcoming favorite favourite different various own local current past future
  important recent old shared private public main multiple many several all whole entire custom beautiful fancy
  lightweight minimal minimalist full`);
/** Nouns that name features, not data. */
export const FEATURE_NOUNS = set(`search searching filter filters filtering sort sorting reminder reminders notification
  notifications alert alerts calendar calendars chart charts graph graphs report reports statistic statistics stats
  analytics export exports import imports map maps sharing dark offline sync upload uploads login signup authentication
  auth password passwords checkout cart`);
/** People the user shares things with, not things the app stores. */
export const PEOPLE = set(`friends family others everyone people colleagues teammates coworkers followers me us them
  myself ourselves anyone someone`);

export function plausibleNoun(w: string): boolean {
  return (
    /^[a-z][a-z-]{2,}$/.test(w) &&
    !GENERIC_NOUNS.has(w) &&
    !GENERIC_NOUNS.has(singular(w)) &&
    !CLAUSE_WORDS.has(w) &&
    !DETERMINERS.has(w) &&
    !PREPOSITIONS.has(w) &&
    !VERBS.has(w) &&
    !FLUFF.has(w) &&
    !FEATURE_NOUNS.has(w) &&
    !PEOPLE.has(w) &&
    !w.endsWith("ly") &&
    !(w.length > 4 && /[^e]ed$/.test(w)) &&
    !w.endsWith("ing")
  );
}

export interface NounRef {
  name: string;
  lex: LexEntry | undefined;
  plural: boolean;
}

/** The entity a noun phrase names, or null when it does not read as a thing to store. */
export function resolveNoun(phrase: string[]): NounRef | null {
  let ws = phrase.filter((w) => !DETERMINERS.has(w));
  const ofIdx = ws.indexOf("of");
  if (ofIdx >= 0) {
    const before = ws.slice(0, ofIdx);
    const after = ws.slice(ofIdx + 1).filter((w) => !DETERMINERS.has(w));
    const beforeHead = before[before.length - 1];
    ws = beforeHead === undefined || COLLECTIVE.has(beforeHead) ? after : before;
  }
  const head = ws[ws.length - 1];
  if (head === undefined) return null;
  const mod = ws[ws.length - 2];
  const phraseHit = mod !== undefined ? lookupPhrase(mod, head) : undefined;
  if (phraseHit) return { name: phraseHit.entry.name, lex: phraseHit.entry, plural: phraseHit.plural };
  const hit = lookupWord(head);
  if (hit && !(hit.entry.pluralOnly && !hit.plural)) return { name: hit.entry.name, lex: hit.entry, plural: hit.plural };
  const sing = singular(head);
  if (CONTAINERS.has(sing)) {
    const mods = ws.slice(-3, -1).filter((w) => /^[a-z][a-z-]+$/.test(w) && !FLUFF.has(w) && !CLAUSE_WORDS.has(w) && !PREPOSITIONS.has(w));
    if (mods.length > 0) return { name: pascal([...mods, sing]), lex: undefined, plural: sing !== head };
  }
  if (!plausibleNoun(head)) return null;
  const name = pascal([sing]);
  return /^[A-Z][a-zA-Z0-9]{0,63}$/.test(name) ? { name, lex: undefined, plural: sing !== head } : null;
}
