/**
 * The build line (issue 15, part 4): with BUILD_CONCURRENCY=1 a second Build waits visibly
 * ("Queued (1st in line)" on its tab and in its progress artifact), follows the line as it
 * moves, and runs by itself; Stop works while queued; a restart recovers queued builds (they
 * queue again and finish: nothing is left stuck). Through the real runtime and socket protocol.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import type { SessionSummary } from "../lib/realtime/protocol.ts";
import { workflowsOf } from "../lib/realtime/socket-server.ts";
import type { Scope, SessionRecord } from "../lib/store/index.ts";
import { createOfflineAgent } from "../lib/workflows/agents/offline-agent.ts";
import { createCompileQueue, ordinal, queuedStep } from "../lib/workflows/build/compile-queue.ts";
import { createWorkflowRuntime, type WorkflowRuntime } from "../lib/workflows/runtime.ts";
import type { TestHooks } from "../lib/workflows/types.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";
import { ok, record, request, startRealtimeServer, withTimeout, type RealtimeHarness } from "./helpers/realtime.ts";

describe("the compile queue", () => {
  it("grants slots FIFO up to its limit, tells waiters their place as the line moves, and drops aborted waiters at once", async () => {
    const q = createCompileQueue(1);
    const positions: Record<string, number[]> = { b: [], c: [], d: [] };
    const releaseA = await q.acquire("a", { signal: new AbortController().signal });
    const order: string[] = [];
    const stopC = new AbortController();
    const b = q.acquire("b", { signal: new AbortController().signal, onPosition: (p) => positions.b!.push(p) }).then((r) => (order.push("b"), r));
    const c = q.acquire("c", { signal: stopC.signal, onPosition: (p) => positions.c!.push(p) });
    const d = q.acquire("d", { signal: new AbortController().signal, onPosition: (p) => positions.d!.push(p) }).then((r) => (order.push("d"), r));
    assert.deepEqual(q.stats(), { running: 1, waiting: 3, limit: 1 });
    stopC.abort(new Error("stopped"));
    await assert.rejects(c, /stopped/);
    assert.deepEqual(q.stats(), { running: 1, waiting: 2, limit: 1 });
    releaseA();
    releaseA(); // a second release is a no-op, not a second slot
    const releaseB = await b;
    assert.deepEqual(q.stats(), { running: 1, waiting: 1, limit: 1 });
    releaseB();
    (await d)();
    assert.deepEqual(order, ["b", "d"]);
    assert.deepEqual(positions.b, [1], "b joined 1st and stayed 1st until its turn (c leaving behind it does not move it)");
    assert.deepEqual(positions.c, [2]);
    assert.deepEqual(positions.d, [3, 2, 1], "d moved up when c left and when b got its slot");
    assert.deepEqual(q.stats(), { running: 0, waiting: 0, limit: 1 });
  });

  it("says places in English", () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 102, 111].map(ordinal), ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "102nd", "111th"]);
    assert.equal(queuedStep(2), "Queued (2nd in line)");
  });
});

for (const provider of PROVIDERS) {
  describe(`the build line on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    let dataDir: string;
    let userCount = 0;
    const newUser = (): Scope => ({ enterpriseId: "acme", appId: "app", userId: `queue-user-${++userCount}` });
    const harnesses: RealtimeHarness[] = [];

    /** A server whose runtime has a line of one (BUILD_CONCURRENCY=1), as server.ts builds it. */
    async function server(hooks: TestHooks) {
      const h = await startRealtimeServer(t.store, {
        workflows: (publisher) =>
          createWorkflowRuntime({
            store: t.store,
            publisher,
            logger: pino({ level: "silent" }),
            agent: createOfflineAgent(),
            dataDir,
            buildPaceMs: 0,
            testHooks: hooks,
            compileQueue: createCompileQueue(1),
          }),
      });
      harnesses.push(h);
      return { h, runtime: workflowsOf(h.io)! as WorkflowRuntime };
    }

    before(async () => {
      t = await createTestDatabase(provider);
      dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-queue-"));
    });
    after(async () => {
      for (const h of harnesses) {
        await workflowsOf(h.io)?.close();
        await h.close();
      }
      await t?.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function startBuild(socket: TabflowSocket, runtime: WorkflowRuntime, text: string): Promise<string> {
      const gen = await ok(socket, "session:create", { workflowName: "generator" });
      await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const artifacts = record(socket, "artifact:updated");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: `d-${gen.id}`, text });
      const [update] = await artifacts.until((a) => a.some((x) => x.artifact.type === "app_spec"), "the app spec");
      await runtime.whenIdle(gen.id);
      const { sessionId } = await ok(socket, "artifact:action", { artifactId: update!.artifact.id, action: "start_build" });
      return sessionId!;
    }

    async function untilSession(socket: TabflowSocket, id: string, predicate: (s: SessionSummary) => boolean, what: string) {
      const updates = record(socket, "session:updated");
      const now = (await ok(socket, "session:list", { statuses: ["IN_PROGRESS", "COMPLETED", "ARCHIVED"] })).find((s) => s.id === id);
      if (now && predicate(now)) return now;
      const items = await updates.until((u) => u.some((s) => s.id === id && predicate(s)), what);
      return items.filter((s) => s.id === id).at(-1)!;
    }

    /** Holds the first build that reaches its compile slot until release(). */
    function holdFirstCompile() {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let reached!: (id: string) => void;
      const holding = new Promise<string>((r) => (reached = r));
      let holder: string | undefined;
      const hooks: TestHooks = {
        beforeBuildStep: async (step, session: SessionRecord) => {
          if (step !== "compile" || holder) return;
          holder = session.id;
          reached(session.id);
          await gate;
        },
      };
      return { hooks, release, holding };
    }

    const progressStep = async (socket: TabflowSocket, id: string) => {
      const joined = await ok(socket, "session:join", { sessionId: id, afterSeq: 0 });
      return String((joined.artifacts.find((a) => a.type === "build_progress")?.state as { step?: string } | undefined)?.step);
    };

    it("with BUILD_CONCURRENCY=1 the second build shows Queued, moves up, and runs by itself; Stop works while queued", async () => {
      const hold = holdFirstCompile();
      const { h, runtime } = await server(hold.hooks);
      const scope = newUser();
      const socket = await h.connect(scope);
      const summaries = record(socket, "session:updated");
      try {
        const a = await startBuild(socket, runtime, "A gym workout tracker where members log workouts with exercises, sets and reps.");
        assert.equal(await withTimeout(hold.holding, "build A to hold the compile slot"), a);
        const b = await startBuild(socket, runtime, "An expense tracker where I record expenses with amount, category and date.");
        const queuedB = await untilSession(socket, b, (s) => s.run.state === "queued" && s.run.step === "Queued (1st in line)", "build B queued 1st");
        assert.equal(queuedB.status, "IN_PROGRESS");
        const c = await startBuild(socket, runtime, "A library app where members borrow books with title, author and due date.");
        await untilSession(socket, c, (s) => s.run.state === "queued" && s.run.step === "Queued (2nd in line)", "build C queued 2nd");
        assert.equal(await progressStep(socket, b), "Queued (1st in line)", "B's progress artifact says its place");
        assert.equal(await progressStep(socket, c), "Queued (2nd in line)");
        assert.deepEqual(runtime.compileQueue.stats(), { running: 1, waiting: 2, limit: 1 });

        // Stop while queued: B leaves the line at once, C moves up.
        const stopped = await ok(socket, "run:stop", { sessionId: b });
        assert.equal(stopped.run.state, "stopped");
        await untilSession(socket, c, (s) => s.run.state === "queued" && s.run.step === "Queued (1st in line)", "build C to move up to 1st");
        assert.equal(await progressStep(socket, c), "Queued (1st in line)");
        assert.deepEqual(runtime.compileQueue.stats(), { running: 1, waiting: 1, limit: 1 });
        const joinedB = await ok(socket, "session:join", { sessionId: b, afterSeq: 0 });
        assert.ok(joinedB.messages.some((m) => /Stopped by you while it waited in the build line/.test(String(m.content.text))));
        const retry = joinedB.artifacts.find((x) => x.type === "build_progress")!.actions.find((x) => x.id === "retry_build");
        assert.equal(retry?.enabled, true, "a build stopped while queued offers Retry build");

        hold.release();
        const [doneA, doneC] = await Promise.all([
          untilSession(socket, a, (s) => s.status === "COMPLETED", "build A to finish"),
          untilSession(socket, c, (s) => s.status === "COMPLETED", "build C to start by itself and finish"),
        ]);
        assert.equal(doneA.run.state, "succeeded");
        assert.equal(doneC.run.state, "succeeded");
        const cStates = summaries.items.filter((s) => s.id === c).map((s) => s.run.state);
        const firstQueued = cStates.indexOf("queued");
        assert.ok(firstQueued >= 0 && cStates.indexOf("running", firstQueued) > firstQueued, `C went queued → running: ${cStates.join(" ")}`);
        assert.equal((await t.store.getWorkflowSession(scope, b)).runState, "stopped", "B stays stopped (it never ran after the Stop)");
        assert.deepEqual(runtime.compileQueue.stats(), { running: 0, waiting: 0, limit: 1 });
        const again = await request(socket, "run:stop", { sessionId: c });
        assert.equal(again.ok ? "ok" : again.error.code, "conflict");
      } finally {
        hold.release();
      }
    });

    it("a restart recovers queued builds: they queue again and finish, none is left stuck", async () => {
      const hold = holdFirstCompile();
      const first = await server(hold.hooks);
      const scope = newUser();
      const socket = await first.h.connect(scope);
      const a = await startBuild(socket, first.runtime, "A plant watering tracker where I track plants with name, species and last watered date.");
      await withTimeout(hold.holding, "build A to hold the compile slot");
      const b = await startBuild(socket, first.runtime, "A support ticket app where customers open tickets with subject, description and priority.");
      await untilSession(socket, b, (s) => s.run.state === "queued", "build B queued");
      // Shutdown: jobs stop where they are and keep their state ("running", "queued").
      const closing = first.runtime.close();
      hold.release();
      await closing;
      assert.equal((await t.store.getWorkflowSession(scope, b)).runState, "queued", "B is still recorded queued after the shutdown");

      const second = await server({});
      const recovered = await second.runtime.recover();
      assert.ok(recovered.resumed >= 2, `both builds resumed (${JSON.stringify(recovered)})`);
      const socket2 = await second.h.connect(scope);
      await Promise.all([
        untilSession(socket2, a, (s) => s.status === "COMPLETED", "build A to finish after the restart"),
        untilSession(socket2, b, (s) => s.status === "COMPLETED", "build B to queue again and finish"),
      ]);
      for (const id of [a, b]) assert.equal((await t.store.getWorkflowSession(scope, id)).runState, "succeeded");
      const stuck = (await t.store.listSessionsByRunState(["running", "queued"])).filter((s) => s.userId === scope.userId);
      assert.deepEqual(stuck.map((s) => s.id), [], "nothing left running or queued");
      const download = await second.runtime.download(scope, b);
      assert.ok(download.bytes.byteLength > 0);
    });
  });
}
