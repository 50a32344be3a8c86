import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { appSpecState, type AppSpec, type BuildProgress, type BuildReport } from "../artifacts/schemas.ts";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isTabflowError, TabflowError } from "../errors.ts";
import type { ArtifactRecord, Scope, Store } from "../store/index.ts";
import { CHECK_STEP_LABELS, CheckFailure, checkStepsFor, quickCheck, verifyProject, type BuildVerify, type CheckStep } from "./build/check.ts";
import { buildPaths, packageProject, removeBuildOutput, writeProjectFile } from "./build/output.ts";
import { waitForCompileSlot } from "./build/compile-gate.ts";
import { planProject, slugify } from "./build/project.ts";
import { JobAbort } from "./job-abort.ts";
import type { ArtifactAction, WorkflowContext, WorkflowDefinition } from "./types.ts";

/**
 * Build: a background job that turns an app spec into a downloadable, verified app:
 * plan → generate each file → check (quick check, then the real one in the sandbox: install,
 * type-check, production build, start, every page, CRUD, the app's tests) → package → report. After every file it persists a
 * checkpoint, so a restarted server resumes where it stopped; progress messages carry
 * idempotency keys, so a step that runs again after a crash is never announced twice.
 */
const STAGES = ["plan", "generate", "check", "package", "report"] as const;
type Stage = (typeof STAGES)[number];

const checkpointSchema = z.object({
  spec: appSpecState,
  specVersion: z.number().int().min(1),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  stage: z.enum(STAGES),
  filesDone: z.number().int().min(0),
});
export type BuildCheckpoint = z.infer<typeof checkpointSchema>;

export function freshBuildCheckpoint(spec: AppSpec, specVersion: number): BuildCheckpoint {
  return { spec, specVersion, slug: slugify(spec.name), stage: "plan", filesDone: 0 };
}

export function buildDownloadUrl(sessionId: string): string {
  return `/api/builds/${sessionId}/download`;
}

/**
 * The zip of a finished build, for its owner, from the database (so any node serves it);
 * not_found for anyone else or anything else.
 */
export async function findBuildDownload(store: Store, scope: Scope, sessionId: string): Promise<{ bytes: Uint8Array; filename: string; sha256: string }> {
  const session = await store.getWorkflowSession(scope, sessionId);
  const cp = checkpointSchema.safeParse(session.runCheckpoint);
  if (session.workflowName !== "build" || session.runState !== "succeeded" || !cp.success) {
    throw new TabflowError("not_found", "this session has no finished build to download");
  }
  const stored = await store.getBuildOutput(scope, session.id, session.runAttempt).catch((err: unknown) => {
    throw isTabflowError(err, "not_found") ? new TabflowError("not_found", "the build's zip is gone; retry the build") : err;
  });
  return { bytes: stored.bytes, filename: stored.filename, sha256: stored.sha256 };
}

const STAGE_LABELS: Record<Stage, string> = {
  plan: "planning",
  generate: "generating files",
  check: "checking the output",
  package: "packaging",
  report: "writing the report",
};

function percentOf(stage: Stage, filesDone: number, total: number): number {
  if (stage === "plan") return 2;
  if (stage === "generate") return Math.round(5 + (75 * filesDone) / Math.max(total, 1));
  return { check: 85, package: 92, report: 98 }[stage];
}

type Steps = NonNullable<BuildProgress["steps"]>;
type StepStatus = Steps[number]["status"];

/** Where the real check is: each of its steps' status and time (in memory: a resumed check starts over). */
interface CheckView {
  steps: CheckStep[];
  quick?: StepStatus;
  status: Partial<Record<CheckStep, { status: StepStatus; elapsedMs?: number }>>;
}

function stepList(current: Stage, failed = false, check?: CheckView): Steps {
  const at = STAGES.indexOf(current);
  const out: Steps = [];
  STAGES.forEach((s, i) => {
    const status: StepStatus = i < at ? "done" : i === at ? (failed ? "failed" : "running") : "pending";
    if (s !== "check" || !check?.steps.length) {
      out.push({ name: STAGE_LABELS[s], status });
      return;
    }
    out.push({ name: STAGE_LABELS.check, status: i < at ? "done" : i > at ? "pending" : (check.quick ?? status) });
    for (const c of check.steps) {
      const known = check.status[c];
      out.push({ name: CHECK_STEP_LABELS[c], status: i < at ? "done" : known?.status ?? "pending", ...(known?.elapsedMs !== undefined ? { elapsedMs: known.elapsedMs } : {}) });
    }
  });
  return out;
}

/** The spec's data files each, then the fixed code by folder. */
function fileGroup(p: string): string {
  if (["README.md", "package.json", "spec.json", "lib/app-schema.json"].includes(p)) return p;
  return p.includes("/") ? p.slice(0, p.indexOf("/")) : "root";
}

async function findArtifact(ctx: WorkflowContext, type: string): Promise<ArtifactRecord | undefined> {
  return (await ctx.store.listSessionArtifacts(ctx.scope, ctx.session.id)).find((a) => a.type === type && a.createdBySessionId === ctx.session.id);
}

async function runBuild(ctx: WorkflowContext): Promise<void> {
  const { scope, session, store } = ctx;
  const parsed = checkpointSchema.safeParse(session.runCheckpoint);
  if (!parsed.success) {
    await ctx.setRun({ state: "failed", error: "the build has no valid spec to build from", ifStateIn: ["running"] });
    await ctx.say("This build has no valid spec to build from.", { role: "system" });
    return;
  }
  const cp = { ...parsed.data };
  const files = planProject(cp.spec);
  const paths = buildPaths(ctx.dataDir, session.id, session.runAttempt, cp.slug);
  const attempt = session.runAttempt;

  let progress = await findArtifact(ctx, "build_progress");
  if (!progress) {
    progress = await store.createArtifactInstance(scope, {
      type: "build_progress",
      title: "Build progress",
      state: { percent: 0, step: "queued", steps: stepList("plan") },
      createdBySessionId: session.id,
    });
    await store.attachArtifactToSession(scope, session.id, progress.id);
    ctx.publishArtifact(progress);
  }

  const updateProgress = async (patch: Partial<BuildProgress>) => {
    for (let tries = 0; tries < 3; tries++) {
      try {
        progress = await store.updateArtifactState(scope, progress!.id, { expectedVersion: progress!.version, patch });
        ctx.publishArtifact(progress);
        return;
      } catch (err) {
        if (!isTabflowError(err, "conflict")) throw err;
        progress = await store.getArtifactInstance(scope, progress!.id);
      }
    }
  };

  /** Persists where the build is; a Stop recorded meanwhile ends the job here. */
  const checkpoint = async (step: string) => {
    try {
      await ctx.setRun({ state: "running", step, checkpoint: cp as never, ifStateIn: ["running"] });
    } catch (err) {
      if (isTabflowError(err, "conflict")) throw new JobAbort("stopped");
      throw err;
    }
  };

  const verify: BuildVerify = ctx.buildVerify ?? "off";
  const check: CheckView = { steps: checkStepsFor(verify), status: {} };
  const steps = (failed = false) => stepList(cp.stage, failed, check);

  const announce = async (text: string, key: string, percent = percentOf(cp.stage, cp.filesDone, files.length)) => {
    await ctx.say(text, { role: "agent", kind: "progress", extra: { percent, step: STAGE_LABELS[cp.stage] }, key: `build:${attempt}:${key}` });
    await updateProgress({ percent, step: text, steps: steps() });
  };

  const enter = async (stage: Stage) => {
    if (ctx.signal.aborted) throw ctx.signal.reason instanceof JobAbort ? ctx.signal.reason : new JobAbort("stopped");
    cp.stage = stage;
    await ctx.testHooks?.beforeBuildStep?.(stage, session);
  };

  const saveReport = async (state: BuildReport) => {
    const existing = await findArtifact(ctx, "build_report");
    const report = existing
      ? await store.updateArtifactState(scope, existing.id, {
          expectedVersion: existing.version,
          // A merge patch: keys this state lacks (the error of a failed attempt) are removed.
          patch: { error: null, downloadUrl: null, ...state } as never,
        })
      : await store.createArtifactInstance(scope, { type: "build_report", title: "Build report", state, createdBySessionId: session.id });
    if (!existing) await store.attachArtifactToSession(scope, session.id, report.id);
    ctx.publishArtifact(report);
  };

  const pace = () => (ctx.buildPaceMs > 0 ? sleep(ctx.buildPaceMs, undefined, { signal: ctx.signal }).catch(() => {}) : Promise.resolve());

  try {
    await restoreEarlierOutput(cp, files, paths);
    if (cp.stage === "plan") {
      await enter("plan");
      await checkpoint(STAGE_LABELS.plan);
      await announce(`Planning ${files.length} files for "${cp.spec.name}" (spec version ${cp.specVersion}).`, "plan");
      cp.stage = "generate";
      await checkpoint(STAGE_LABELS.generate);
    }
    if (cp.stage === "generate") {
      while (cp.filesDone < files.length) {
        await enter("generate");
        const file = files[cp.filesDone]!;
        const bytes = await writeProjectFile(paths.projectDir, file);
        cp.filesDone++;
        await checkpoint(`generating files (${cp.filesDone}/${files.length})`);
        await announce(`Generated ${file.path} (${bytes} bytes) — ${cp.filesDone}/${files.length}`, `file:${cp.filesDone}`);
        // The pause is per group of files (the data files, then app/, components/, lib/, …).
        const next = files[cp.filesDone];
        if (!next || fileGroup(next.path) !== fileGroup(file.path)) await pace();
      }
      cp.stage = "check";
      await checkpoint(STAGE_LABELS.check);
    }
    let outputs: { path: string; bytes: number }[] = [];
    if (cp.stage === "check") {
      await enter("check");
      // The heavy stage waits for its turn (BUILD_CONCURRENCY per node), visibly.
      const release = await waitForCompileSlot(ctx, STAGE_LABELS.check, (step) => updateProgress({ step, steps: steps() }));
      try {
        await ctx.testHooks?.beforeBuildStep?.("compile", session);
        outputs = await quickCheck(paths.projectDir, files);
        check.quick = "done";
        await announce(`Checked ${outputs.length} files: all written, the spec and the schema are valid, the migrations run.`, "check");
        await verifyProject({
          projectDir: paths.projectDir,
          checkDir: paths.checkDir,
          dataDir: ctx.dataDir,
          verify,
          signal: ctx.signal,
          onStep: async (step, status, elapsedMs, detail) => {
            check.status[step] = { status, ...(status === "running" ? {} : { elapsedMs }) };
            const index = check.steps.indexOf(step);
            const percent = Math.round(80 + (12 * (index + (status === "running" ? 0 : 1))) / check.steps.length);
            const label = CHECK_STEP_LABELS[step];
            if (status === "running") await updateProgress({ percent, step: `${label[0]!.toUpperCase()}${label.slice(1)}…`, steps: steps() });
            else if (status === "done") await announce(`Check passed: ${label} (${(elapsedMs / 1000).toFixed(1)} s).`, `check:${step}`, percent);
            else await updateProgress({ steps: steps(true), step: `failed while ${label}` });
            void detail;
          },
        });
      } finally {
        release();
      }
      cp.stage = "package";
      await checkpoint(STAGE_LABELS.package);
    }
    if (cp.stage === "package") {
      await enter("package");
      if (!outputs.length) outputs = await quickCheck(paths.projectDir, files);
      const zipBytes = await packageProject(paths.projectDir, files, paths.zipPath, cp.slug);
      // Stored where every node can serve it (the database), not only in this node's DATA_DIR.
      await store.saveBuildOutput(scope, session.id, { attempt, filename: `${cp.slug}.zip` }, await readFile(paths.zipPath));
      await announce(`Packaged ${cp.slug}.zip (${zipBytes} bytes).`, "package");
      cp.stage = "report";
      await checkpoint(STAGE_LABELS.report);
    }
    await enter("report");
    if (!outputs.length) outputs = await quickCheck(paths.projectDir, files);
    const reportState = {
      status: "succeeded" as const,
      files: outputs,
      totalBytes: outputs.reduce((n, f) => n + f.bytes, 0),
      downloadUrl: buildDownloadUrl(session.id),
    };
    await saveReport(reportState);
    cp.stage = "report";
    await updateProgress({ percent: 100, step: "done", steps: stepList("report", false, check).map((s) => ({ ...s, status: "done" as const })) });
    await ctx.say(`Build finished: ${outputs.length} files, ${reportState.totalBytes} bytes. Download ${cp.slug}.zip from the Build report.`, {
      extra: { downloadUrl: reportState.downloadUrl },
      key: `build:${attempt}:done`,
    });
    await ctx.setRun({ state: "succeeded", step: "done", error: null, checkpoint: cp as never, ifStateIn: ["running"] });
    ctx.publisher.sessionChanged(await store.completeWorkflowSession(scope, session.id));
  } catch (err) {
    if (err instanceof JobAbort || ctx.signal.aborted) {
      // Stop: the runtime recorded "stopped". Shutdown: stay "running" so a restart resumes.
      if ((ctx.signal.reason as JobAbort | undefined)?.reason !== "shutdown") {
        await updateProgress({ step: `stopped during ${STAGE_LABELS[cp.stage]}`, steps: steps(true) }).catch(() => {});
        await removeBuildOutput(paths.attemptDir);
      }
      throw err instanceof JobAbort ? err : new JobAbort("stopped");
    }
    const reason = (err as Error).message || "unknown error";
    const where = err instanceof CheckFailure ? CHECK_STEP_LABELS[err.step] : STAGE_LABELS[cp.stage];
    ctx.logger.warn({ err, sessionId: session.id, stage: cp.stage, step: err instanceof CheckFailure ? err.step : undefined }, "build step failed");
    // Output and explanation first, the state last: a tab that sees "failed" finds the reason.
    await removeBuildOutput(paths.attemptDir);
    if (!(err instanceof CheckFailure)) await updateProgress({ step: `failed while ${where}`, steps: steps(true) }).catch(() => {});
    await saveReport({ status: "failed", files: [], totalBytes: 0, error: `Failed while ${where}:\n${reason}`.slice(0, 2000) }).catch((e) => ctx.logger.warn({ err: e }, "could not save the failed build's report"));
    await ctx.say(`Build failed while ${where}: ${reason}\n\nUse "Retry build" to try again.`, { role: "system", key: `build:${attempt}:failed` });
    await ctx.setRun({ state: "failed", error: `${where}: ${reason}`.slice(0, 2000), ifStateIn: ["running", "queued"] }).catch(() => {});
    // Its buttons depend on the run state (Retry appears now): send it again.
    if (progress) ctx.publishArtifact(progress);
  }
}

/**
 * A run resumed on another node (cluster mode, where each node may have its own DATA_DIR) may
 * not find what the earlier node wrote. The files are a pure function of the spec, so the
 * missing ones are written again (and the zip re-made if the run was past packaging).
 */
async function restoreEarlierOutput(cp: BuildCheckpoint, files: ReturnType<typeof planProject>, paths: ReturnType<typeof buildPaths>): Promise<void> {
  const exists = (p: string) => stat(p).then(() => true, () => false);
  const written = cp.stage === "plan" ? 0 : cp.stage === "generate" ? cp.filesDone : files.length;
  for (const file of files.slice(0, written)) {
    if (!(await exists(path.join(paths.projectDir, file.path)))) await writeProjectFile(paths.projectDir, file);
  }
  if (cp.stage === "report" && !(await exists(paths.zipPath))) await packageProject(paths.projectDir, files, paths.zipPath, cp.slug);
}

const retryBuild: ArtifactAction = {
  id: "retry_build",
  label: "Retry build",
  artifactTypes: ["build_progress"],
  availability(_artifact, session) {
    if (session.workflowName !== "build" || session.status !== "IN_PROGRESS") return undefined;
    if (session.runState === "failed" || session.runState === "stopped") return { enabled: true };
    return undefined;
  },
  async perform(ctx) {
    // Build from the newest version of the spec it came from (a fix in the Generator is
    // picked up), falling back to the spec the failed attempt used.
    const previous = checkpointSchema.safeParse(ctx.session.runCheckpoint);
    let spec = previous.success ? previous.data.spec : undefined;
    let version = previous.success ? previous.data.specVersion : 1;
    if (ctx.session.sourceArtifactId) {
      const source = await ctx.store.getArtifactInstance(ctx.scope, ctx.session.sourceArtifactId).catch(() => undefined);
      const parsed = source && appSpecState.safeParse(source.state);
      if (source && parsed?.success) {
        spec = parsed.data;
        version = source.version;
      }
    }
    if (!spec) throw new Error("no spec to build from");
    await removeBuildOutput(buildPaths(ctx.dataDir, ctx.session.id, 0, "x").sessionDir);
    await ctx.store.deleteBuildOutput(ctx.scope, ctx.session.id);
    await ctx.say(`Retrying the build from spec version ${version}.`, { role: "system", key: `retry:${ctx.session.runAttempt}` });
    await ctx.restartJob(freshBuildCheckpoint(spec, version));
    return { sessionId: ctx.session.id };
  },
};

export const buildWorkflow: WorkflowDefinition = {
  name: "build",
  title: "Build",
  description: "Builds a project skeleton from an app spec",
  startable: false,
  job: { run: runBuild, resumable: true },
  actions: [retryBuild],
};
