/**
 * `npm run bench -- build`: how long each step of one Build takes, for a small (5 entities) and
 * a large (20 entities) spec, on the embedded database with no pacing (BUILD_PACE_MS=0), through
 * the real runtime. Steps are timed at the runtime's step boundaries (the build's own hooks):
 * plan, generate (all files), waiting in the build line, check (the heavy stage: whatever the
 * check runs), package (zip + storing it), report. Each size runs 3 times; the table shows medians.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import type { AppSpec } from "../lib/artifacts/schemas.ts";
import { workflowsOf } from "../lib/realtime/socket-server.ts";
import type { Scope } from "../lib/store/index.ts";
import { createOfflineAgent } from "../lib/workflows/agents/offline-agent.ts";
import { createWorkflowRuntime } from "../lib/workflows/runtime.ts";
import type { TestHooks } from "../lib/workflows/types.ts";
import { withStack } from "./stack.ts";
import { printTable, round } from "./stats.ts";

const scope: Scope = { enterpriseId: "bench", appId: "bench", userId: "bench-build" };
const STEPS = ["plan", "generate", "queue", "check", "package", "report"] as const;

/** A spec of n entities with a spread of field types and a reference to the previous entity. */
export function benchSpec(n: number): AppSpec {
  const entities = Array.from({ length: n }, (_, i) => ({
    name: `Thing${i + 1}`,
    fields: [
      { name: "title", type: "string" as const, required: true },
      { name: "notes", type: "text" as const, required: false },
      { name: "amount", type: "money" as const, required: false, currency: "EUR" },
      { name: "count", type: "integer" as const, required: true },
      { name: "dueOn", type: "date" as const, required: false },
      { name: "contact", type: "email" as const, required: false },
      { name: "status", type: "enum" as const, required: true, values: ["open", "done"] },
      ...(i > 0 ? [{ name: `thing${i}`, type: "reference" as const, required: false, references: `Thing${i}` }] : []),
    ],
  }));
  return {
    name: `Bench app ${n}`,
    summary: `A benchmark app with ${n} entities.`,
    features: ["list, create, edit and delete every entity"],
    entities,
    pages: entities.map((e) => ({ name: `${e.name}s`, path: `/${e.name.toLowerCase()}s`, entity: e.name })),
  } as AppSpec;
}

async function buildOnce(spec: AppSpec): Promise<Record<(typeof STEPS)[number], number>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-bench-build-"));
  const marks: Record<string, number> = {};
  const hooks: TestHooks = {
    beforeBuildStep: (step) => {
      marks[step] ??= performance.now();
    },
  };
  try {
    return await withStack(
      "sqlite",
      async ({ store, io }) => {
        const runtime = workflowsOf(io)!;
        const gen = await store.createWorkflowSession(scope, { workflowName: "generator", title: spec.name });
        const artifact = await store.createArtifactInstance(scope, { type: "app_spec", title: "App spec", state: spec as never, createdBySessionId: gen.id });
        await store.attachArtifactToSession(scope, gen.id, artifact.id);
        const t0 = performance.now();
        const { sessionId } = await runtime.performAction(scope, { artifactId: artifact.id, action: "start_build", sessionId: gen.id });
        await runtime.whenIdle(sessionId!);
        const end = performance.now();
        const session = await store.getWorkflowSession(scope, sessionId!);
        if (session.runState !== "succeeded") throw new Error(`the bench build ${session.runState}: ${session.runError}`);
        const at = (k: string) => marks[k] ?? end;
        await runtime.close();
        return {
          plan: at("generate") - (marks.plan ?? t0),
          generate: at("check") - at("generate"),
          queue: at("compile") - at("check"),
          check: at("package") - at("compile"),
          package: at("report") - at("package"),
          report: end - at("report"),
        };
      },
      {
        workflows: (publisher, store) =>
          createWorkflowRuntime({ store, publisher, logger: pino({ level: "silent" }), agent: createOfflineAgent(), dataDir, buildPaceMs: 0, testHooks: hooks }),
      },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchBuild(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const rows: Record<string, string | number>[] = [];
  for (const n of [5, 20]) {
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < 3; i++) runs.push(await buildOnce(benchSpec(n)));
    const row: Record<string, string | number> = { entities: n };
    const med: Record<string, number> = {};
    for (const s of STEPS) med[s] = median(runs.map((r) => r[s]!));
    for (const s of STEPS) row[`${s} ms`] = round(med[s]!);
    row["total ms"] = round(STEPS.reduce((t, s) => t + med[s]!, 0));
    rows.push(row);
    out[`entities_${n}`] = { medianMs: med, runs };
  }
  printTable("Build steps (SQLite, BUILD_PACE_MS=0, median of 3)", rows);
  return out;
}
