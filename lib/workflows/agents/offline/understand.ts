/**
 * Reads a description into what the app keeps: entities (from noun phrases the tagger found),
 * the fields listed for them, how they relate, their statuses, who acts on them (roles) and
 * what they do. Works on tagged tokens (nlp.ts): parts of speech decide what is a thing, a
 * verb or a list; domain data (domain.ts) only names and completes what was found.
 */
import { UNITS } from "./domain-data.ts";
import { type Field, parseFieldPhrase, slug, toField } from "./fields.ts";
import { pascal, singular } from "./inflect.ts";
import { DOMAIN, type LexEntry, currencyOf, eventEntity, lookup, statusOf } from "./domain.ts";
import { type Sentence, type Tok, ends, isNoun, isPlural, isVerb, parse } from "./nlp.ts";

export interface Relation {
  from: string;
  to: string;
  /** Field name on `from`; named after `to` when absent. */
  field?: string;
  many?: boolean;
  required?: boolean;
}

export interface Action {
  actor: string | null;
  verbs: string[];
  object: string;
  /** "who scored in each match": a record of what happened, not something a user does in the app. */
  record?: boolean;
}

export interface Found {
  name: string;
  lex: LexEntry | undefined;
  /** Words the user wrote for it (singular), for labels. */
  words: string[];
  fields: Field[];
  /** Where it was first seen: sentence * 1000 + token. */
  pos: number;
  /** A plural mention, a list item, an object of a keeping verb: strong evidence it is data. */
  strong: boolean;
  /** People who act (subjects of verbs): become roles when there are several. */
  actor: boolean;
}

export interface Understanding {
  entities: Found[];
  relations: Relation[];
  actions: Action[];
  currency?: string;
}

/** "donated by": the doer's field name. */
const AGENT_NOUN: Record<string, string> = { donate: "donor", write: "author", create: "creator", submit: "submitter", own: "owner", host: "host", organize: "organizer", organise: "organiser", assign: "assignee", report: "reporter", request: "requester", lead: "leader", teach: "teacher", make: "maker", sell: "seller", buy: "buyer", send: "sender", review: "reviewer", approve: "approver", sponsor: "sponsor", cover: "sponsor" };
/** "who won": the doer's field name. */
const AGENT_OF: Record<string, string> = { win: "winner", host: "host", lead: "leader", organize: "organizer", organise: "organiser", teach: "teacher", run: "runner", cook: "cook", bring: "bringer", own: "owner", drive: "driver", present: "presenter", referee: "referee", sponsor: "sponsor" };
/** "I run a bakery", "we own a farm": verbs whose object is the user's setting. */
const SETTING_VERBS = new Set(["run", "own", "manage", "teach", "coach", "work", "organise", "organize", "have", "operate"]);
/** Verbs whose objects are details of the thing at hand ("note allergies", "mark it returned"). */
const DETAIL_VERBS = new Set(["note", "mark", "jot", "flag", "tick"]);
const REL = new Set(["who", "that", "which", "where", "when", "while", "so", "because", "if", "whose", "whom", "but", "how", "what", "whether"]);
const LIST_STARTS = new Set(["with", "having", "including", "containing", "incl"]);
const HAVE = new Set(["have", "has", "need", "needs", "store", "stores", "include", "includes", "contain", "contains", "get", "gets", "hold", "holds", "record", "records", "carry", "carries", "keep", "keeps", "track", "tracks", "show", "shows", "list", "lists"]);
const SKIP_ADVERBS = new Set(["also", "each", "all", "both", "always", "usually", "should", "can", "must", "will", "would", "may", "might", "need", "to", "just", "only", "then"]);
const PEOPLE_PRONOUNS = new Set(["i", "we", "you", "me", "us", "they", "everyone", "anyone", "someone", "people", "others"]);

const is = (t: Tok | undefined, tag: string): boolean => t !== undefined && t.tags.has(tag);
const isDet = (t: Tok | undefined): boolean => is(t, "Determiner") || (is(t, "Possessive") && is(t, "Pronoun")) || ["my", "our", "their", "your", "his", "her", "its", "each", "every", "all", "some", "any", "no", "many", "several", "multiple", "other", "another"].includes(t?.w ?? "");
const isMod = (t: Tok | undefined): boolean => is(t, "Adjective") || is(t, "Value") || is(t, "Gerund") && !ends(t) || (is(t, "Noun") && !is(t, "Pronoun"));

interface NP {
  start: number;
  /** Index of the head noun. */
  head: number;
  words: string[];
  toks: Tok[];
}

/** The noun phrase starting at i: determiners, modifiers, then nouns; null when no noun heads it. */
function nounPhrase(toks: Sentence, i: number): NP | null {
  let j = i;
  while (j < toks.length && isDet(toks[j]) && !ends(toks[j])) j++;
  const start = j;
  let head = -1;
  for (; j < toks.length && j < start + 5; j++) {
    const t = toks[j]!;
    if (is(t, "Pronoun") || REL.has(t.w) || is(t, "Preposition") || is(t, "Conjunction") || (j > start && /[(]/.test(t.pre))) break;
    if (isNoun(t)) head = j;
    // "power tools": a verb-looking modifier right before a plural noun.
    else if (isVerb(t) && j === start && !t.post && isPlural(toks[j + 1]) && !isVerb(toks[j + 1])) continue;
    else if (!isMod(t) && !(t.post === "-" || toks[j - 1]?.post === "-")) break;
    // "the kids' clubs": the possessor is a determiner of what follows.
    if (is(t, "Possessive") && !ends(t) && /s'$|s’$/.test(t.raw + (t.post.startsWith("'") ? "'" : "")) && (isNoun(toks[j + 1]) || is(toks[j + 1], "Adjective"))) {
      head = -1;
      continue;
    }
    if (ends(t) || is(t, "Possessive")) break;
    // "price paid": a participle right after the noun belongs to it.
    if (isNoun(t) && is(toks[j + 1], "PastTense") && !is(toks[j + 2], "Preposition") && (ends(toks[j + 1]) || ["and", "or"].includes(toks[j + 2]?.w ?? ""))) {
      return { start, head: j, words: [...toks.slice(start, j + 2).map((x) => x.w)], toks: toks.slice(start, j + 2) };
    }
  }
  if (head < 0) return null;
  return { start, head, words: toks.slice(start, head + 1).map((x) => x.w), toks: toks.slice(start, head + 1) };
}

/** The entity a noun phrase names, or null (generic words, fields, the app itself, people we only talk to). */
function entityOf(np: NP | null, opts: { allowPeople?: boolean } = {}): { name: string; lex: LexEntry | undefined; words: string[] } | null {
  if (!np) return null;
  const headTok = np.toks[np.head - np.start] ?? np.toks[np.toks.length - 1]!;
  const head = headTok.lemma;
  const nouns = np.toks.slice(0, np.head - np.start + 1).filter((t) => isNoun(t) || t.post === "-");
  const before = np.toks[np.head - np.start - 1];
  const mod = nouns[nouns.length - 2]?.lemma ?? (before && isVerb(before) ? before.w : undefined);
  const phrase = mod ? lookup(`${mod} ${head}`) : undefined;
  if (phrase) return { name: phrase.name, lex: phrase, words: [mod!, head] };
  // "book collection": the books; "game night": a night of its own kind.
  if (DOMAIN.collective.has(head) && mod && nouns.length >= 2 && !DOMAIN.generic.has(mod)) {
    const inner = lookup(mod);
    return { name: inner?.name ?? pascal([singular(mod)]), lex: inner, words: [mod] };
  }
  if (["night", "day", "evening", "weekend", "session", "week"].includes(head) && mod && nouns.length >= 2 && !DOMAIN.generic.has(mod)) {
    return { name: pascal([mod, head]), lex: undefined, words: [mod, head] };
  }
  if (DOMAIN.containers.has(head) && mod && !DOMAIN.generic.has(mod) && !lookup(mod)?.person) {
    return { name: pascal([mod, head]), lex: undefined, words: [mod, head] };
  }
  const lexHead = lookup(head);
  // People keep the user's word ("renters" stay Renter, with a tenant's usual fields).
  if (lexHead?.person && DOMAIN.personWords.has(head) && pascal([head]) !== lexHead.name) return { name: pascal([head]), lex: lexHead, words: [head] };
  const kind = DOMAIN.kinds.has(head) && !isPlural(headTok);
  if (DOMAIN.generic.has(head) || kind || DOMAIN.audience.has(head) || PEOPLE_PRONOUNS.has(head)) return null;
  if (!/^[a-z][a-z-]{1,}$/.test(head) || head.length < 3) return null;
  const lex = lookup(head);
  if (lex?.ownWord && pascal([head]) !== lex.name) return { name: pascal([head]), lex, words: [head] };
  if (lex) return { name: lex.name, lex, words: [head] };
  if (DOMAIN.fieldish.has(head) || UNITS[head] || DOMAIN.unitWords.has(head)) return null;
  if (DOMAIN.personWords.has(head) && !opts.allowPeople) return { name: pascal([head]), lex: undefined, words: [head] };
  return { name: pascal([singular(head)]), lex: undefined, words: [head] };
}

interface Item {
  toks: Tok[];
  /** Index just after the item. */
  end: number;
}

/**
 * Items of a "," / "and" / "or" list from i: "vintage, grape, region, price paid and drink-by year".
 * Stops at the end of a clause: a relative word, a finite verb or modal opening an item, ";" or ".".
 */
function readList(toks: Sentence, i: number, maxWords: number, fields = false): { items: Item[]; next: number } {
  const items: Item[] = [];
  let cur: Tok[] = [];
  let curStart = i;
  let j = i;
  let paren = false;
  let listParen = false;
  let bracketed = 0;
  const flush = (end: number) => {
    if (cur.length > 0) items.push({ toks: cur, end });
    cur = [];
    bracketed = 0;
  };
  for (; j < toks.length; j++) {
    const t = toks[j]!;
    const nextTok = toks[j + 1];
    const modifier = isVerb(t) && !t.post && !isVerb(nextTok) && (isPlural(nextTok) || (fields && isNoun(nextTok) && (ends(nextTok) || ["and", "or"].includes(toks[j + 2]?.w ?? ""))));
    // "amount, date, method": a lone word between commas is an item even when tagged as a verb.
    const lone = isVerb(t) && items.length > 0 && cur.length === 0 && (/[,)]/.test(t.post) || ["and", "or"].includes(toks[j + 1]?.w ?? "") && !isVerb(toks[j + 2]) || (j === toks.length - 1)) && !["comment", "share", "rate", "vote", "book", "review"].includes(t.w);
    if (!paren && cur.length === 0 && !modifier && !lone && (REL.has(t.w) || is(t, "Modal") || is(t, "Pronoun") && !["each", "all"].includes(t.w) || (isVerb(t) && !is(t, "Gerund") && !isNoun(t) && !is(t, "Adjective") && !is(t, "PastTense")))) break;
    // "published or draft": alternatives are one status field, not two.
    const choice = (x: Tok | undefined) => x !== undefined && (is(x, "Adjective") || is(x, "PastTense") || is(x, "Participle") || ["draft", "pending", "open", "done", "live"].includes(x.w) || (listParen && isNoun(x)));
    if (!paren && t.w === "or" && cur.length === 1 && choice(cur[0]) && choice(toks[j + 1])) {
      const kind = listParen && isNoun(cur[0]) ? "type" : "status";
      const values = [cur[0]!.w];
      let k = j + 1;
      while (choice(toks[k]) && values.length < 10) {
        values.push(toks[k]!.w);
        if (ends(toks[k]) || !["or", "and"].includes(toks[k + 1]?.w ?? "")) break;
        k += 2;
      }
      const vals = kind === "type" ? values.map((v) => singular(v)) : values;
      cur = [{ ...t, w: `${kind} (${vals.join(", ")})`, raw: t.raw, tags: new Set(["Noun"]), lemma: kind, post: (toks[k]?.post ?? "").replace(/[()]/g, ""), pre: "" }];
      if (listParen && (toks[k]?.post ?? "").includes(")")) {
        j = k + 1;
        break;
      }
      j = k;
      if (/[;.!?:]/.test(toks[k]?.post ?? "")) {
        j++;
        break;
      }
      if ((toks[k]?.post ?? "").includes(",")) flush(j + 1);
      continue;
    }
    if (!paren && (t.w === "and" || t.w === "or" || t.w === "plus" || t.w === "&")) {
      flush(j);
      continue;
    }
    // "books they read": a pronoun ends the item; "…, and others comment": a subject ends the list.
    if (!paren && cur.length > 0 && is(t, "Pronoun") && !["each", "all"].includes(t.w)) {
      flush(j);
      break;
    }
    if (!paren && cur.length === 0 && (DOMAIN.audience.has(singular(t.w)) || PEOPLE_PRONOUNS.has(t.w) || ["users", "people", "others"].includes(t.w)) && toks[j + 1] && !ends(t) && !["and", "or"].includes(toks[j + 1]!.w)) break;
    if (!paren && cur.length > 0 && !modifier && (is(t, "Modal") || (isVerb(t) && !is(t, "PastTense") && !isNoun(t)))) {
      // "…, managers approve": the last item is the subject of a new clause, not part of the list.
      cur = [];
      bracketed = 0;
      j = curStart;
      break;
    }
    // "…, and campaigns with a target": a new entity with its own fields ends this field list.
    if (fields && !paren && cur.length > 0 && LIST_STARTS.has(t.w) && items.length > 0) {
      cur = [];
      bracketed = 0;
      j = curStart;
      break;
    }
    if (!paren && cur.length > 0 && (REL.has(t.w) || t.w === "to" || (is(t, "Preposition") && !["of", "in", "by"].includes(t.w) && t.pre !== "("))) break;
    if (cur.length === 0) curStart = j;
    // "posts (title, slug, body)": brackets around the whole list end it; "status (open, closed)" holds values.
    if (items.length === 0 && cur.length === 0 && t.pre.includes("(")) listParen = true;
    cur.push(t);
    if (listParen && !paren && t.post.includes(")")) {
      j++;
      break;
    }
    if (t.post.includes("(") || (t.pre.includes("(") && !listParen)) paren = true;
    else if (t.post.includes(")")) paren = false;
    if (paren || t.post.includes(")")) bracketed++;
    if (!paren && cur.length - bracketed > maxWords) {
      cur = [];
      break;
    }
    if (!paren && /[;.!?:]/.test(t.post)) {
      j++;
      break;
    }
    if (!paren && t.post.includes(",")) flush(j + 1);
  }
  flush(j);
  return { items, next: j };
}

function itemText(toks: Tok[]): string {
  return toks.map((t) => `${t.pre.includes("(") ? "(" : ""}${t.w}${t.post.includes("(") ? " (" : t.post.includes(")") ? ")" : t.post.includes(",") && t.post.length ? "," : t.post === "-" ? "-" : ""}`).join(" ").replace(/ - /g, "-").replace(/-\s/g, "-");
}

export function understand(text: string): Understanding {
  const sentences = parse(text);
  const found = new Map<string, Found>();
  const relations: Relation[] = [];
  const actions: Action[] = [];
  let currency: string | undefined;
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(/[€$£¥₹]|\b[a-z]+\b/g)) {
    const c = currencyOf(m[0]);
    if (c && (m[0].length === 1 || /\b(?:in|eur|usd|gbp|euros?|dollars?|pounds? sterling|chf|sek|nok|dkk|cad|aud|inr|jpy|yen|rupees?)\b/.test(m[0]))) {
      currency ??= c;
    }
  }

  const add = (e: { name: string; lex: LexEntry | undefined; words: string[] }, pos: number, strong: boolean): Found => {
    const had = found.get(e.name);
    if (had) {
      had.strong ||= strong;
      had.pos = Math.min(had.pos, pos);
      return had;
    }
    const f: Found = { name: e.name, lex: e.lex, words: e.words, fields: [], pos, strong, actor: false };
    found.set(e.name, f);
    return f;
  };
  const addField = (owner: Found, raw: Tok[]): void => {
    const np = raw.length ? raw : [];
    if (np.length === 0) return;
    // "how many km": the unit is the field.
    const parsed = parseFieldPhrase(itemText(np));
    if (!parsed) return;
    if (owner.fields.some((f) => f.name === parsed.name)) return;
    owner.fields.push(toField(parsed));
  };

  sentences.forEach((toks, s) => {
    const P = (i: number) => s * 1000 + i;
    let lastEntity: Found | undefined;
    const used = new Set<number>();

    /** Fields of `owner` listed from i; list items that name entities become links instead. */
    const fieldList = (owner: Found, i: number): number => {
      const { items, next } = readList(toks, i, 5, true);
      for (const it of items) {
        it.toks.forEach((t) => used.add(toks.indexOf(t)));
        const ofAt = it.toks.findIndex((x) => x.w === "of");
        if (ofAt > 0 && DOMAIN.collective.has(it.toks[ofAt - 1]!.lemma)) {
          const inner = entityOf(nounPhrase(it.toks, ofAt + 1));
          if (inner) {
            const x = found.get(inner.name) ?? add(inner, P(i), true);
            if (x !== owner) relations.push({ from: x.name, to: owner.name });
            continue;
          }
        }
        const np = nounPhrase(it.toks, 0);
        const named = np && np.head === it.toks.length - 1 ? entityOf(np) : null;
        const pluralItem = np ? isPlural(it.toks[np.head]) : false;
        // "…, and the companies they belong to": a plural item with a clause of its own is a thing, not a detail.
        const clauseAfter = is(toks[it.end], "Pronoun") && isVerb(toks[it.end + 1]);
        if (named && pluralItem && clauseAfter && !DOMAIN.fieldish.has(it.toks[np!.head]!.lemma)) {
          const x = found.get(named.name) ?? add(named, P(i), true);
          const belongs = ["belong", "belongs"].includes(toks[it.end + 1]!.w);
          if (x !== owner) relations.push(belongs ? { from: owner.name, to: x.name } : { from: x.name, to: owner.name });
          continue;
        }
        const recordLike = named && pluralItem && (DOMAIN.containers.has(it.toks[np!.head]!.lemma) || (named.lex && !named.lex.secondary));
        const other = named ? (found.get(named.name) ?? (recordLike ? add(named, P(i), true) : undefined)) : undefined;
        if (other && other !== owner) {
          // "projects with tasks": tasks belong to a project; "a match with a referee": one referee.
          if (isPlural(it.toks[np!.head])) relations.push({ from: other.name, to: owner.name });
          else relations.push({ from: owner.name, to: other.name, field: np!.toks.filter((x) => !isDet(x)).map((x) => x.w).join(" ") });
          continue;
        }
        addField(owner, it.toks);
      }
      return next;
    };

    /** Status alternatives after i ("paid or unpaid", "open, in progress or closed"): an enum. */
    const statusList = (owner: Found, i: number): number => {
      const values: string[] = [];
      let j = i;
      for (; j < toks.length; j++) {
        const t = toks[j]!;
        if (["or", "and", ","].includes(t.w)) continue;
        if (!(is(t, "Adjective") || is(t, "PastTense") || is(t, "Participle") || t.w === "pending" || t.w === "in" || t.w === "progress")) break;
        if (t.w === "in" && toks[j + 1]?.w === "progress") {
          values.push("in-progress");
          j++;
        } else values.push(slug(t.w));
        if (/[;.!?]/.test(t.post)) break;
      }
      if (values.length >= 2 && toks.slice(i, j + 1).some((t) => t.w === "or")) {
        if (!owner.fields.some((f) => f.name === "status")) owner.fields.push({ name: "status", type: "enum", required: true, values: [...new Set(values)] });
        return j;
      }
      return i;
    };

    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      const prev = toks[i - 1];

      // "for each event I want the date, the venue and a list of talks": fields of each event.
      if (t.w === "for" && ["each", "every"].includes(toks[i + 1]?.w ?? "")) {
        const np = nounPhrase(toks, i + 2);
        const e = entityOf(np);
        let k = np ? np.head + 1 : -1;
        while (k > 0 && k < toks.length && k < (np?.head ?? 0) + 5 && !["want", "need", "track", "record", "store", "keep", "note", "log", "see", "list", "have", "like"].includes(toks[k]!.w)) k++;
        if (np && e && k > 0 && k < toks.length && !/[.;]/.test(toks[np.head]!.post)) {
          const owner = add(e, P(np.head), true);
          let from = k + 1;
          if (toks[from]?.w === "to" && isVerb(toks[from + 1])) from += 2;
          i = fieldList(owner, from) - 1;
          lastEntity = owner;
          continue;
        }
      }
      // "which sponsor covered which event": the event has its sponsor.
      const prepGap = is(toks[i + 3], "Preposition") || toks[i + 3]?.w === "to" ? 1 : 0;
      if (t.w === "which" && isNoun(toks[i + 1]) && isVerb(toks[i + 2]) && toks[i + 3 + prepGap]?.w === "which" && isNoun(toks[i + 4 + prepGap])) {
        const a = entityOf(nounPhrase(toks, i + 1));
        const b = entityOf(nounPhrase(toks, i + 4 + prepGap));
        if (a && b && a.name !== b.name) {
          const fa = add(a, P(i + 1), true);
          const fb = add(b, P(i + 4 + prepGap), true);
          relations.push({ from: fb.name, to: fa.name });
          i += 4 + prepGap;
          continue;
        }
      }
      // "who scored in each match": a record of who did what in which.
      if (t.w === "who" && isVerb(toks[i + 1])) {
        const verb = toks[i + 1]!.lemma;
        const ev = eventEntity(verb);
        let k = i + 2;
        while (k < toks.length && (is(toks[k], "Preposition") || isDet(toks[k]))) k++;
        const where = entityOf(nounPhrase(toks, k));
        const doer = AGENT_OF[verb];
        if (!ev && doer && where) {
          // "who won each game night": the game night has a winner.
          const target = add(where, P(k), true);
          relations.push({ from: target.name, to: "?person", field: doer });
          i = k;
          continue;
        }
        if (ev && !where && lastEntity) {
          // "who borrowed what and when": a loan of the thing at hand, by a person.
          const event = add({ name: ev, lex: lookup(ev.toLowerCase()), words: [ev.toLowerCase()] }, P(i), true);
          relations.push({ from: event.name, to: lastEntity.name, required: true });
          actions.push({ actor: "?person", verbs: [verb], object: event.name, record: true });
          i = k;
          continue;
        }
        if (ev && where) {
          const target = add(where, P(k), true);
          const event = add({ name: ev, lex: undefined, words: [ev.toLowerCase()] }, P(i), true);
          relations.push({ from: event.name, to: target.name, required: true });
          actions.push({ actor: "?person", verbs: [verb], object: event.name, record: true });
          i = k;
          continue;
        }
      }

      if (!isNoun(t) || used.has(i)) {
        // A verb and its objects: "track my running shoes", "renters book dates", "approve or reject them".
        if (isVerb(t) && !is(t, "PastTense") || isVerb(t) && is(t, "PastTense") && REL.has(prev?.w ?? "")) {
          const verbs = [t.lemma];
          let k = i + 1;
          while ((toks[k]?.w === "or" || toks[k]?.w === "and" || toks[k]?.w === ",") && isVerb(toks[k + 1])) {
            verbs.push(toks[k + 1]!.lemma);
            k += 2;
          }
          let particle = "";
          if (["out", "up", "on", "off", "for", "to", "in", "into", "about"].includes(toks[k]?.w ?? "") && !isNoun(toks[k])) particle = toks[k++]!.w;
          if (particle && !["out", "up", "off"].includes(particle)) verbs[verbs.length - 1] = `${verbs[verbs.length - 1]} ${particle}`;
          if (toks[k]?.w === "track" && toks[k + 1]?.w === "of") k += 2;
          // The subject: the noun phrase right before the verb (skipping modals).
          let b = i - 1;
          while (b >= 0 && (is(toks[b], "Modal") || is(toks[b], "Auxiliary") || SKIP_ADVERBS.has(toks[b]!.w) || is(toks[b], "Adverb"))) b--;
          const subjTok = toks[b];
          const subject = subjTok && isNoun(subjTok) && !ends(subjTok) ? found.get(entityOf({ start: b, head: b, words: [subjTok.w], toks: [subjTok] })?.name ?? "") : undefined;
          // "attendees register with a ticket type": details of the subject, not a record.
          if (toks[k]?.w === "with" && (subject || lastEntity)) {
            // "books they read with a title…": no subject noun, so the details are of the books.
            i = fieldList(subject ?? lastEntity!, k + 1) - 1;
            if (subject) subject.actor = true;
            continue;
          }
          const pronounObject = ["them", "it", "these", "those"].includes(toks[k]?.w ?? "");
          const statuses = verbs.map(statusOf).filter((x): x is string => Boolean(x));
          if (pronounObject && lastEntity) {
            if (statuses.length >= 1 && verbs.length >= 2) setStatus(lastEntity, statuses);
            // "others comment on them": comments about the thing at hand.
            const evName = eventEntity(t.lemma);
            if (evName && evName !== lastEntity.name) {
              const event = found.get(evName) ?? add({ name: evName, lex: lookup(evName.toLowerCase()), words: [evName.toLowerCase()] }, P(i), true);
              relations.push({ from: event.name, to: lastEntity.name, required: true });
              actions.push({ actor: subject?.name ?? null, verbs, object: event.name });
              i = k;
              continue;
            }
            actions.push({ actor: subject?.name ?? null, verbs, object: lastEntity.name });
            if (subject) subject.actor = true;
            i = k;
            continue;
          }
          // "employees request vacation days" when there are leave requests: the request is the record.
          const named = [...found.values()].find((f) => f.name !== subject?.name && (f.words[f.words.length - 1] === t.lemma || singular(f.words[f.words.length - 1] ?? "") === t.lemma));
          let ev = named?.name ?? eventEntity(t.lemma);
          // "people RSVP (going, not going, waitlist)": the record's status choices.
          if (ev && toks[k]?.pre.includes("(")) {
            const values: string[] = [];
            let cur = "";
            let m = k;
            for (; m < toks.length && m < k + 20; m++) {
              cur = cur ? `${cur} ${toks[m]!.w}` : toks[m]!.w;
              if (/[,)]/.test(toks[m]!.post) || toks[m + 1]?.w === "or") {
                values.push(slug(cur));
                cur = "";
                if (toks[m + 1]?.w === "or") m++;
              }
              if (toks[m]?.post.includes(")")) break;
            }
            const event = found.get(ev) ?? add({ name: ev, lex: lookup(ev.toLowerCase()), words: [ev.toLowerCase()] }, P(i), true);
            if (values.length >= 2) {
              event.fields = event.fields.filter((f) => f.name !== "status");
              event.fields.push({ name: "status", type: "enum", required: true, values: [...new Set(values)] });
            }
            if (subject) relations.push({ from: event.name, to: subject.name, field: subject.words.join(" "), required: true });
            if (lastEntity && lastEntity !== event) relations.push({ from: event.name, to: lastEntity.name, required: true });
            actions.push({ actor: subject?.name ?? null, verbs, object: event.name });
            i = m;
            continue;
          }
          const { items, next } = readList(toks, k, 4);
          const objects: Found[] = [];
          let fieldObjects: Tok[][] = [];
          for (const it of items) {
            const np = nounPhrase(it.toks, 0);
            if (!np) continue;
            const ofAt = it.toks.findIndex((x) => x.w === "of");
            // "approve each request" when there are leave requests: that entity.
            const byHead = [...found.values()].find((f) => f.words.length > 1 && f.words[f.words.length - 1] === it.toks[np.head]!.lemma);
            const name = byHead ? { name: byHead.name, lex: byHead.lex, words: byHead.words } : entityOf(np);
            // "an inventory of books": the books.
            if (ofAt > 0 && DOMAIN.collective.has(it.toks[ofAt - 1]!.lemma)) {
              const inner = entityOf(nounPhrase(it.toks, ofAt + 1));
              if (inner) objects.push(add(inner, P(k), true));
              continue;
            }
            // "I run a bakery", "i teach piano": the user's setting.
            if (SETTING_VERBS.has(t.lemma) && ["i", "we"].includes(prev?.w ?? "") && !isPlural(it.toks[np.head]) && !byHead) {
              it.toks.forEach((x) => used.add(toks.indexOf(x)));
              continue;
            }
            // "note allergies", "mark its condition": details of the thing at hand, not things of their own.
            if (DETAIL_VERBS.has(t.lemma) && lastEntity && !(name && found.has(name.name))) {
              fieldObjects.push(it.toks);
              continue;
            }
            const strongObj = isPlural(it.toks[np.head]) || Boolean(name?.lex) || DOMAIN.keepVerbs.has(t.lemma) || Boolean(byHead);
            if (name && strongObj && !(DOMAIN.fieldish.has(it.toks[np.head]!.lemma) && !name.lex)) {
              const f = add(name, P(k + np.head), isPlural(it.toks[np.head]) || DOMAIN.keepVerbs.has(t.lemma));
              objects.push(f);
              it.toks.forEach((x) => used.add(toks.indexOf(x)));
            } else fieldObjects.push(it.toks);
          }
          // "pay a deposit": a detail of the record at hand, not a record of its own.
          if (ev && !named && objects.length === 0 && lastEntity && fieldObjects.length > 0 && !fieldObjects.some((ft) => ft.some((x) => x.lemma === "date")) && !found.has(ev)) ev = undefined;
          if (ev && (objects.length > 0 || fieldObjects.length > 0 || subject)) {
            // "renters book dates": a Booking, of the thing the app is about, by the renter, with the dates.
            const event = found.get(ev) ?? add({ name: ev, lex: lookup(ev.toLowerCase()), words: [ev.toLowerCase()] }, P(i), true);
            for (const o of objects) if (o.name !== event.name) relations.push({ from: event.name, to: o.name, required: true });
            for (const ft of fieldObjects) {
              if (ft.some((x) => x.lemma === "date")) {
                for (const n of ["startDate", "endDate"]) if (!event.fields.some((f) => f.name === n)) event.fields.push({ name: n, type: "date", required: true });
              } else addField(event, ft);
            }
            fieldObjects = [];
            if (subject) relations.push({ from: event.name, to: subject.name, field: subject.words.join(" "), required: true });
            actions.push({ actor: subject?.name ?? null, verbs, object: event.name });
            lastEntity = event;
          } else {
            // "guests appear on episodes": people and things linked both ways.
            if (subject && particle && !DOMAIN.createVerbs.has(t.lemma) && !DOMAIN.keepVerbs.has(t.lemma)) {
              for (const o of objects) if (o.name !== subject.name) relations.push({ from: o.name, to: subject.name, field: subject.words.join(" ").replace(/(?<!s)$/, "s"), many: true });
            }
            for (const o of objects) actions.push({ actor: subject?.name ?? null, verbs, object: o.name });
            if (subject && DOMAIN.createVerbs.has(t.lemma)) for (const o of objects) if (o.name !== subject.name) relations.push({ from: o.name, to: subject.name, field: subject.words.join(" ") });
            // "pay a deposit": a field of what the sentence is about.
            if (lastEntity && objects.length === 0) for (const ft of fieldObjects) if (isNoun(ft[ft.length - 1])) addField(lastEntity, ft);
          }
          if (subject) subject.actor = true;
          if (statuses.length >= 1 && verbs.length >= 2) for (const o of objects) setStatus(o, statuses);
          if (objects.length > 0) lastEntity = objects[objects.length - 1];
          // A list after an object continues with its fields ("log rides with distance and duration").
          const after = toks[next];
          if (after && LIST_STARTS.has(after.w) && objects.length > 0) i = fieldList(objects[objects.length - 1]!, next + 1) - 1;
          else i = Math.max(i, next - 1);
        }
        // "how many km each pair has done": a quantity of what the sentence is about.
        if (t.w === "how" && ["many", "much"].includes(toks[i + 1]?.w ?? "") && toks[i + 2] && !is(toks[i + 3], "Pronoun")) {
          const q = toks[i + 2]!;
          const owner = lastEntity;
          if (owner && !used.has(i + 2)) {
            const parsed = parseFieldPhrase(DOMAIN.fieldish.has(q.lemma) || /^(?:km|mile|kg|hour|minute|day|lb|l)$/.test(q.lemma) ? q.w : `number of ${q.w}`);
            if (parsed && !owner.fields.some((f) => f.name === parsed.name)) owner.fields.push(toField(parsed));
            used.add(i + 2);
          }
          let k = i + 3;
          while (k < toks.length && !ends(toks[k - 1]) && (isDet(toks[k]) || isNoun(toks[k]) || is(toks[k], "Verb") || is(toks[k], "Pronoun") || is(toks[k], "Adverb"))) used.add(k++);
          i = k - 1;
        }
        continue;
      }

      const np = nounPhrase(toks, i);
      if (!np) continue;
      const headTok = toks[np.head]!;
      const after = toks[np.head + 1];
      const each = ["each", "every"].includes(prev?.w ?? "") || ["each", "every"].includes(toks[np.start - 1]?.w ?? "");
      const e = entityOf(np);
      const j = np.head + 1;

      // "X's Y": Y of X (a link when Y is a thing, a field when it is a detail).
      if (is(headTok, "Possessive") && e) {
        const owner = found.get(e.name) ?? add(e, P(i), Boolean(e.lex) || isPlural(headTok));
        const inner = nounPhrase(toks, j);
        const innerE = entityOf(inner);
        if (owner && inner) {
          const innerFound = innerE ? found.get(innerE.name) : undefined;
          if (innerFound || (innerE?.lex && !DOMAIN.fieldish.has(toks[inner.head]!.lemma))) {
            const x = innerFound ?? add(innerE!, P(j), true);
            relations.push({ from: x.name, to: owner.name });
          } else addField(owner, toks.slice(inner.start, inner.head + 1));
          i = inner.head;
          lastEntity = owner;
          continue;
        }
      }
      if (!e) {
        i = np.head;
        continue;
      }
      const plural = isPlural(headTok);
      const sentenceStart = np.start === 0 || (np.start === 1 && isDet(toks[0]));
      const afterColon = toks[np.start - 1] && /[:]/.test(toks[np.start - 1]!.post);
      const listItem = prev && (/[,:]/.test(prev.post) || ["and", "or"].includes(prev.w)) && !is(toks[i - 2], "Preposition");
      const kindBefore = toks.slice(0, np.start).some((x) => DOMAIN.kinds.has(x.lemma) && x.post.includes(":"));
      let k = j;
      // "players have a shirt number", "each match has a date", "bottles with vintage, grape…".
      let fieldStart = -1;
      // "Recipes: title, …" lists fields; "Animal shelter: animals, …" (a singular topic) lists what it keeps.
      const colonFields = headTok.post.includes(":") && (plural || Boolean(found.get(e.name))) && !(isPlural(toks[j]) && !DOMAIN.fieldish.has(toks[j]!.lemma) && ends(toks[j]));
      if (headTok.post.includes(":") && !colonFields) {
        i = np.head;
        continue;
      }
      const afterPrep = is(toks[np.start - 1], "Preposition") || (isDet(toks[np.start - 1]) && is(toks[np.start - 2], "Preposition"));
      if (after && (LIST_STARTS.has(after.w) || after.post === "(" || after.pre.includes("(") || colonFields)) fieldStart = LIST_STARTS.has(after.w) ? j + 1 : j;
      else if (headTok.post.includes("(")) fieldStart = j;
      else if (after?.w === "," && LIST_STARTS.has(toks[j + 1]?.w ?? "")) fieldStart = j + 2;
      else if (["each", "every", "all"].includes(after?.w ?? "") && LIST_STARTS.has(toks[j + 1]?.w ?? "")) fieldStart = j + 2;
      else {
        while (k < toks.length && (SKIP_ADVERBS.has(toks[k]!.w) || is(toks[k], "Modal") || is(toks[k], "Adverb") || ["that", "which"].includes(toks[k]!.w))) k++;
        if (HAVE.has(toks[k]?.w ?? "") && k < j + 4 && !(["track", "list", "record", "keep", "show"].includes(toks[k]!.w) && toks[k - 1]?.w !== "each")) fieldStart = k + 1;
      }
      const person = DOMAIN.personWords.has(headTok.lemma) || Boolean(e.lex?.person);
      const acting = isVerb(toks[k]) && !HAVE.has(toks[k]!.w) || is(toks[k], "Modal");
      const ownedPlural = plural && ["my", "our", "their", "your"].includes(toks[np.start - 1]?.w ?? "");
      const strong = plural && (sentenceStart || afterColon || listItem || fieldStart >= 0 || kindBefore || each || ownedPlural) || fieldStart >= 0;
      const known = found.get(e.name);
      // "in our street", "in the house": where things are, not what the app keeps.
      if (!known && afterPrep && !plural && fieldStart < 0) {
        i = np.head;
        continue;
      }
      // "posts per platform (instagram, tiktok, linkedin)": values in brackets, not things of their own.
      if (!known && headTok.post.startsWith(")") && toks.slice(0, np.start).some((x) => x.pre.includes("(") || x.post.endsWith("("))) {
        i = fieldStart >= 0 && lastEntity ? fieldList(lastEntity, fieldStart) - 1 : np.head;
        continue;
      }
      // "Our food bank needs…", "I run a bakery", "i teach piano": the user's own setting, not what the app keeps.
      const vIdx = isDet(toks[np.start - 1]) ? np.start - 2 : np.start - 1;
      const ownSetting = np.start <= 1 && ["our", "my"].includes(toks[0]?.w ?? "") && ["need", "needs", "want", "wants"].includes(after?.w ?? "");
      const runSetting = fieldStart < 0 && ["i", "we"].includes(toks[vIdx - 1]?.w ?? "") && SETTING_VERBS.has(toks[vIdx]?.lemma ?? "");
      if (!known && !plural && !person && (ownSetting || runSetting)) {
        i = ownSetting ? j : np.head;
        continue;
      }
      // "check-ins at the door with a timestamp": the details are of the thing before the place.
      if (!known && afterPrep && !plural && !person && lastEntity && ["at", "in", "on", "from", "near", "by"].includes((isDet(toks[np.start - 1]) ? toks[np.start - 2] : toks[np.start - 1])?.w ?? "")) {
        i = fieldList(lastEntity, fieldStart) - 1;
        continue;
      }
      if (!known && !strong && !(e.lex && !e.lex.secondary && (plural || isDet(toks[np.start - 1]))) && !(person && plural && acting)) {
        i = np.head;
        continue;
      }
      // "users can comment": people using the app, not data (accounts come from sign-in words).
      if ((DOMAIN.audience.has(headTok.lemma) || (e.name === "User" && !known)) && fieldStart < 0) {
        i = np.head;
        continue;
      }
      const f = add(e, P(np.head), strong || Boolean(known?.strong));
      for (let x = np.start; x <= np.head; x++) used.add(x);
      // "students, their lessons": the lessons are the students'.
      if (lastEntity && lastEntity !== f && ["their", "its"].includes(toks[np.start - 1]?.w ?? "") && !relations.some((r) => r.from === f.name && r.to === lastEntity!.name)) relations.push({ from: f.name, to: lastEntity.name });
      if (person && acting) f.actor = true;
      else lastEntity = f;
      // "X made of Y", "X consisting of Y": Y belongs to X.
      if (["made", "consist", "consisting", "composed", "built"].includes(after?.w ?? "") && toks[j + 1]?.w === "of" || ["contain", "contains"].includes(after?.w ?? "") && isPlural(toks[nounPhrase(toks, j + 1)?.head ?? -1])) {
        const inner = nounPhrase(toks, after?.w.startsWith("contain") ? j + 1 : j + 2);
        const innerE = entityOf(inner);
        if (inner && innerE) {
          const x = add(innerE, P(inner.head), true);
          relations.push({ from: x.name, to: f.name, required: true });
          for (let y = inner.start; y <= inner.head; y++) used.add(y);
          lastEntity = x;
          const more = toks[inner.head + 1];
          i = more && LIST_STARTS.has(more.w) ? fieldList(x, inner.head + 2) - 1 : inner.head;
          continue;
        }
      }
      // "bookings by hirers", "books donated by neighbours": who made it.
      const byAt = after?.w === "by" ? j : is(after, "PastTense") && toks[j + 1]?.w === "by" && !ends(after) ? j + 1 : -1;
      if (byAt >= 0) {
        const inner = nounPhrase(toks, byAt + 1);
        const innerE = entityOf(inner);
        const person = inner && innerE && (isPlural(toks[inner.head]) || innerE.lex?.person || DOMAIN.personWords.has(toks[inner.head]!.lemma));
        if (inner && innerE && person && !["category", "date", "month", "type", "status"].includes(toks[inner.head]!.lemma)) {
          const target = found.get(innerE.name) ?? add(innerE, P(inner.head), true);
          const verbField = byAt > j ? AGENT_NOUN[toks[j]!.lemma] : undefined;
          if (target !== f) relations.push({ from: f.name, to: target.name, ...(verbField ? { field: verbField } : {}) });
          for (let y = inner.start; y <= inner.head; y++) used.add(y);
          i = inner.head;
          continue;
        }
      }
      // "guests per episode", "a budget for each category", "photos of plants", "tasks in projects".
      if (after && ["per", "of", "for", "in", "into", "on", "to", "under", "within"].includes(after.w) || (after && ["belong", "belongs"].includes(after.w) && toks[j + 1]?.w === "to")) {
        const off = after.w.startsWith("belong") ? 2 : 1;
        const forEach = ["each", "every"].includes(toks[j + off]?.w ?? "");
        const inner = nounPhrase(toks, j + off);
        const innerE = entityOf(inner);
        const knownBefore = innerE ? found.has(innerE.name) : false;
        const innerPlural = inner ? isPlural(toks[inner.head]) : false;
        const target = innerE ? (found.get(innerE.name) ?? ((innerE.lex && !innerE.lex.person) || forEach || after.w === "per" || (after.w === "of" && plural && innerPlural) ? add(innerE, P(inner!.head), true) : undefined)) : undefined;
        if (inner && target && target !== f && !DOMAIN.collective.has(headTok.lemma) && !(after.w === "for" && !forEach && target.lex?.person && !knownBefore)) {
          // "galleries of photos", "playlists of songs": the photos belong to a gallery.
          if (after.w === "of" && (f.lex?.grouping || (plural && innerPlural))) relations.push({ from: target.name, to: f.name });
          else relations.push({ from: f.name, to: target.name, required: after.w !== "of" });
          for (let y = inner.start; y <= inner.head; y++) used.add(y);
          i = inner.head;
          const more = toks[inner.head + 1];
          if (more && LIST_STARTS.has(more.w)) i = fieldList(f, inner.head + 2) - 1;
          continue;
        }
      }
      // "invoices that can be paid or unpaid", "tasks are open or done".
      let st = j;
      while (st < toks.length && ["that", "which", "can", "could", "may", "be", "are", "is", "either", "get", "gets", "should", "must", "will", "marked", "as"].includes(toks[st]!.w)) st++;
      if (st > j) {
        const end = statusList(f, st);
        if (end > st) {
          i = end;
          continue;
        }
      }
      if (fieldStart >= 0) {
        i = fieldList(f, fieldStart) - 1;
        continue;
      }
      i = np.head;
    }
  });

  function setStatus(owner: Found, statuses: string[]): void {
    const values = ["pending", ...statuses.filter((v) => v !== "pending")];
    const existing = owner.fields.find((f) => f.name === "status");
    if (existing) Object.assign(existing, { type: "enum", values: [...new Set(values)] });
    else owner.fields.push({ name: "status", type: "enum", required: true, values: [...new Set(values)] });
  }

  const entities = [...found.values()].sort((a, b) => a.pos - b.pos);
  return { entities, relations, actions, ...(currency ? { currency } : {}) };
}

/** The entity a short phrase names ("the comments", "power tools"), or null. */
export function entityFromPhrase(text: string): { name: string; lex: LexEntry | undefined; plural: boolean } | null {
  const toks = parse(text)[0];
  if (!toks) return null;
  let np: NP | null = null;
  for (let i = 0; i < toks.length && !np; i++) np = nounPhrase(toks, i);
  if (!np) {
    // A bare word the tagger did not read as a noun ("add comments"): take it as one.
    const last = toks[toks.length - 1]!;
    if (!/^[a-z][a-z-]{2,}$/.test(last.w)) return null;
    np = { start: toks.length - 1, head: toks.length - 1, words: [last.w], toks: [{ ...last, tags: new Set(["Noun"]), lemma: singular(last.w) }] };
    np.start = 0;
    np.head = 0;
  }
  const e = entityOf(np);
  return e ? { name: e.name, lex: e.lex, plural: isPlural(np.toks[np.head - np.start]) } : null;
}
