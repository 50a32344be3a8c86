/**
 * Scale-out crash tests (issue 8): the node running a Build is killed with SIGKILL. Its BullMQ
 * lock expires, another node's stalled check takes the job and resumes the build from its
 * persisted checkpoint (first suite), or, once a run has lost its node more often than allowed,
 * the run is marked failed with a message (second suite). Either way every message is there
 * once (seq 1..n) and no session stays "running".
 */
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { after, before, describe, it } from "node:test";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { postgresSkipReason } from "./helpers/databases.ts";
import { connected } from "./helpers/realtime.ts";
import type { ServerProcess } from "./helpers/server-process.ts";
import { clusterSocket, credentialsFor, eventually, must, nodeRunning, redisSkipReason, startBuildThrough, startCluster, storedMessages, type TestCluster } from "./helpers/cluster.ts";

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
/** Short locks so a dead node's run moves on within seconds (the defaults are 10 s / 5 s). */
const FAST_FAILOVER = { BUILD_PACE_MS: "400", RUN_LOCK_MS: "3000", RUN_STALLED_CHECK_MS: "1000" };

type Msg = { sessionId: string; seq: number; kind: string; role: string; content: Record<string, unknown> };

async function killRunnerMidBuild(cluster: TestCluster, sockets: TabflowSocket[]) {
  const { cookie } = await credentialsFor(cluster, cluster.nodes[0]!, 1);
  const clients = await Promise.all(cluster.nodes.map(async (n) => ({ node: n, socket: await connected(clusterSocket(n, cookie, { reconnection: false })) })));
  sockets.push(...clients.map((c) => c.socket));
  const { buildId } = await startBuildThrough(clients[0]!.socket);
  const progress: Msg[] = [];
  for (const c of clients) {
    c.socket.on("message:new", (m) => {
      if ((m as unknown as Msg).sessionId === buildId && m.kind === "progress") progress.push(m as unknown as Msg);
    });
    await must(c.socket, "session:join", { sessionId: buildId, afterSeq: 0 });
  }
  const runner = await eventually(() => nodeRunning(cluster.nodes, buildId), "a node to pick up the build");
  await eventually(() => new Set(progress.map((m) => m.seq)).size >= 3, "three progress messages");
  const stepAtKill = (await must<{ session: { run: { step: string | null; state: string } } }>(clients.find((c) => c.node !== runner)!.socket, "session:join", { sessionId: buildId, afterSeq: 0 })).session.run;
  assert.equal(stepAtKill.state, "running", "killed mid-run");
  runner.child.kill("SIGKILL");
  const killedAt = Date.now();
  await runner.stop();
  const survivor = clients.find((c) => c.node !== runner)!;
  return { buildId, runner, survivor: survivor.node as ServerProcess, socket: survivor.socket, killedAt, cookie };
}

function assertCompleteOnce(messages: Msg[]) {
  assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i + 1), "seq 1..n: nothing lost");
  const progress = messages.filter((m) => m.kind === "progress").map((m) => String(m.content.text));
  assert.equal(new Set(progress).size, progress.length, `no progress message twice: ${progress.join(" | ")}`);
}

describe("kill -9 of the node running a Build", { skip }, () => {
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  before(async () => {
    cluster = await startCluster(2, { env: FAST_FAILOVER });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await cluster?.cleanup();
  });

  it("the other node resumes it from the checkpoint: the build succeeds, every message once, the zip downloads there", async () => {
    const { buildId, survivor, socket, killedAt, cookie } = await killRunnerMidBuild(cluster, sockets);
    const resumedAt = await eventually(() => new RegExp(`"sessionId":"${buildId}"[^\\n]*"resumed":true[^\\n]*running a queued run on this node`).test(survivor.output()) && Date.now(), "the survivor to resume the build", 60_000);
    const done = await eventually(async () => {
      const j = await must<{ session: { status: string; run: { state: string } } }>(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
      // A successful build records "succeeded", then completes its session: wait for both.
      return j.session.run.state === "failed" || j.session.status === "COMPLETED" ? j.session : undefined;
    }, "the resumed build to finish", 120_000);
    assert.equal(done.run.state, "succeeded");
    assert.equal(done.status, "COMPLETED");
    const messages = await storedMessages(socket, buildId);
    assertCompleteOnce(messages as Msg[]);
    assert.ok(messages.some((m) => /stopped; resuming from .* on another server/.test(String(m.content.text))), "the chat says it resumed");
    // The survivor has its own DATA_DIR: the files the dead node wrote were restored there.
    const download = await fetch(`${survivor.url}/api/builds/${buildId}/download`, { headers: { cookie } });
    assert.equal(download.status, 200, survivor.output().slice(-3000));
    const files = Object.keys(unzipSync(new Uint8Array(await download.arrayBuffer())));
    assert.ok(files.some((f) => f.endsWith("/README.md")) && files.some((f) => f.endsWith("/lib/app-schema.json")), files.join(","));
    console.log(`# kill -9: run resumed on the other node ${((resumedAt - killedAt) / 1000).toFixed(1)} s after the kill (lock ${FAST_FAILOVER.RUN_LOCK_MS} ms, stalled check ${FAST_FAILOVER.RUN_STALLED_CHECK_MS} ms); ${messages.length} messages, seq 1..${messages.length}`);
  });
});

describe("kill -9 when a run may not lose its node again (RUN_MAX_STALLED=0)", { skip }, () => {
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  before(async () => {
    cluster = await startCluster(2, { env: { ...FAST_FAILOVER, RUN_MAX_STALLED: "0" } });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await cluster?.cleanup();
  });

  it("marks the run failed with a message within a bounded time; nothing lost or repeated, nothing left running; Retry build works", async () => {
    const { buildId, socket, killedAt } = await killRunnerMidBuild(cluster, sockets);
    const done = await eventually(async () => {
      const j = await must<{ session: { status: string; run: { state: string; error: string | null } } }>(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
      return j.session.run.state !== "running" ? j.session : undefined;
    }, "the run to be marked failed", 60_000);
    const seconds = (Date.now() - killedAt) / 1000;
    assert.equal(done.run.state, "failed");
    assert.equal(done.status, "IN_PROGRESS", "still open, so Retry build is offered");
    const messages = await storedMessages(socket, buildId);
    assertCompleteOnce(messages as Msg[]);
    assert.match(String(messages.at(-1)!.content.text), /marked failed: no server could finish it .*Retry build/);
    console.log(`# kill -9 with RUN_MAX_STALLED=0: run marked failed ${seconds.toFixed(1)} s after the kill ("${done.run.error}")`);

    // The failed run offers Retry build, and a retry runs (on whichever node takes it) to the end.
    const joined = await must<{ artifacts: { id: string; type: string; actions: { id: string; enabled: boolean }[] }[] }>(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
    const progressCard = joined.artifacts.find((x) => x.type === "build_progress")!;
    assert.ok(progressCard.actions.some((x) => x.id === "retry_build" && x.enabled), "Retry build is offered");
    await must(socket, "artifact:action", { artifactId: progressCard.id, action: "retry_build", sessionId: buildId });
    const retried = await eventually(async () => {
      const j = await must<{ session: { status: string; run: { state: string } } }>(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
      return j.session.run.state === "failed" || j.session.status === "COMPLETED" ? j.session : undefined;
    }, "the retried build to finish", 120_000);
    assert.equal(retried.run.state, "succeeded");
    const all = await storedMessages(socket, buildId);
    assert.deepEqual(all.map((m) => m.seq), all.map((_, i) => i + 1), "seq 1..n after the retry");
  });
});
