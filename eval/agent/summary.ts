/**
 * The overall figures of an eval run and the targets (issue 14, part 5). Rates are
 * pooled over all scored turns (found / expected summed), so a case with many entities weighs
 * more than a case with one.
 */
import { percentile } from "../../bench/stats.ts";
import type { TurnResult } from "./run-corpus.ts";

export interface Summary {
  turns: number;
  cases: number;
  errors: number;
  meanScore: number;
  scores: [number, number, number, number];
  refinementMeanScore: number | null;
  entityRecall: number | null;
  entityPrecision: number | null;
  fieldRecall: number | null;
  fieldTypeAccuracy: number | null;
  enumAccuracy: number | null;
  relationRecall: number | null;
  junkEntities: number;
  questionsRight: { asked: number; due: number };
  unneededQuestions: number;
  latency: { paragraph: LatencyFigures; all: LatencyFigures };
}

export interface LatencyFigures {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

function latency(values: number[]): LatencyFigures {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: values.length ? Math.max(...values) : NaN };
}

const rate = (num: number, den: number) => (den === 0 ? null : num / den);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function summarise(results: TurnResult[]): Summary {
  const s = results.map((r) => r.score);
  const specTurns = s.filter((x) => !x.expectedQuestion);
  const refinements = results.filter((r) => r.step > 0);
  const scores: [number, number, number, number] = [0, 0, 0, 0];
  for (const x of s) scores[x.score]++;
  const entitiesFound = sum(specTurns.map((x) => x.entities.found));
  const junk = sum(s.map((x) => x.entities.junk.length));
  return {
    turns: results.length,
    cases: new Set(results.map((r) => r.caseId)).size,
    errors: results.filter((r) => r.reply.type === "error").length,
    meanScore: sum(s.map((x) => x.score)) / Math.max(1, s.length),
    scores,
    refinementMeanScore: refinements.length ? sum(refinements.map((r) => r.score.score)) / refinements.length : null,
    entityRecall: rate(entitiesFound, sum(specTurns.map((x) => x.entities.expected))),
    entityPrecision: rate(entitiesFound, entitiesFound + junk),
    fieldRecall: rate(sum(s.map((x) => x.fields.found)), sum(s.map((x) => x.fields.expected))),
    fieldTypeAccuracy: rate(sum(s.map((x) => x.fields.typedRight)), sum(s.map((x) => x.fields.found))),
    enumAccuracy: rate(sum(s.map((x) => x.enums.right)), sum(s.map((x) => x.enums.expected))),
    relationRecall: rate(sum(s.map((x) => x.relations.found)), sum(s.map((x) => x.relations.expected))),
    junkEntities: junk,
    questionsRight: { asked: s.filter((x) => x.expectedQuestion && x.gotQuestion).length, due: s.filter((x) => x.expectedQuestion).length },
    unneededQuestions: specTurns.filter((x) => x.gotQuestion).length,
    latency: { paragraph: latency(results.filter((r) => r.paragraph).map((r) => r.ms)), all: latency(results.map((r) => r.ms)) },
  };
}

export interface Target {
  name: string;
  met: boolean;
  figure: string;
  target: string;
}

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)} %`);

/** The targets of issue 14: each met or not, with the figure. Latency is the p95 over paragraph-length descriptions. */
export function targets(x: Summary): Target[] {
  const atLeast = (name: string, value: number | null, min: number): Target => ({
    name,
    met: value !== null && value >= min,
    figure: pct(value),
    target: `>= ${pct(min)}`,
  });
  return [
    { name: "mean score", met: x.meanScore >= 2.5, figure: `${x.meanScore.toFixed(2)}/3`, target: ">= 2.50/3" },
    atLeast("entity recall", x.entityRecall, 0.9),
    atLeast("entity precision", x.entityPrecision, 0.9),
    atLeast("field types", x.fieldTypeAccuracy, 0.9),
    atLeast("relations", x.relationRecall, 0.85),
    { name: "junk entities", met: x.junkEntities === 0, figure: String(x.junkEntities), target: "0" },
    {
      name: "latency",
      met: x.latency.paragraph.n > 0 && x.latency.paragraph.p95 < 100,
      figure: x.latency.paragraph.n ? `p95 ${x.latency.paragraph.p95.toFixed(1)} ms, max ${x.latency.paragraph.max.toFixed(1)} ms over ${x.latency.paragraph.n} paragraphs` : "no paragraph in this run",
      target: "< 100 ms",
    },
  ];
}

export function formatPercent(x: number | null): string {
  return pct(x);
}
