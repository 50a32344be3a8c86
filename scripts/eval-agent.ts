/**
 * npm run eval:agent [-- --case <id>] [--json [file]] [--verbose]
 *
 * Measures the Generator's agent on the development corpus (eval/agent/corpus): every case
 * through the offline agent, and through the model agent too when AGENT_MODEL (AGENT_*) is
 * set. Prints one line per turn and an overall block with the issue's targets. It measures;
 * it is not a test: it exits 0 whatever the scores, non-zero only when it cannot run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { agentConfigFrom, agentEnv } from "../lib/workflows/agents/agent-config.ts";
import { createDefaultAgent } from "../lib/workflows/agent.ts";
import type { SpecAgent } from "../lib/workflows/agents/types.ts";
import type { AppSpec } from "../lib/artifacts/schemas.ts";
import { isQuestion, type CorpusCase, type Expectation } from "../eval/agent/case-schema.ts";
import { loadCorpus } from "../eval/agent/load-corpus.ts";
import { runCase, type TurnResult } from "../eval/agent/run-corpus.ts";
import { formatPercent as pct, summarise, targets, type Summary } from "../eval/agent/summary.ts";

const USAGE = "usage: npm run eval:agent [-- --case <id>] [--json [file]] [--verbose]";
const DEFAULT_JSON = "eval/agent/results/latest.json";

class UsageError extends Error {}

function parseArgs(argv: string[]) {
  const opts = { cases: [] as string[], json: undefined as string | undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--case") {
      const id = argv[++i];
      if (!id || id.startsWith("--")) throw new UsageError("--case needs a case id");
      opts.cases.push(id);
    } else if (a.startsWith("--case=")) opts.cases.push(a.slice("--case=".length));
    else if (a === "--json") opts.json = argv[i + 1] && !argv[i + 1]!.startsWith("--") ? argv[++i] : DEFAULT_JSON;
    else if (a.startsWith("--json=")) opts.json = a.slice("--json=".length);
    else if (a === "--verbose" || a === "-v") opts.verbose = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown argument ${a}`);
  }
  return opts;
}

function agentsFromEnv(): SpecAgent[] {
  const parsed = z.object(agentEnv).safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${String(issue.path[0])} ${issue.message}`);
  }
  const config = agentConfigFrom(parsed.data);
  if (typeof config === "string") throw new UsageError(config);
  // The same factory the Generator uses, so the eval measures what users get.
  const agents: SpecAgent[] = [createDefaultAgent({ kind: "offline" })];
  if (config.kind === "openai") agents.push(createDefaultAgent(config));
  return agents;
}

// ---------------------------------------------------------------------------------------------
// Printing

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const frac = (num: number, den: number) => (den === 0 ? "  -  " : `${Math.round((100 * num) / den)}%`.padStart(4) + ` (${num}/${den})`);

function turnLine(r: TurnResult): string {
  const id = r.step === 0 ? r.caseId : `${r.caseId}#${r.step}`;
  const x = r.score;
  const what = r.reply.type === "error" ? "ERROR" : r.reply.type === "question" ? "question" : "spec";
  const parts = [pad(id, 30), `score ${x.score}`, pad(what, 8)];
  if (x.expectedQuestion) parts.push(x.gotQuestion ? "asked (right)" : `made ${x.entities.junk.length} entities from nothing`);
  else {
    parts.push(`R ${frac(x.entities.found, x.entities.expected)}`);
    parts.push(`P ${frac(x.entities.found, x.entities.found + x.entities.junk.length)}`);
    parts.push(`types ${frac(x.fields.typedRight, x.fields.found)}`);
    parts.push(`rel ${frac(x.relations.found, x.relations.expected)}`);
  }
  parts.push(`${r.ms.toFixed(1)} ms`);
  return parts.join("  ");
}

function showSpec(spec: AppSpec): string[] {
  return spec.entities.map(
    (e) =>
      `    ${e.name}(` +
      e.fields
        .map((f) => {
          if (f.type === "reference") return `${f.name}→${f.references}${f.cardinality === "many-to-many" ? "[]" : ""}`;
          if (f.type === "enum") return `${f.name}:enum[${(f.values ?? []).join("/")}]`;
          return `${f.name}:${f.type}${f.currency ? ` ${f.currency}` : ""}${f.unit ? ` ${f.unit}` : ""}`;
        })
        .join(", ") +
      ")",
  );
}

function showExpected(e: Expectation): string[] {
  if (isQuestion(e)) return ["    (a clarifying question)"];
  const lines = e.entities.map(
    (x) =>
      `    ${x.name.join("|")}${x.optional ? " (optional)" : ""}(` +
      x.fields.map((f) => `${f.name[0]}:${f.type.join("|")}${f.values ? `[${f.values.map((v) => v[0]).join("/")}]` : ""}`).join(", ") +
      ")",
  );
  for (const r of e.relations) lines.push(`    ${r.from}.${r.field[0]} → ${r.to} (${r.cardinality.join("|")})`);
  return lines;
}

function verboseBlock(r: TurnResult): string[] {
  const out = [`  said: ${JSON.stringify(r.text)}`, "  expected:", ...showExpected(r.expect), "  got:"];
  if (r.reply.type === "spec") out.push(...showSpec(r.reply.spec));
  else out.push(`    (${r.reply.type}) ${r.reply.message}`);
  const x = r.score;
  const list = (label: string, items: string[]) => items.length && out.push(`  ${label}: ${items.join("; ")}`);
  list("missing entities", x.entities.missing);
  list("junk entities", x.entities.junk);
  list("join entities", x.entities.joins);
  list("missing fields", x.fields.missing);
  list("wrong types", x.fields.wrongTypes);
  list("wrong enums", x.enums.wrong);
  list("missing relations", x.relations.missing);
  list("should be gone", x.stale);
  out.push("");
  return out;
}

function overall(label: string, x: Summary, turns: TurnResult[]): string[] {
  const lat = (l: Summary["latency"]["all"]) => (l.n === 0 ? "n/a (no such turn)" : `p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, max ${l.max.toFixed(1)} ms (n=${l.n})`);
  const lines = [
    "",
    `== ${label}: ${x.cases} cases, ${x.turns} turns${x.errors ? `, ${x.errors} errors` : ""}`,
    `mean score          ${x.meanScore.toFixed(2)}/3   (0: ${x.scores[0]}, 1: ${x.scores[1]}, 2: ${x.scores[2]}, 3: ${x.scores[3]})${x.refinementMeanScore === null ? "" : `; refinement steps ${x.refinementMeanScore.toFixed(2)}/3`}`,
    `entity recall       ${pct(x.entityRecall)}`,
    `entity precision    ${pct(x.entityPrecision)}`,
    `field recall        ${pct(x.fieldRecall)}   (expected fields found by name)`,
    `field types         ${pct(x.fieldTypeAccuracy)}   (of the fields found)`,
    `enums               ${pct(x.enumAccuracy)}`,
    `relations           ${pct(x.relationRecall)}`,
    `junk entities       ${x.junkEntities}`,
    `questions           ${x.questionsRight.asked}/${x.questionsRight.due} asked where due; ${x.unneededQuestions} asked where a spec was due`,
    `latency, paragraph  ${lat(x.latency.paragraph)}`,
    `latency, all turns  ${lat(x.latency.all)}`,
  ];
  const firstError = turns.find((r) => r.reply.type === "error");
  if (firstError) lines.push(`errors              ${x.errors} turns failed (scored 0); first: ${firstError.reply.message}`);
  for (const t of targets(x)) lines.push(t.met ? `target ${t.name}: met (${t.figure})` : `target ${t.name}: not met (${t.figure} vs ${t.target})`);
  return lines;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  let corpus: CorpusCase[];
  let agents: SpecAgent[];
  try {
    opts = parseArgs(process.argv.slice(2));
    corpus = loadCorpus();
    agents = agentsFromEnv();
  } catch (err) {
    console.error(`eval:agent: ${(err as Error).message}`);
    if (err instanceof UsageError) console.error(USAGE);
    return 2;
  }
  if (opts.cases.length) {
    const unknown = opts.cases.filter((id) => !corpus.some((c) => c.id === id));
    if (unknown.length) {
      console.error(`eval:agent: no case ${unknown.join(", ")} in the corpus`);
      return 2;
    }
    corpus = corpus.filter((c) => opts.cases.includes(c.id));
  }

  const report: Array<{ agent: string; summary: Summary; turns: TurnResult[]; coldFirstCallMs: number }> = [];
  for (const agent of agents) {
    const label = agent.name === "offline" ? "offline agent" : `model agent (${agent.label})`;
    console.log(`\n# ${label}`);
    // The first call pays for module and lexicon set-up; it is timed apart so per-turn figures are steady-state.
    const t0 = performance.now();
    await agent.proposeSpec({ conversation: [{ role: "user", text: "a reading list: books with a title and an author" }], current: null }).catch(() => undefined);
    const coldFirstCallMs = performance.now() - t0;
    console.log(`(first call, not counted: ${coldFirstCallMs.toFixed(1)} ms)`);
    const turns: TurnResult[] = [];
    for (const c of corpus) {
      for (const r of await runCase(agent, c)) {
        turns.push(r);
        console.log(turnLine(r));
        if (opts.verbose) console.log(verboseBlock(r).join("\n"));
      }
    }
    const summary = summarise(turns);
    console.log(overall(label, summary, turns).join("\n"));
    report.push({ agent: agent.label, summary, turns, coldFirstCallMs });
  }

  if (opts.json) {
    const file = path.resolve(opts.json);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, agents: report }, null, 2) + "\n");
    console.log(`\nresults written to ${path.relative(process.cwd(), file) || file}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error("eval:agent failed:", err);
    process.exit(1);
  },
);
