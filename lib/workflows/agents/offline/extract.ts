/**
 * Finds the entities in a description, the fields the user listed for them and how they
 * relate. Several passes over each sentence, most specific first; a token used by one pass
 * ("ingredients" inside a field list) is not reinterpreted by a later one.
 */
import { type LexEntry, VERB_ENTITY, entryByName, lookupWord } from "./lexicon.ts";
import { KIND_WORDS } from "./naming.ts";
import { type NounRef, PEOPLE, resolveNoun } from "./nouns.ts";
import { DETERMINERS, type Tok, isWord, readList, sentencesOf, tokenize, type ListItem } from "./text.ts";
import {
  AFTER_VERB_SKIP, BOOKING_FILLER, ENTITY_VERBS, FIELDISH, FIELD_STOP, HAVE, HAVE_AFTER_MODAL, LIST_STOP, MODALS,
  NOUNISH_VERBS, OBJECT_SKIP, POSSESSIVE, REL_PREPS, SAME_AS, SELL, VERB_PREV,
} from "./cues.ts";

export interface Relation {
  from: string;
  to: string;
  required: boolean;
}

export interface Extraction {
  /** Entity names, in order of first mention. */
  entities: string[];
  /** Fields the user listed, still as phrases; resolved once all entities are known. */
  listed: Map<string, string[][]>;
  relations: Relation[];
  /** Interaction entity → what it is about ("comment on posts"). */
  targets: Map<string, string>;
  /** Unknown entity → the lexicon entry whose fields it takes ("selling candles": Candle is a Product). */
  templates: Map<string, string>;
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
  const templates = new Map<string, string>();
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
      const prev = toks[i - 1]?.w;
      if (!ENTITY_VERBS.has(t.w) || DETERMINERS.has(prev ?? "")) return;
      if (NOUNISH_VERBS.has(t.w) && prev !== undefined && prev !== "," && !VERB_PREV.has(prev)) return;
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
        if (SELL.has(t.w) && !ref.lex) templates.set(ref.name, "Product");
        // "playlists of songs": songs go in playlists; "photos of plants": photos are of a plant.
        const of = item.words.indexOf("of");
        const inner = of > 0 ? resolveNoun(item.words.slice(of + 1)) : null;
        const outer = of > 0 ? resolveNoun(item.words.slice(0, of)) : null;
        if (inner && outer && inner.name !== outer.name) {
          add(inner, s, item.end);
          add(outer, s, item.start);
          if (outer.lex?.grouping) relations.push({ from: inner.name, to: outer.name, required: false });
          else relations.push({ from: outer.name, to: inner.name, required: false });
        }
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
      // A plural noun opening a sentence ("Services have a name and price") introduces its fields.
      const opening = (i === 0 || (i === 1 && DETERMINERS.has(toks[0]?.w ?? ""))) && (resolveNoun([t.w])?.plural ?? false);
      const subject =
        at.get(key(s, i)) ?? (lexical ? hit.entry.name : undefined) ?? entityAt(s, toks, i) ?? (each || opening ? resolveNoun([t.w])?.name : undefined);
      if (!subject) return;
      let j = i + 1;
      const w = toks[j]?.w ?? "";
      const listStart = ["with", "having", "including", "containing"];
      if ([...listStart, ":", "("].includes(w)) j++;
      else if (w === "," && listStart.includes(toks[j + 1]?.w ?? "")) j += 2;
      else if ((w === "that" || w === "which") && HAVE.has(toks[j + 1]?.w ?? "")) j += 2;
      else if (w === "," && each && ["store", "track", "record", "keep", "save", "log", "note"].includes(toks[j + 1]?.w ?? "")) j += 2;
      else {
        const verbAt = j;
        while (MODALS.has(toks[j]?.w ?? "") && j < i + 4) j++;
        if (!(j > verbAt ? HAVE_AFTER_MODAL : HAVE).has(toks[j]?.w ?? "")) return;
        j++;
      }
      const { items } = readList(toks, j, { maxWords: 5, stopAt: FIELD_STOP, strict: false });
      const kept = items.filter((it) => !it.words.every((x) => PEOPLE.has(x) || DETERMINERS.has(x)));
      if (kept.length === 0) return;
      add(byName(subject), s, i);
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
      let k = i + 1;
      // "comment and rate them": every verb in the run implies its entity, about the same object.
      const implieds = [implied];
      while (k < toks.length && (OBJECT_SKIP.has(toks[k]?.w ?? "") || (implied === "Booking" && BOOKING_FILLER.has(toks[k]?.w ?? "")))) {
        const also = VERB_ENTITY[toks[k]?.w ?? ""];
        if (also && !implieds.includes(also)) implieds.push(also);
        k++;
      }
      consume(s, i, k - 1);
      const { items } = readList(toks, k, { maxWords: 3, stopAt: LIST_STOP, strict: true });
      const object = items[0] ? resolveNoun(items[0].words) : null;
      if (object && items[0]) consume(s, items[0].start, items[0].end);
      const targetName = object ? add(object, s, items[0]?.end ?? k) : undefined;
      for (const each of implieds) {
        if (each === "Booking" && targetName && ["Appointment", "Booking", "Meeting", "Class"].includes(targetName)) continue;
        const name = add(byName(each), s, i);
        if (!targetName || targetName === name) continue;
        if (entryByName(name)?.interaction) targets.set(name, targets.get(name) ?? targetName);
        else if (entryByName(name)?.grouping) relations.push({ from: targetName, to: name, required: false });
        else relations.push({ from: name, to: targetName, required: true });
      }
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
      // "a kanban board for my team": who the app is for, not what it stores.
      if (!hit.plural && DETERMINERS.has(prev) && toks[i - 2]?.w === "for") return;
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
      const [w1, w2, w3] = [toks[j]?.w ?? "", toks[j + 1]?.w ?? "", toks[j + 2]?.w ?? ""];
      const linking = (w: string): boolean => REL_PREPS.has(w) || w === "to";
      if ((w1 === "belong" || w1 === "belongs") && w2 === "to") {
        j += 2;
        required = true;
      } else if ((w1 === "are" || w1 === "is") && w2.endsWith("ed") && linking(w3)) j += 3;
      else if (w1.endsWith("ed") && linking(w2)) j += 2;
      else if (REL_PREPS.has(w1)) j += 1;
      else return;
      const prep = toks[j - 1]?.w ?? "";
      while (DETERMINERS.has(toks[j]?.w ?? "")) j++;
      let b = entityAt(s, toks, j);
      const hit = isWord(toks[j]) ? lookupWord(toks[j]?.w ?? "") : undefined;
      if (!b && hit?.entry.grouping && ["by", "per", "into", "in"].includes(prep)) b = add({ name: hit.entry.name, lex: hit.entry, plural: hit.plural }, s, j);
      if (!b || b === a) return;
      if (lex.get(a)?.interaction) targets.set(a, targets.get(a) ?? b);
      else if (prep === "of" && lex.get(a)?.grouping) relations.push({ from: b, to: a, required: false });
      else relations.push({ from: a, to: b, required });
    });
  });

  // Nothing else found: "water my plants" still says what the app is about.
  if ([...order.keys()].every((n) => n === "User")) {
    sentences.forEach((toks, s) => {
      toks.forEach((t, i) => {
        const ref = POSSESSIVE.has(toks[i - 1]?.w ?? "") && isWord(t) ? resolveNoun([t.w]) : null;
        if (ref?.plural && !used.has(key(s, i))) add(ref, s, i);
      });
    });
  }

  const merge = (from: string, into: string): void => {
    const pos = Math.min(order.get(from) ?? Infinity, order.get(into) ?? Infinity);
    order.delete(from);
    order.set(into, pos);
    const rename = (n: string): string => (n === from ? into : n);
    for (const r of relations) Object.assign(r, { from: rename(r.from), to: rename(r.to) });
    for (const [k, v] of [...targets]) {
      targets.delete(k);
      if (rename(k) !== rename(v)) targets.set(rename(k), rename(v));
    }
    const moved = listed.get(from);
    if (moved) listed.set(into, [...(listed.get(into) ?? []), ...moved]);
    listed.delete(from);
  };
  // "An online store selling candles … browse products": the products are the candles.
  for (const [name, template] of templates) if (order.has(template)) merge(template, name);
  for (const [from, into] of SAME_AS) if (order.has(from) && order.has(into)) merge(from, into);
  const entities = [...order.entries()].sort((x, y) => x[1] - y[1]).map(([name]) => name);
  return { entities, listed, relations, targets, templates };
}

