/**
 * Scores one agent answer (a spec or a question) against one expectation of the corpus. Pure:
 * no I/O, no clock; `npm run eval:agent` sums these up.
 *
 * How names are compared: case, spaces, underscores, hyphens and camelCase humps are ignored
 * and each word is singularised, so "LeaveRequests", "leave_request" and "Leave request" are
 * one name. Entities match one of their listed names exactly (after that normalisation);
 * fields match exactly first, then loosely (one name's words appear in the other's, so
 * "date" finds "visitDate") for what is left.
 *
 * The 0–3 score (the rubric):
 * Slips are counted as edits the user would have to ask for: a missing entity counts two, a
 * missing field a half, and one each a junk entity, a wrong type, an enum without the expected
 * values, a missed link and a field that should have gone.
 * - 3 usable as is: every expected entity is there, no junk entity, and at most one edit.
 * - 2 usable with small edits: at least 75 % of the entities, at most one junk entity, and at
 *   most max(3, a quarter of the expected items: entities + fields + relations) edits.
 * - 1 the right idea but big gaps: at least a third of the entities found and at least a third
 *   of the predicted entities are real ones.
 * - 0 wrong or useless: anything less, a question where a spec was due, or a spec where the
 *   description named nothing to keep track of (then the right answer, a question, scores 3).
 */
import type { AppSpec } from "../../lib/artifacts/schemas.ts";
import { isQuestion, type Expectation, type ExpectedEntity, type ExpectedField, type ExpectedSpec } from "./case-schema.ts";

export type Prediction = { type: "spec"; spec: AppSpec } | { type: "question" };

type PredEntity = AppSpec["entities"][number];
type PredField = PredEntity["fields"][number];

export interface TurnScore {
  expectedQuestion: boolean;
  gotQuestion: boolean;
  /** Required expected entities, how many were found, predicted entities that match nothing. */
  entities: { expected: number; found: number; missing: string[]; junk: string[]; optionalFound: string[]; joins: string[] };
  /** Expected fields of the matched entities: found by name, and of those typed as expected. */
  fields: { expected: number; found: number; typedRight: number; missing: string[]; wrongTypes: string[] };
  /** Expected enum fields: the type is enum and every expected value is there. */
  enums: { expected: number; right: number; wrong: string[] };
  relations: { expected: number; found: number; missing: string[] };
  /** Fields that should be gone ("remove the notes field") but are still there. */
  stale: string[];
  recall: number | null;
  precision: number | null;
  typeAccuracy: number | null;
  enumAccuracy: number | null;
  relationRecall: number | null;
  edits: number;
  score: 0 | 1 | 2 | 3;
}

// ---------------------------------------------------------------------------------------------
// Names

const IRREGULAR: Record<string, string> = {
  people: "person",
  children: "child",
  men: "man",
  women: "woman",
  mice: "mouse",
  geese: "goose",
  feet: "foot",
  teeth: "tooth",
  leaves: "leaf",
  shelves: "shelf",
  knives: "knife",
  wives: "wife",
  lives: "life",
  halves: "half",
  criteria: "criterion",
};

/** Singular of one lower-case word; only consistency matters (both sides go through it). */
export function singularWord(w: string): string {
  if (IRREGULAR[w]) return IRREGULAR[w];
  if (w.length <= 3) return w;
  if (w.endsWith("ies")) return w.slice(0, -3) + "y";
  if (w.endsWith("sses") || w.endsWith("uses")) return w.slice(0, -2);
  if (/(x|ch|sh|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
}

/** "LeaveRequests" → ["leave", "request"]; "drink_by_year" → ["drink", "by", "year"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])([0-9])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map(singularWord);
}

export function normaliseName(name: string): string {
  return nameWords(name).join("");
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

function containsRun(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function looseMatch(a: string, b: string): boolean {
  const wa = nameWords(a);
  const wb = nameWords(b);
  return containsRun(wa, wb) || containsRun(wb, wa);
}

// ---------------------------------------------------------------------------------------------
// Matching

function matchEntities(expected: ExpectedEntity[], predicted: PredEntity[]): Map<ExpectedEntity, PredEntity> {
  const out = new Map<ExpectedEntity, PredEntity>();
  const used = new Set<PredEntity>();
  // Required ones first, and each name in the order written, so an optional entity never takes a required one's match.
  const order = [...expected.filter((e) => !e.optional), ...expected.filter((e) => e.optional)];
  const maxAlternatives = Math.max(0, ...expected.map((e) => e.name.length));
  for (let k = 0; k < maxAlternatives; k++) {
    for (const e of order) {
      if (out.has(e) || k >= e.name.length) continue;
      const want = normaliseName(e.name[k]!);
      const hit = predicted.find((p) => !used.has(p) && normaliseName(p.name) === want);
      if (hit) {
        out.set(e, hit);
        used.add(hit);
      }
    }
  }
  return out;
}

function matchFields(expected: ExpectedField[], predicted: PredField[]): Map<ExpectedField, PredField> {
  const out = new Map<ExpectedField, PredField>();
  const used = new Set<PredField>();
  const take = (e: ExpectedField, test: (alt: string, p: PredField) => boolean) => {
    for (const alt of e.name) {
      const hit = predicted.find((p) => !used.has(p) && test(alt, p));
      if (hit) {
        out.set(e, hit);
        used.add(hit);
        return;
      }
    }
  };
  for (const e of expected) take(e, (alt, p) => normaliseName(alt) === normaliseName(p.name));
  for (const e of expected) if (!out.has(e)) take(e, (alt, p) => looseMatch(alt, p.name));
  return out;
}

function enumRight(e: ExpectedField, p: PredField): boolean {
  if (p.type !== "enum" || !e.values) return false;
  const have = new Set((p.values ?? []).map(slug));
  return e.values.every((alts) => alts.some((v) => have.has(slug(v))));
}

// ---------------------------------------------------------------------------------------------

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

function emptyScore(expectedQuestion: boolean, gotQuestion: boolean): TurnScore {
  return {
    expectedQuestion,
    gotQuestion,
    entities: { expected: 0, found: 0, missing: [], junk: [], optionalFound: [], joins: [] },
    fields: { expected: 0, found: 0, typedRight: 0, missing: [], wrongTypes: [] },
    enums: { expected: 0, right: 0, wrong: [] },
    relations: { expected: 0, found: 0, missing: [] },
    stale: [],
    recall: null,
    precision: null,
    typeAccuracy: null,
    enumAccuracy: null,
    relationRecall: null,
    edits: 0,
    score: 0,
  };
}

export function scoreTurn(expect: Expectation, got: Prediction): TurnScore {
  if (isQuestion(expect)) {
    const s = emptyScore(true, got.type === "question");
    if (got.type === "spec") {
      // Whatever it made up from nothing is junk.
      s.entities.junk = got.spec.entities.map((e) => e.name);
      s.precision = got.spec.entities.length ? 0 : null;
      s.edits = got.spec.entities.length;
      s.score = 0;
    } else s.score = 3;
    return s;
  }
  const required = expect.entities.filter((e) => !e.optional);
  if (got.type === "question") {
    const s = emptyScore(false, true);
    s.entities.expected = required.length;
    s.entities.missing = required.map((e) => e.name[0]!);
    s.recall = 0;
    s.relations.expected = countedRelations(expect).length;
    s.relationRecall = ratio(0, s.relations.expected);
    s.score = 0;
    return s;
  }
  return scoreSpec(expect, got.spec);
}

function countedRelations(expect: ExpectedSpec) {
  const optional = new Set(expect.entities.filter((e) => e.optional).map((e) => e.name[0]));
  return expect.relations.filter((r) => !optional.has(r.from) && !optional.has(r.to));
}

function scoreSpec(expect: ExpectedSpec, spec: AppSpec): TurnScore {
  const s = emptyScore(false, false);
  const matched = matchEntities(expect.entities, spec.entities);
  const byPrimary = new Map(expect.entities.map((e) => [e.name[0]!, e]));
  const required = expect.entities.filter((e) => !e.optional);

  s.entities.expected = required.length;
  for (const e of required) {
    if (matched.has(e)) s.entities.found++;
    else s.entities.missing.push(e.name[0]!);
  }
  s.entities.optionalFound = expect.entities.filter((e) => e.optional && matched.has(e)).map((e) => matched.get(e)!.name);

  // Fields, types, enums and fields that should be gone.
  let enumValueSlips = 0;
  for (const e of required) {
    const p = matched.get(e);
    if (!p) continue;
    const fm = matchFields(e.fields, p.fields);
    for (const f of e.fields) {
      const label = `${e.name[0]}.${f.name[0]}`;
      const pf = fm.get(f);
      s.fields.expected++;
      // An enum is judged when the analyst wrote enum first, unless the agent chose another accepted type (a boolean "paid").
      const enumCounted = f.values !== undefined && (pf?.type === "enum" || (f.type[0] === "enum" && !(pf && f.type.includes(pf.type))));
      if (enumCounted) s.enums.expected++;
      if (!pf) {
        s.fields.missing.push(label);
        if (enumCounted) s.enums.wrong.push(`${label} (missing)`);
        continue;
      }
      s.fields.found++;
      if (f.type.includes(pf.type)) s.fields.typedRight++;
      else s.fields.wrongTypes.push(`${label}: ${pf.type}, expected ${f.type.join("|")}`);
      if (enumCounted) {
        if (enumRight(f, pf)) s.enums.right++;
        else if (pf.type === "enum") {
          enumValueSlips++;
          s.enums.wrong.push(`${label}: [${(pf.values ?? []).join(", ")}], expected [${f.values!.map((v) => v[0]).join(", ")}]`);
        } else s.enums.wrong.push(`${label}: ${pf.type}, expected [${f.values!.map((v) => v[0]).join(", ")}]`);
      }
    }
    const gone = new Set(e.absent.map(normaliseName));
    for (const pf of p.fields) if (gone.has(normaliseName(pf.name))) s.stale.push(`${p.name}.${pf.name}`);
  }

  // Relations. Each predicted reference satisfies one expected relation at most.
  const usedRefs = new Set<PredField>();
  const joins = new Set<PredEntity>();
  const relations = countedRelations(expect);
  s.relations.expected = relations.length;
  const refsOf = (entity: PredEntity, target: PredEntity) =>
    entity.fields.filter((f) => f.type === "reference" && f.references === target.name && !usedRefs.has(f));
  const cardinalityOf = (f: PredField) => f.cardinality ?? "many-to-one";
  // Relations whose field name is found first, so "homeTeam"/"awayTeam" pair up by name.
  const attempts = relations.map((r) => ({ r, done: false }));
  for (const byName of [true, false]) {
    for (const a of attempts) {
      if (a.done) continue;
      const { r } = a;
      const src = matched.get(byPrimary.get(r.from)!);
      const tgt = matched.get(byPrimary.get(r.to)!);
      if (!src || !tgt) continue;
      const nameOk = (f: PredField) => !byName || r.field.some((alt) => normaliseName(alt) === normaliseName(f.name) || looseMatch(alt, f.name));
      const direct = refsOf(src, tgt).find((f) => nameOk(f) && r.cardinality.includes(cardinalityOf(f)));
      if (direct) {
        usedRefs.add(direct);
        a.done = true;
        continue;
      }
      if (!r.cardinality.includes("many-to-many") || byName) continue;
      const reverse = refsOf(tgt, src).find((f) => cardinalityOf(f) === "many-to-many");
      if (reverse) {
        usedRefs.add(reverse);
        a.done = true;
        continue;
      }
      for (const j of spec.entities) {
        if (j === src || j === tgt) continue;
        const toSrc = refsOf(j, src)[0];
        const toTgt = refsOf(j, tgt).find((f) => f !== toSrc);
        if (toSrc && toTgt) {
          usedRefs.add(toSrc);
          usedRefs.add(toTgt);
          joins.add(j);
          a.done = true;
          break;
        }
      }
    }
  }
  for (const a of attempts) {
    if (a.done) s.relations.found++;
    else s.relations.missing.push(`${a.r.from}.${a.r.field[0]} → ${a.r.to} (${a.r.cardinality.join("|")})`);
  }

  const matchedSet = new Set(matched.values());
  for (const p of spec.entities) {
    if (matchedSet.has(p)) continue;
    if (joins.has(p)) s.entities.joins.push(p.name);
    else s.entities.junk.push(p.name);
  }

  s.recall = ratio(s.entities.found, s.entities.expected);
  s.precision = ratio(s.entities.found, s.entities.found + s.entities.junk.length);
  s.typeAccuracy = ratio(s.fields.typedRight, s.fields.found);
  s.enumAccuracy = ratio(s.enums.right, s.enums.expected);
  s.relationRecall = ratio(s.relations.found, s.relations.expected);

  const missingEntities = s.entities.missing.length;
  s.edits =
    2 * missingEntities +
    s.entities.junk.length +
    s.fields.wrongTypes.length +
    // A status typed as string is already a wrong type: an enum adds an edit only when its values are wrong.
    enumValueSlips +
    s.relations.missing.length +
    s.stale.length +
    0.5 * s.fields.missing.length;
  const size = s.entities.expected + s.fields.expected + s.relations.expected;
  const recall = s.recall ?? 1;
  const precision = s.precision ?? 1;
  if (missingEntities === 0 && s.entities.junk.length === 0 && s.edits <= 1) s.score = 3;
  else if (recall >= 0.75 && s.entities.junk.length <= 1 && s.edits <= Math.max(3, size / 4)) s.score = 2;
  else if (recall >= 1 / 3 && precision >= 1 / 3) s.score = 1;
  else s.score = 0;
  return s;
}
