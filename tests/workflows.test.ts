/**
 * The workflow runtime through the real socket protocol: Generator → App spec → Start Build →
 * a Build that really writes, checks and zips a project; stop, failure and retry; isolation.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { unzipSync } from "fflate";
import pino from "pino";
import { createTabflowClient, type TabflowSocket } from "../lib/realtime/client.ts";
import type { ArtifactDto, JoinResult, SessionSummary } from "../lib/realtime/protocol.ts";
import { workflowsOf } from "../lib/realtime/socket-server.ts";
import type { Scope } from "../lib/store/index.ts";
import { createOfflineAgent } from "../lib/workflows/agents/offline-agent.ts";
import { createWorkflowRuntime, type WorkflowRuntime } from "../lib/workflows/runtime.ts";
import type { TestHooks } from "../lib/workflows/types.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";
import { ok, record, request, startRealtimeServer, waitForState, withTimeout, type RealtimeHarness } from "./helpers/realtime.ts";

const DESCRIPTION = "A recipe sharing app where users post recipes with ingredients, steps and cooking time, and others can comment on them.";

for (const provider of PROVIDERS) {
  describe(`workflows on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    let h: RealtimeHarness;
    let runtime: WorkflowRuntime;
    let dataDir: string;
    const hooks: TestHooks = {};
    let userCount = 0;
    const newUser = (): Scope => ({ enterpriseId: "acme", appId: "app", userId: `user-${++userCount}` });

    before(async () => {
      t = await createTestDatabase(provider);
      dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-wf-"));
      h = await startRealtimeServer(t.store, {
        workflows: (publisher) =>
          createWorkflowRuntime({
            store: t.store,
            publisher,
            logger: pino({ level: "silent" }),
            agent: createOfflineAgent(),
            dataDir,
            buildPaceMs: 0,
            testHooks: hooks,
          }),
      });
      runtime = workflowsOf(h.io)!;
    });
    after(async () => {
      await runtime?.close();
      await h?.close();
      await t?.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** A Generator session with the description sent, and its spec artifact. */
    async function specFor(socket: TabflowSocket, text = DESCRIPTION) {
      const gen = await ok(socket, "session:create", { workflowName: "generator" });
      await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const artifacts = record(socket, "artifact:updated");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: `d-${gen.id}`, text });
      const [update] = await artifacts.until((a) => a.some((x) => x.artifact.type === "app_spec"), "the app spec");
      await runtime.whenIdle(gen.id);
      return { gen, spec: update!.artifact };
    }

    async function untilSession(socket: TabflowSocket, id: string, predicate: (s: SessionSummary) => boolean, what: string) {
      const updates = record(socket, "session:updated");
      const now = (await ok(socket, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] })).find((s) => s.id === id);
      if (now && predicate(now)) return now;
      const items = await updates.until((u) => u.some((s) => s.id === id && predicate(s)), what);
      return items.filter((s) => s.id === id).at(-1)!;
    }

    it("lists the workflows a user can start", async () => {
      const socket = await h.connect(newUser());
      const list = await ok(socket, "workflow:list", undefined);
      assert.deepEqual(list.map((w) => [w.name, w.startable]), [["generator", true], ["build", false]]);
      const refused = await request(socket, "session:create", { workflowName: "build" });
      assert.equal(refused.ok ? "ok" : refused.error.code, "blocked");
      const unknown = await request(socket, "session:create", { workflowName: "nope" });
      assert.equal(unknown.ok ? "ok" : unknown.error.code, "invalid_payload");
    });

    it("Generator greets, turns a description into an App spec with Start Build, and asks when unclear", async () => {
      const socket = await h.connect(newUser());
      const gen = await ok(socket, "session:create", { workflowName: "generator" });
      assert.equal(gen.run.state, "waiting_input");
      const joined: JoinResult = await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      assert.match(String(joined.messages[0]?.content.text), /Describe the app/);
      const news = record(socket, "message:new");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "vague", text: "hi" });
      await news.until((m) => m.some((x) => x.role === "agent"), "a clarifying question");
      assert.equal((await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 })).artifacts.length, 0, "no empty spec");

      const { spec } = await specFor(socket);
      assert.equal(spec.title, "App spec");
      assert.equal(spec.version, 1);
      const state = spec.state as { name: string; entities: { name: string }[]; pages: { path: string }[] };
      assert.ok(state.entities.some((e) => e.name === "Recipe"), JSON.stringify(state.entities));
      assert.ok(state.pages.some((p) => p.path === "/recipes"));
      assert.deepEqual(spec.actions, [{ id: "start_build", label: "Start Build", enabled: true }]);
      const renamed = (await ok(socket, "session:list", {})).filter((s) => s.workflowName === "generator").map((s) => s.title);
      assert.ok(renamed.includes(state.name), `the Generator tab is named after the app: ${renamed.join(", ")}`);
    });

    it("a clarifying question leaves the session waiting for the user; the next answer clears it", async () => {
      const socket = await h.connect(newUser());
      const gen = await ok(socket, "session:create", { workflowName: "generator" });
      await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "vague-q", text: "can you build me something nice?" });
      await runtime.whenIdle(gen.id);
      const asked = await untilSession(socket, gen.id, (s) => s.run.state === "waiting_input" && s.run.step === "needs more detail", "the question");
      assert.equal(asked.run.error, null);
      const updates = record(socket, "session:updated");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "answer-q", text: "my wine cellar: bottles with vintage, grape, region and price paid" });
      const seen = await updates.until((u) => u.some((s) => s.id === gen.id && s.run.state === "idle" && /^spec v1/.test(s.run.step ?? "")), "the spec after the answer");
      const mine = seen.filter((s) => s.id === gen.id);
      const running = mine.findIndex((s) => s.run.state === "running");
      assert.ok(running >= 0, "the answer puts the session back to running");
      assert.ok(!mine.slice(running).some((s) => s.run.step === "needs more detail"), "the question's state is cleared once the answer is being read");
      assert.notEqual(mine.at(-1)!.run.step, "needs more detail");
      await runtime.whenIdle(gen.id);
    });

    it("refining the spec makes a new version of the same artifact", async () => {
      const socket = await h.connect(newUser());
      const { gen, spec } = await specFor(socket, "A bookstore inventory app that tracks books with title, author, price and stock.");
      const updates = record(socket, "artifact:updated");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "refine", text: "add a comments entity" });
      const [next] = await updates.until((u) => u.some((x) => x.artifact.id === spec.id && x.artifact.version === 2), "version 2");
      const entities = (next!.artifact.state as { entities: { name: string }[] }).entities.map((e) => e.name);
      assert.ok(entities.includes("Comment"), entities.join(","));
      const joined = await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      assert.deepEqual(joined.artifacts.map((a) => [a.id, a.version]), [[spec.id, 2]], "one artifact, at its newest version");
    });

    it("Start Build creates a Build session with lineage, leaves the Generator in progress, and builds a real project", async () => {
      const scope = newUser();
      const socket = await h.connect(scope);
      const { gen, spec } = await specFor(socket);
      const { sessionId } = await ok(socket, "artifact:action", { artifactId: spec.id, action: "start_build", sessionId: gen.id });
      assert.ok(sessionId);
      const build = await ok(socket, "session:join", { sessionId: sessionId!, afterSeq: 0 });
      assert.equal(build.session.workflowName, "build");
      assert.equal(build.session.parentSessionId, gen.id);
      assert.equal(build.session.sourceArtifactId, spec.id);
      assert.ok(build.artifacts.some((a) => a.id === spec.id), "the spec is attached to the build");
      const done = await untilSession(socket, sessionId!, (s) => s.status === "COMPLETED", "the build to complete");
      assert.equal(done.run.state, "succeeded");
      const genNow = await ok(socket, "session:list", {});
      assert.ok(genNow.some((s) => s.id === gen.id && s.status === "IN_PROGRESS"), "the Generator stays IN_PROGRESS");

      const final = await ok(socket, "session:join", { sessionId: sessionId!, afterSeq: 0 });
      const report = final.artifacts.find((a) => a.type === "build_report") as ArtifactDto;
      const progress = final.artifacts.find((a) => a.type === "build_progress") as ArtifactDto;
      assert.equal((progress.state as { percent: number }).percent, 100);
      const reportState = report.state as { status: string; files: { path: string; bytes: number }[]; downloadUrl: string };
      assert.equal(reportState.status, "succeeded");
      assert.equal(reportState.downloadUrl, `/api/builds/${sessionId}/download`);
      const paths = reportState.files.map((f) => f.path);
      for (const p of ["README.md", "package.json", "tsconfig.json", "lib/app-schema.json", "app/layout.tsx", "app/[entity]/page.tsx", "app/[entity]/[id]/page.tsx", "app/api/[entity]/route.ts"]) assert.ok(paths.includes(p), p);
      const seqs = final.messages.map((m) => m.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
      assert.ok(final.messages.some((m) => m.kind === "progress"));

      const zip = await runtime.download(scope, sessionId!);
      assert.equal(zip.filename.endsWith(".zip"), true);
      const files = unzipSync(zip.bytes);
      const names = Object.keys(files).map((n) => n.split("/").slice(1).join("/"));
      assert.deepEqual(new Set(names), new Set(paths));
      const schema = JSON.parse(new TextDecoder().decode(files[Object.keys(files).find((n) => n.endsWith("/lib/app-schema.json"))!])) as { entities: { name: string; key: string }[] };
      assert.ok(schema.entities.some((e) => e.name === "Recipe" && e.key === "recipes"), JSON.stringify(schema.entities.map((e) => e.key)));

      // A second build from a newer spec version is another Build session.
      await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const updates = record(socket, "artifact:updated");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "more", text: "add a tags entity" });
      await updates.until((u) => u.some((x) => x.artifact.id === spec.id && x.artifact.version === 2), "spec v2");
      await runtime.whenIdle(gen.id);
      const second = await ok(socket, "artifact:action", { artifactId: spec.id, action: "start_build", sessionId: gen.id });
      assert.notEqual(second.sessionId, sessionId);
      await untilSession(socket, second.sessionId!, (s) => s.status === "COMPLETED", "the second build");
    });

    it("two builds at once for one user both finish, and a client that left mid-build catches up exactly", async () => {
      const scope = newUser();
      const socket = await h.connect(scope);
      const a = await specFor(socket, "A gym workout tracker where members log workouts with exercises, sets and reps.");
      const b = await specFor(socket, "An expense tracker where I record expenses with amount, category and date.");
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      hooks.beforeBuildStep = async (step) => {
        if (step === "check") await gate;
      };
      try {
        const [ba, bb] = await Promise.all([
          ok(socket, "artifact:action", { artifactId: a.spec.id, action: "start_build" }),
          ok(socket, "artifact:action", { artifactId: b.spec.id, action: "start_build" }),
        ]);
        const watcherSocket = await h.connect(scope);
        const watcher = createTabflowClient(watcherSocket);
        await watcher.show(ba.sessionId!);
        watcherSocket.disconnect(); // goes away while the build goes on
        release();
        await Promise.all([
          untilSession(socket, ba.sessionId!, (s) => s.status === "COMPLETED", "build A"),
          untilSession(socket, bb.sessionId!, (s) => s.status === "COMPLETED", "build B"),
        ]);
        watcherSocket.connect();
        const state = await waitForState(watcher, (s) => s.connected && s.current?.session?.status === "COMPLETED", "the watcher to catch up");
        const stored = (await t.store.listMessages(scope, ba.sessionId!, 0, 1000)).messages;
        assert.deepEqual(state.current!.messages.map((m) => m.seq), stored.map((m) => m.seq));
        assert.deepEqual(stored.map((m) => m.seq), stored.map((_, i) => i + 1));
        const progressTexts = stored.filter((m) => m.kind === "progress").map((m) => m.content.text);
        assert.equal(new Set(progressTexts).size, progressTexts.length, "every progress message once");
        watcher.dispose();
      } finally {
        hooks.beforeBuildStep = undefined;
        release();
      }
    });

    it("Stop stops a run and says so; Retry builds again", async () => {
      const scope = newUser();
      const socket = await h.connect(scope);
      const { spec } = await specFor(socket, "A plant watering tracker where I track plants with name, species and last watered date.");
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let reached!: () => void;
      const atGenerate = new Promise<void>((r) => (reached = r));
      hooks.beforeBuildStep = async (step) => {
        if (step === "generate") {
          reached();
          await gate;
        }
      };
      try {
        const { sessionId } = await ok(socket, "artifact:action", { artifactId: spec.id, action: "start_build" });
        await withTimeout(atGenerate, "the build to reach generate");
        const stopping = ok(socket, "run:stop", { sessionId: sessionId! });
        await untilSession(socket, sessionId!, (s) => s.run.state === "stopped", "stopped");
        release();
        const stopped = await stopping;
        assert.equal(stopped.run.state, "stopped");
        assert.equal(stopped.status, "IN_PROGRESS");
        hooks.beforeBuildStep = undefined;
        const joined = await ok(socket, "session:join", { sessionId: sessionId!, afterSeq: 0 });
        assert.ok(joined.messages.some((m) => /Stopped by you/.test(String(m.content.text))));
        const again = await request(socket, "run:stop", { sessionId: sessionId! });
        assert.equal(again.ok ? "ok" : again.error.code, "conflict");
        const progress = joined.artifacts.find((a) => a.type === "build_progress")!;
        assert.deepEqual(progress.actions.map((x) => [x.id, x.enabled]), [["retry_build", true]]);
        await ok(socket, "artifact:action", { artifactId: progress.id, action: "retry_build", sessionId: sessionId! });
        const done = await untilSession(socket, sessionId!, (s) => s.status === "COMPLETED", "the retried build");
        assert.equal(done.run.state, "succeeded");
      } finally {
        hooks.beforeBuildStep = undefined;
        release();
      }
    });

    it("a failing step fails the run with the reason in the chat, and Retry works", async () => {
      const scope = newUser();
      const socket = await h.connect(scope);
      const { spec } = await specFor(socket, "A support ticket app where customers open tickets with subject, description and priority.");
      let failures = 0;
      hooks.beforeBuildStep = (step) => {
        if (step === "check" && failures++ === 0) throw new Error("disk quota exceeded (test fault)");
      };
      try {
        const { sessionId } = await ok(socket, "artifact:action", { artifactId: spec.id, action: "start_build" });
        const failed = await untilSession(socket, sessionId!, (s) => s.run.state === "failed", "the failure");
        assert.equal(failed.status, "IN_PROGRESS");
        assert.match(failed.run.error ?? "", /disk quota exceeded/);
        const joined = await ok(socket, "session:join", { sessionId: sessionId!, afterSeq: 0 });
        assert.ok(joined.messages.some((m) => /Build failed while checking the output: disk quota exceeded/.test(String(m.content.text))));
        const progress = joined.artifacts.find((a) => a.type === "build_progress")!;
        await ok(socket, "artifact:action", { artifactId: progress.id, action: "retry_build", sessionId: sessionId! });
        await untilSession(socket, sessionId!, (s) => s.status === "COMPLETED", "the retried build");
        const zip = await runtime.download(scope, sessionId!);
        assert.ok(zip.bytes.byteLength > 0, "the retried attempt's zip is served");
        assert.equal((await t.store.getBuildOutput(scope, sessionId!, 2)).filename, zip.filename);
      } finally {
        hooks.beforeBuildStep = undefined;
      }
    });

    it("refuses other users' specs, unknown actions and specs that cannot be built, with typed errors", async () => {
      const owner = newUser();
      const socket = await h.connect(owner);
      const { gen, spec } = await specFor(socket);
      const rows = await t.store.countRows();
      const mallory = await h.connect(newUser());
      const stolen = await request(mallory, "artifact:action", { artifactId: spec.id, action: "start_build" });
      assert.equal(stolen.ok ? "ok" : stolen.error.code, "not_found");
      const unknown = await request(socket, "artifact:action", { artifactId: spec.id, action: "launch_rockets" });
      assert.equal(unknown.ok ? "ok" : unknown.error.code, "invalid_payload");
      const stop = await request(mallory, "run:stop", { sessionId: gen.id });
      assert.equal(stop.ok ? "ok" : stop.error.code, "not_found");
      await assert.rejects(runtime.download({ ...owner, userId: "mallory" }, gen.id), /not_found|no finished build|not found/);
      assert.deepEqual(await t.store.countRows(), rows);

      const empty = await t.store.createArtifactInstance(owner, {
        type: "app_spec",
        title: "App spec",
        state: { name: "Empty", summary: "", features: [], entities: [], pages: [] },
        createdBySessionId: gen.id,
      });
      await t.store.attachArtifactToSession(owner, gen.id, empty.id);
      const blocked = await request(socket, "artifact:action", { artifactId: empty.id, action: "start_build", sessionId: gen.id });
      assert.equal(blocked.ok ? "ok" : blocked.error.code, "blocked");
      assert.match(blocked.ok ? "" : blocked.error.message, /no data entities/);
    });

    it("holds no per-session state for idle sessions", async () => {
      await h.settle();
      assert.deepEqual(runtime.stats(), { queues: 0, jobs: 0 });
    });
  });
}
