/** Sentence and token handling shared by the extractors. */

export interface Tok {
  /** Lower-case word, or a punctuation mark: "," ":" "(" ")". */
  w: string;
  raw: string;
}

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

export const DETERMINERS = set(`a an the my our your their his her its this that these those each every all any some no
  one two three few several many multiple more other another own new existing different various both`);
export const PREPOSITIONS = set(`with for in on at by from into to of about under within without per via over between
  through across like than as onto inside against`);
/** Words that show a phrase has turned into a clause, ending any noun or field list. */
export const CLAUSE_WORDS = set(`i me we us you they them it he she him can could should would will shall may might must
  is are was were be been am do does did so because where which that who whom whose when while if then but how what why
  don't doesn't can't won't i'd i'm we'd it's let's i've we've you've they've i'll we'll you'll they'll you're we're
  they're`);
/** Verbs that start a new clause inside a list ("…, and comment on them"). */
export const VERBS = set(`post comment share rate review add create edit delete remove view see browse search filter sort
  follow like save book reserve cancel upload invite assign mark track log set get receive send message chat vote export
  import buy order pay download print manage organize organise tag favorite subscribe join leave apply schedule plan record
  update check complete archive reply answer ask write read watch listen rsvp register sign publish approve reject close
  reopen escalate notify remind attach submit keep store list find discover sell rent collect monitor compare invite
  generate calculate show display allow let help enable make build see use need want visualise visualize enroll enrol
  join attend borrow lend adopt suggest vote return rent`);
/** Nouns too vague to be an entity. */
export const GENERIC_NOUNS = set(`thing things stuff everything anything something nothing lot lots bunch time times way ways
  day days week weeks month months year years life progress data info information detail details app apps application
  tool site website system platform page pages feature features design interface ui ux look layout theme mode support
  view views screen screens option options setting settings place people person everyone anyone someone friends family
  others other each home work track one ones kind kinds type types part parts sort sorts number
  numbers version versions account accounts login logins dashboard dashboards overview better easier history way
  money finances finance health fun idea ideas list email emails inventory streak streaks total totals balance summary
  count counts average averages stock library business shop store salon clinic gym school club studio agency farm
  bakery cafe`);

export function normalise(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\be-mail/gi, "email")
    .replace(/\bw\//gi, "with ")
    .replace(/&/g, " and ")
    .replace(/\s+\+\s+/g, " and ");
}

/** Sentences, with list bullets and numbering stripped; semicolons and line breaks end sentences too. */
/** "Recipes:" followed by bullet lines reads as "Recipes: title, ingredients, prep time". */
function joinBullets(text: string): string {
  const out: string[] = [];
  for (const line of text.split(/\n/)) {
    const bullet = /^\s*(?:[-*•]|\d+[.)])\s+(.*)$/.exec(line);
    const prev = out[out.length - 1];
    if (bullet && prev !== undefined && /:(?:\s|,)*$|:\s.*,\s[^.!?]*$|:\s[^.!?,]+$/.test(prev) && /:/.test(prev)) {
      out[out.length - 1] = `${prev.replace(/\s+$/, "")}${/:$/.test(prev.trim()) ? " " : ", "}${bullet[1]?.replace(/[.;]+$/, "") ?? ""}`;
    } else out.push(line);
  }
  return out.join("\n");
}

export function sentencesOf(text: string): string[] {
  return joinBullets(normalise(text))
    .split(/\n+|;|(?<=[.!?])\s+/)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").trim())
    .map((s) => s.replace(/[.!?]+$/, "").trim())
    .filter((s) => s.length > 0);
}

export function tokenize(sentence: string): Tok[] {
  const out: Tok[] = [];
  for (const m of sentence.matchAll(/[A-Za-z0-9]+(?:['\-/][A-Za-z0-9]+)*|[,:()]/g)) {
    const raw = m[0].replace(/'s$/i, "");
    out.push({ w: raw.toLowerCase(), raw });
  }
  return out;
}

export const isWord = (t: Tok | undefined): t is Tok => t !== undefined && /^[a-z0-9]/.test(t.w);

/**
 * Whether a run of words reads as the start of a clause rather than a noun phrase. Loosely (for
 * field names like "order number"), a leading verb only counts when followed by what a verb
 * takes: a determiner, preposition or plural object ("comment on them", "post recipes").
 */
export function looksLikeClause(words: string[], strict = true): boolean {
  const [first, second] = words;
  if (first === undefined || words.some((w) => CLAUSE_WORDS.has(w))) return true;
  if (!VERBS.has(first)) return !strict && second !== undefined && VERBS.has(second) && first.endsWith("s") && words.length === 2;
  if (strict || second === undefined) return strict;
  return DETERMINERS.has(second) || PREPOSITIONS.has(second) || (second.length > 3 && second.endsWith("s"));
}

export interface ListItem {
  /** Token indexes (into the sentence) of the item's words. */
  start: number;
  end: number;
  words: string[];
  raw: string[];
}

/**
 * Items of a comma/"and" list starting at `from`: "title, due date and a done flag". Stops at
 * closing punctuation, at a word in `stopAt`, or at an item that reads as a clause.
 * Returns the items and the index just after the list.
 */
export function readList(
  toks: Tok[],
  from: number,
  opts: { maxWords: number; stopAt: Set<string>; strict: boolean },
): { items: ListItem[]; next: number } {
  const items: ListItem[] = [];
  let i = from;
  let cur: number[] = [];
  const flush = (): boolean => {
    if (cur.length === 0) return true;
    const words = cur.map((k) => toks[k]?.w ?? "");
    const first = cur[0] ?? 0;
    const last = cur[cur.length - 1] ?? 0;
    cur = [];
    const when = /\b(?:date|day|time|when) (?:it|they|he|she) (?:was|were|got) |^whether /.test(words.join(" "));
    if (!when && looksLikeClause(words.filter((w) => !DETERMINERS.has(w)), opts.strict)) return false;
    items.push({ start: first, end: last, words, raw: words.map((_, k) => toks[first + k]?.raw ?? "") });
    return true;
  };
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (!t) break;
    if (t.w === ")" || t.w === ":" || t.w === "(" || opts.stopAt.has(t.w)) break;
    if (t.w === "," || t.w === "and" || t.w === "or" || t.w === "plus" || t.w === "etc") {
      if (!flush()) return { items, next: i };
      continue;
    }
    cur.push(i);
    const whenDone = ["it", "they", "he", "she"].includes(t.w) && ["date", "day", "time", "when"].includes(toks[i - 1]?.w ?? "");
    if (whenDone && ["was", "were", "got"].includes(toks[i + 1]?.w ?? "")) {
      // "the date it was last watered" is a field, not a clause.
      const end = toks[i + 2]?.w === "last" ? i + 3 : i + 2;
      for (let k = i + 1; k <= end && isWord(toks[k]); k++) cur.push(k);
      i = cur[cur.length - 1] ?? i;
      continue;
    }
    // "whether I've finished them" names a yes/no field.
    const whether = toks[cur[0] ?? i]?.w === "whether" && cur.length <= 5;
    if (!whether && (cur.length > opts.maxWords || CLAUSE_WORDS.has(t.w))) {
      // A long or clause-like run means the list has ended; drop the partial item.
      cur = [];
      return { items, next: i };
    }
  }
  flush();
  return { items, next: i };
}
