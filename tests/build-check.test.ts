/**
 * The Build's real check, end to end, with BUILD_VERIFY on: one spec of our own (an enum, money,
 * a many-to-one, a many-to-many, a self-reference, SQL keywords as field names) goes through the
 * Build workflow. The first attempt has a compile error injected into the generated project and
 * must fail at type-checking with the compiler's message in the chat and the report; Retry runs
 * every step (install, type-check, production build, start, pages, CRUD, stop, the app's tests)
 * and succeeds. This is the one full compile of the suite.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { chromium } from "@playwright/test";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { unzipSync } from "fflate";
import pino from "pino";
import type { ArtifactDto, SessionSummary } from "../lib/realtime/protocol.ts";
import { workflowsOf } from "../lib/realtime/socket-server.ts";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import type { Scope } from "../lib/store/index.ts";
import { createOfflineAgent } from "../lib/workflows/agents/offline-agent.ts";
import { buildPaths } from "../lib/workflows/build/output.ts";
import { slugify } from "../lib/workflows/build/project.ts";
import { startInSandbox } from "../lib/workflows/build/sandbox.ts";
import { createWorkflowRuntime, type WorkflowRuntime } from "../lib/workflows/runtime.ts";
import type { TestHooks } from "../lib/workflows/types.ts";
import { CLUB_SPEC } from "./fixtures/build-spec.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.ts";
import { ok, startRealtimeServer, type RealtimeHarness } from "./helpers/realtime.ts";

type Steps = { name: string; status: string; elapsedMs?: number }[];

describe("Build with the real check (BUILD_VERIFY=on)", () => {
  let t: TestDatabase;
  let h: RealtimeHarness;
  let runtime: WorkflowRuntime;
  let dataDir: string;
  const hooks: TestHooks = {};
  const scope: Scope = { enterpriseId: "acme", appId: "app", userId: "builder" };

  before(async () => {
    t = await createTestDatabase("sqlite");
    dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-check-"));
    h = await startRealtimeServer(t.store, {
      workflows: (publisher) =>
        createWorkflowRuntime({ store: t.store, publisher, logger: pino({ level: "silent" }), agent: createOfflineAgent(), dataDir, buildPaceMs: 0, buildVerify: "full", testHooks: hooks }),
    });
    runtime = workflowsOf(h.io)!;
  });
  after(async () => {
    await runtime?.close();
    await h?.close();
    await t?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function until(socket: TabflowSocket, id: string, predicate: (s: SessionSummary) => boolean, timeoutMs: number): Promise<SessionSummary> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = (await ok(socket, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED"] })).find((x) => x.id === id);
      if (s && predicate(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out; run is ${JSON.stringify(s?.run)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  it("fails on an injected compile error with the compiler's message, then Retry builds, starts and exercises the app", { timeout: 1_200_000 }, async (ctx) => {
    const socket = await h.connect(scope);
    const gen = await ok(socket, "session:create", { workflowName: "generator" });
    const spec = await t.store.createArtifactInstance(scope, { type: "app_spec", title: "App spec", state: CLUB_SPEC, createdBySessionId: gen.id });
    await t.store.attachArtifactToSession(scope, gen.id, spec.id);

    let injected = 0;
    hooks.beforeBuildStep = (step, session) => {
      if (step !== "check" || injected++ > 0) return;
      const { projectDir } = buildPaths(dataDir, session.id, session.runAttempt, slugify(CLUB_SPEC.name));
      appendFileSync(path.join(projectDir, "lib", "format.ts"), '\nexport const injected: number = "not a number";\n');
    };
    try {
      const { sessionId } = await ok(socket, "artifact:action", { artifactId: spec.id, action: "start_build", sessionId: gen.id });
      const failed = await until(socket, sessionId!, (s) => s.run.state === "failed", 300_000);
      assert.match(failed.run.error ?? "", /type-checking: .*lib\/format\.ts.*error TS2322/s);
      let joined = await ok(socket, "session:join", { sessionId: sessionId!, afterSeq: 0 });
      const failure = joined.messages.find((m) => /^Build failed while type-checking: /.test(String(m.content.text)));
      assert.ok(failure, joined.messages.map((m) => m.content.text).join("\n"));
      assert.match(String(failure.content.text), /lib\/format\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
      const failedReport = joined.artifacts.find((a) => a.type === "build_report")!.state as { status: string; error?: string };
      assert.equal(failedReport.status, "failed");
      assert.match(failedReport.error ?? "", /error TS2322/);
      let progress = joined.artifacts.find((a) => a.type === "build_progress") as ArtifactDto;
      const failedSteps = (progress.state as { steps: Steps }).steps;
      assert.equal(failedSteps.find((s) => s.name === "type-checking")?.status, "failed");
      assert.equal(failedSteps.find((s) => s.name === "installing dependencies")?.status, "done");
      assert.equal(failedSteps.find((s) => s.name === "production build")?.status, "pending");
      assert.deepEqual(progress.actions.map((a) => [a.id, a.enabled]), [["retry_build", true]]);

      await ok(socket, "artifact:action", { artifactId: progress.id, action: "retry_build", sessionId: sessionId! });
      const done = await until(socket, sessionId!, (s) => s.status === "COMPLETED" || s.run.state === "failed", 1_100_000);
      assert.equal(done.run.state, "succeeded", done.run.error ?? "");

      joined = await ok(socket, "session:join", { sessionId: sessionId!, afterSeq: 0 });
      progress = joined.artifacts.find((a) => a.type === "build_progress") as ArtifactDto;
      const steps = (progress.state as { steps: Steps }).steps;
      const checkSteps = ["installing dependencies", "type-checking", "production build", "starting the app", "requesting every page", "create, edit, delete of every entity", "the forms: create, validation, edit, delete", "stopping the app", "running the app's tests"];
      for (const name of checkSteps) {
        const s = steps.find((x) => x.name === name);
        assert.equal(s?.status, "done", name);
        assert.equal(typeof s?.elapsedMs, "number", `${name} has its time`);
      }
      ctx.diagnostic(`check step times: ${checkSteps.map((n) => `${n} ${((steps.find((x) => x.name === n)!.elapsedMs ?? 0) / 1000).toFixed(1)} s`).join("; ")}`);
      const texts = joined.messages.map((m) => String(m.content.text));
      for (const name of checkSteps) assert.ok(texts.some((x) => x.startsWith(`Check passed: ${name} (`)), name);
      const report = joined.artifacts.find((a) => a.type === "build_report")!.state as { status: string; error?: string; downloadUrl?: string };
      assert.equal(report.status, "succeeded");
      assert.equal(report.error, undefined, "the failed attempt's error is gone");

      const zip = await runtime.download(scope, sessionId!);
      const names = Object.keys(unzipSync(zip.bytes)).map((n) => n.split("/").slice(1).join("/"));
      assert.ok(names.includes("lib/app-schema.json") && names.includes("package.json") && names.includes("tsconfig.json"));
      for (const n of names) assert.ok(!/^(node_modules|\.next|data|\.home)\//.test(n) && !n.endsWith(".tsbuildinfo"), `the zip has ${n}`);

      await useTheAppInABrowser(path.join(dataDir, "builds", sessionId!));
    } finally {
      hooks.beforeBuildStep = undefined;
    }
  });
});

/**
 * The checked app, started again from the check's folder (in the sandbox), used through its
 * forms as a person would: the check itself drives the JSON API, this covers the server actions.
 */
async function useTheAppInABrowser(sessionDir: string): Promise<void> {
  const [attempt] = readdirSync(sessionDir).filter((d) => d.startsWith("attempt-"));
  const checkDir = path.join(sessionDir, attempt!, "check");
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = await startInSandbox(process.execPath, [path.join(checkDir, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: checkDir, port, timeoutMs: 60_000 });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole("navigation").getByRole("link", { name: "Players" }).click();
    await page.getByRole("heading", { level: 1, name: "Players" }).waitFor();
    assert.equal(await page.getByRole("table").getByRole("row").count(), 4, "a header and three seeded rows");
    await page.getByRole("link", { name: "New player" }).click();
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("alert").filter({ hasText: "Full name is required" }).waitFor();
    await page.getByLabel("Full name", { exact: true }).fill("Zoe Park");
    await page.getByLabel("Birth date", { exact: true }).fill("2016-05-01");
    await page.getByLabel("Position", { exact: true }).selectOption("defender");
    await page.getByLabel("Team", { exact: true }).selectOption({ index: 2 });
    await page.getByLabel("Parent's email", { exact: true }).fill("not an email");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("alert").filter({ hasText: "must be an email address" }).waitFor();
    await page.getByLabel("Parent's email", { exact: true }).fill("parent@example.com");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "Zoe Park" }).waitFor();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Full name", { exact: true }).fill("Zoe Parker");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { level: 1, name: "Zoe Parker" }).waitFor();
    await page.goto(`${server.url}/training-sessions/new`);
    await page.getByLabel("Title", { exact: true }).fill("Friday drills");
    await page.getByLabel("Starts at", { exact: true }).fill("2026-05-01T17:00");
    await page.getByLabel("Attendees", { exact: true }).selectOption({ label: "Zoe Parker" });
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "Friday drills" }).waitFor();
    await page.getByRole("link", { name: "Zoe Parker" }).click();
    await page.getByRole("link", { name: "Friday drills" }).waitFor(); // the other side of the many-to-many
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("heading", { level: 1, name: "Players" }).waitFor();
    assert.equal(await page.getByText("Zoe Parker").count(), 0);
    await page.goto(`${server.url}/kit-orders`);
    assert.match(await page.getByRole("table").innerText(), /£\d/, "money in its currency");
  } finally {
    await browser.close();
    await server.stop();
  }
}

function chromiumPath(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(candidate) ? candidate : undefined;
}
