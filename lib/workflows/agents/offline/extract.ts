/**
 * Finds the entities in a description, the fields the user listed for them and how they
 * relate. Several passes over each sentence, most specific first; a token used by one pass
 * ("ingredients" inside a field list) is not reinterpreted by a later one.
 */
import { type LexEntry, VERB_ENTITY, entryByName, lookupWord } from "./lexicon.ts";
import { type NounRef, PEOPLE, resolveNoun } from "./nouns.ts";
import { DETERMINERS, PREPOSITIONS, type Tok, isWord, readList, sentencesOf, tokenize, type ListItem } from "./text.ts";

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

const ENTITY_VERBS = set(`track manage store list keep log record organize organise catalog catalogue collect save monitor
  schedule sell rent share browse discover find follow plan post publish upload create add write submit handle maintain
  assign hire see view`);
const AFTER_VERB_SKIP = new Set([...DETERMINERS, "track", "of", "up", "record"]);
const LIST_STOP = new Set([...PREPOSITIONS, "so", "where", "which", "that", "who", "when", "too", "as", "while"]);
LIST_STOP.delete("of");
const FIELD_STOP = set("with having so where which that who when because but while");
const FIELDISH = set(`name names title titles date dates time price prices amount cost status location address description
  notes count quantity rating ratings score duration size color colour email phone url value weight height age deadline
  priority total balance frequency genre`);
export const KIND_WORDS = set(`app application tool platform site website webapp system tracker manager planner dashboard
  crm portal marketplace shop store blog journal diary organizer organiser catalog catalogue directory helpdesk forum`);
const HAVE = set("have has need needs contain contains include includes store stores get gets record records hold holds list show");
const MODALS = set("should must will can would also need needs to");
const VERB_PREV = set(`can could should will would to and or also may must i we they you users people customers members
  readers visitors guests attendees students clients buyers shoppers patients employees players fans listeners viewers
  subscribers followers admins parents kids`);
const BOOKING_FILLER = set("ticket tickets seat seats spot spots place places space spaces");
const REL_PREPS = set("in into on for of per within under inside by");
const PERSON_REF = set(`author owner creator assignee organizer organiser host sender recipient reporter requester customer
  client user member instructor teacher coach manager seller buyer landlord tenant driver agent`);
const QUANTIFIERS = set("many multiple several lots list");

export interface Relation {
  from: string;
  to: string;
  required: boolean;
}

export interface Extraction {
  /** Entity names, in order of first mention. */
  entities: string[];
  lex: Map<string, LexEntry | undefined>;
  /** Fields the user listed, still as phrases; resolved once all entities are known. */
  listed: Map<string, string[][]>;
  relations: Relation[];
  /** Interaction entity → what it is about ("comment on posts"). */
  targets: Map<string, string>;
}

export function extract(text: string): Extraction {
  const sentences = sentencesOf(text).map(tokenize);
  const order = new Map<string, number>();
  const lex = new Map<string, LexEntry | undefined>();
  const at = new Map<string, string>();
  const used = new Set<string>();
  const listed = new Map<string, string[][]>();
  const relations: Relation[] = [];
  const targets = new Map<string, string>();
  const key = (s: number, i: number): string => `${s}:${i}`;

  const add = (ref: NounRef, s: number, i: number): string => {
    const pos = s * 1000 + i;
    if (!order.has(ref.name) || (order.get(ref.name) ?? 0) > pos) order.set(ref.name, pos);
    if (!lex.has(ref.name) || ref.lex) lex.set(ref.name, ref.lex);
    at.set(key(s, i), ref.name);
    return ref.name;
  };
  const consume = (s: number, from: number, to: number): void => {
    for (let k = from; k <= to; k++) used.add(key(s, k));
  };
  const byName = (name: string): NounRef => ({ name, lex: entryByName(name), plural: false });
  const entityAt = (s: number, toks: Tok[], i: number): string | undefined => {
    const t = toks[i];
    if (!isWord(t)) return undefined;
    const known = at.get(key(s, i));
    if (known) return known;
    const ref = resolveNoun([t.w]);
    return ref && order.has(ref.name) ? ref.name : undefined;
  };
  const addListed = (entity: string, items: ListItem[]): void => {
    const list = listed.get(entity) ?? [];
    list.push(...items.map((it) => it.words));
    listed.set(entity, list);
  };

  // Pass 1: objects of verbs like track/manage/store ("keep track of my house plants").
  sentences.forEach((toks, s) => {
    toks.forEach((t, i) => {
      if (!ENTITY_VERBS.has(t.w) || DETERMINERS.has(toks[i - 1]?.w ?? "")) return;
      let j = i + 1;
      while (AFTER_VERB_SKIP.has(toks[j]?.w ?? "") && j < i + 5) j++;
      const { items, next } = readList(toks, j, { maxWords: 4, stopAt: LIST_STOP, strict: true });
      const firstHead = items[0]?.words.filter((w) => !DETERMINERS.has(w))[0];
      if (firstHead !== undefined && FIELDISH.has(firstHead)) {
        // "track the name and price of each book": fields of whatever follows.
        let k = next;
        if (toks[k]?.w !== "of" && toks[k]?.w !== "for") return;
        k++;
        while (DETERMINERS.has(toks[k]?.w ?? "")) k++;
        const subject = isWord(toks[k]) ? resolveNoun([toks[k]?.w ?? ""]) : null;
        if (!subject) return;
        addListed(add(subject, s, k), items);
        consume(s, j, k);
        return;
      }
      for (const item of items) {
        const ref = resolveNoun(item.words);
        if (!ref) continue;
        add(ref, s, item.end);
        consume(s, item.start, item.end);
      }
    });
  });

  // Pass 2: "an app with projects and tasks", "a tool for managing invoices".
  sentences.forEach((toks, s) => {
    toks.forEach((t, i) => {
      const prep = toks[i + 1]?.w;
      if (!KIND_WORDS.has(t.w) || (prep !== "with" && prep !== "for")) return;
      let j = i + 2;
      const gerund = (toks[j]?.w ?? "").endsWith("ing");
      if (gerund) j++;
      const { items } = readList(toks, j, { maxWords: 4, stopAt: LIST_STOP, strict: true });
      for (const item of items) {
        const ref = resolveNoun(item.words);
        // After "for", a singular or unknown noun is an audience ("for a small team"), not data.
        if (!ref || (prep === "for" && !gerund && (!ref.plural || !ref.lex))) continue;
        add(ref, s, item.end);
        consume(s, item.start, item.end);
      }
    });
  });

  // Pass 3: field lists after an entity ("recipes with ingredients, steps and cooking time").
  sentences.forEach((toks, s) => {
    toks.forEach((t, i) => {
      if (!isWord(t)) return;
      const each = ["each", "every"].includes(toks[i - 1]?.w ?? "");
      const hit = lookupWord(t.w);
      const lexical = hit && !(hit.entry.pluralOnly && !hit.plural) && (!hit.entry.strict || hit.plural || DETERMINERS.has(toks[i - 1]?.w ?? ""));
      const subject = at.get(key(s, i)) ?? (lexical ? hit.entry.name : undefined) ?? entityAt(s, toks, i) ?? (each ? resolveNoun([t.w])?.name : undefined);
      if (!subject) return;
      let j = i + 1;
      const w = toks[j]?.w ?? "";
      if (["with", "having", "including", "containing", ":", "("].includes(w)) j++;
      else if ((w === "that" || w === "which") && HAVE.has(toks[j + 1]?.w ?? "")) j += 2;
      else if (w === "," && each && ["store", "track", "record", "keep", "save", "log", "note"].includes(toks[j + 1]?.w ?? "")) j += 2;
      else {
        while (MODALS.has(toks[j]?.w ?? "") && j < i + 4) j++;
        if (!HAVE.has(toks[j]?.w ?? "")) return;
        j++;
      }
      const { items } = readList(toks, j, { maxWords: 5, stopAt: FIELD_STOP, strict: false });
      const kept = items.filter((it) => !it.words.every((x) => PEOPLE.has(x) || DETERMINERS.has(x)));
      if (kept.length === 0) return;
      add(hit?.entry.name === subject ? { name: subject, lex: hit.entry, plural: hit.plural } : (at.get(key(s, i)) ? byName(subject) : { name: subject, lex: entryByName(subject), plural: false }), s, i);
      addListed(subject, kept);
      for (const it of kept) consume(s, it.start, it.end);
    });
  });

  // Pass 4: verbs that imply an entity ("users can comment on posts", "book rooms").
  sentences.forEach((toks, s) => {
    toks.forEach((t, i) => {
      const implied = VERB_ENTITY[t.w];
      if (!implied || used.has(key(s, i))) return;
      if (!t.w.endsWith("ing") && !VERB_PREV.has(toks[i - 1]?.w ?? "")) return;
      const skip = new Set([...DETERMINERS, ...Object.keys(VERB_ENTITY), "on", "to", "for", "about", "of", "in", "into", "at", "and", "or", "others", "up"]);
      let k = i + 1;
      while (k < toks.length && (skip.has(toks[k]?.w ?? "") || (implied === "Booking" && BOOKING_FILLER.has(toks[k]?.w ?? "")))) k++;
      consume(s, i, k - 1);
      const { items } = readList(toks, k, { maxWords: 3, stopAt: LIST_STOP, strict: true });
      const object = items[0] ? resolveNoun(items[0].words) : null;
      if (object && items[0]) consume(s, items[0].start, items[0].end);
      const targetName = object ? add(object, s, items[0]?.end ?? k) : undefined;
      if (implied === "Booking" && targetName && ["Appointment", "Booking", "Meeting", "Class"].includes(targetName)) return;
      const name = add(byName(implied), s, i);
      if (!targetName || targetName === name) return;
      if (entryByName(name)?.interaction) targets.set(name, targets.get(name) ?? targetName);
      else if (entryByName(name)?.grouping) relations.push({ from: targetName, to: name, required: false });
      else relations.push({ from: name, to: targetName, required: true });
    });
  });

  // Pass 5: every remaining domain noun.
  sentences.forEach((toks, s) => {
    toks.forEach((t, i) => {
      if (used.has(key(s, i)) || !isWord(t)) return;
      const prev = toks[i - 1]?.w ?? "";
      const next = toks[i + 1];
      if (next && isWord(next) && !used.has(key(s, i + 1))) {
        const ref = resolveNoun([t.w, next.w]);
        if (ref?.lex && lookupWord(next.w)?.entry !== ref.lex) {
          add(ref, s, i + 1);
          consume(s, i, i + 1);
          return;
        }
      }
      const hit = lookupWord(t.w);
      if (!hit || (hit.entry.pluralOnly && !hit.plural)) return;
      if (!hit.plural && (prev === "by" || prev === "per")) return;
      if (!hit.plural && hit.entry.strict && !DETERMINERS.has(prev)) return;
      // "this project is…" is the user talking about their own app.
      if (!hit.plural && ["this", "my", "our"].includes(prev) && ["is", "will", "should", "needs", "must"].includes(next?.w ?? "")) return;
      add({ name: hit.entry.name, lex: hit.entry, plural: hit.plural }, s, i);
    });
  });

  // Pass 6: relations between entities ("tasks into projects", "expenses by category").
  sentences.forEach((toks, s) => {
    toks.forEach((_, i) => {
      const a = entityAt(s, toks, i);
      if (!a) return;
      let j = i + 1;
      let required = false;
      if (["belong", "belongs"].includes(toks[j]?.w ?? "") && toks[j + 1]?.w === "to") {
        j += 2;
        required = true;
      } else if (["are", "is"].includes(toks[j]?.w ?? "") && /(ed)$/.test(toks[j + 1]?.w ?? "") && REL_PREPS.has(toks[j + 2]?.w ?? "") || toks[j + 2]?.w === "to") {
        j += 3;
      } else if (REL_PREPS.has(toks[j]?.w ?? "") || (toks[j]?.w ?? "").endsWith("ed") && REL_PREPS.has(toks[j + 1]?.w ?? "")) {
        j += REL_PREPS.has(toks[j]?.w ?? "") ? 1 : 2;
      } else return;
      const prep = toks[j - 1]?.w ?? "";
      while (DETERMINERS.has(toks[j]?.w ?? "")) j++;
      let b = entityAt(s, toks, j);
      const hit = isWord(toks[j]) ? lookupWord(toks[j]?.w ?? "") : undefined;
      if (!b && hit?.entry.grouping && ["by", "per", "into", "in"].includes(prep)) b = add({ name: hit.entry.name, lex: hit.entry, plural: hit.plural }, s, j);
      if (!b || b === a) return;
      if (lex.get(a)?.interaction) targets.set(a, targets.get(a) ?? b);
      else relations.push({ from: a, to: b, required });
    });
  });

  const entities = [...order.entries()].sort((x, y) => x[1] - y[1]).map(([name]) => name);
  return { entities, lex, listed, relations, targets };
}

export { PERSON_REF, QUANTIFIERS };
