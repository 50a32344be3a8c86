/**
 * `npm run bench -- build`: how long each step of one Build takes, for a small (5 entities) and
 * a large (20 entities) spec, on the embedded database with no pacing (BUILD_PACE_MS=0), through
 * the real runtime. Steps are timed at the runtime's step boundaries (the build's own hooks):
 * plan, generate (all files), waiting in the build line, check (the heavy stage: whatever the
 * check runs), package (zip + storing it), report; and, from the progress artifact, each step of
 * the real check (BUILD_VERIFY=full: install, typecheck, next build, start, pages, CRUD, forms,
 * stop, the app's own tests). Each size runs once: a Build compiles a whole Next.js app.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { buildProgressState, type AppSpec } from "../lib/artifacts/schemas.ts";
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

type BuildTimes = { stages: Record<(typeof STEPS)[number], number>; checkSteps: Record<string, number> };

/** One Build through the real check (install, typecheck, next build, start, pages, CRUD, its tests). */
async function buildOnce(spec: AppSpec): Promise<BuildTimes> {
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
        // The check's own steps, as the progress artifact shows them to the user.
        const progress = (await store.listSessionArtifacts(scope, sessionId!)).find((a) => a.type === "build_progress");
        const checkSteps: Record<string, number> = {};
        for (const step of buildProgressState.parse(progress?.state ?? { percent: 0, step: "" }).steps ?? []) {
          if (step.elapsedMs !== undefined) checkSteps[step.name] = step.elapsedMs;
        }
        await runtime.close();
        return {
          stages: {
            plan: at("generate") - (marks.plan ?? t0),
            generate: at("check") - at("generate"),
            queue: at("compile") - at("check"),
            check: at("package") - at("compile"),
            package: at("report") - at("package"),
            report: end - at("report"),
          },
          checkSteps,
        };
      },
      {
        workflows: (publisher, store) =>
          createWorkflowRuntime({ store, publisher, logger: pino({ level: "silent" }), agent: createOfflineAgent(), dataDir, buildPaceMs: 0, buildVerify: "full", testHooks: hooks }),
      },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchBuild(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const rows: Record<string, string | number>[] = [];
  const checkRows: Record<string, string | number>[] = [];
  // One Build per size: each compiles a whole Next.js app (minutes on 2 cores), so no median.
  for (const n of [5, 20]) {
    const { stages, checkSteps } = await buildOnce(benchSpec(n));
    rows.push({ entities: n, ...Object.fromEntries(STEPS.map((s) => [`${s} ms`, round(stages[s])])), "total ms": round(STEPS.reduce((t, s) => t + stages[s], 0)) });
    checkRows.push({ entities: n, ...Object.fromEntries(Object.entries(checkSteps).map(([k, v]) => [`${k} ms`, v])) });
    out[`entities_${n}`] = { stagesMs: stages, checkStepsMs: checkSteps };
  }
  printTable("Build stages (SQLite, BUILD_PACE_MS=0, BUILD_VERIFY=full, one run each)", rows);
  printTable("Build check steps (elapsed, from the progress artifact)", checkRows);
  return out;
}
