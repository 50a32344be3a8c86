/**
 * Reconnect storm (issue 8): 200 clients spread over two nodes watch sessions whose builds are
 * running; all of them disconnect and reconnect within a second. Each re-joins with the seq it
 * holds (the one resume path) and must end with exactly its session's persisted sequence.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTabflowClient, type TabflowClient, type TabflowSocket } from "../lib/realtime/client.ts";
import { postgresSkipReason } from "./helpers/databases.ts";
import { connected } from "./helpers/realtime.ts";
import { clusterSocket, credentialsFor, eventually, must, redisSkipReason, startBuildThrough, startCluster, storedMessages, type TestCluster } from "./helpers/cluster.ts";

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
const CLIENTS = 200;
const USERS = 5;
const BUILDS_PER_USER = 2;

describe("reconnect storm over two nodes", { skip }, () => {
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  const clients: TabflowClient[] = [];
  before(async () => {
    cluster = await startCluster(2, { env: { BUILD_PACE_MS: "1500" } });
  });
  after(async () => {
    for (const c of clients) c.dispose();
    for (const s of sockets) s.close();
    await cluster?.cleanup();
  });

  it(`${CLIENTS} clients disconnect and reconnect within a second and each ends with its session's exact sequence`, async () => {
    const nodes = cluster.nodes;
    // Builds: BUILDS_PER_USER for each of USERS users, started through alternating nodes.
    const builds: { buildId: string; cookie: string; control: TabflowSocket }[] = [];
    for (let u = 0; u < USERS; u++) {
      const { cookie } = await credentialsFor(cluster, nodes[u % 2]!, `storm-${u}`);
      const control = await connected(clusterSocket(nodes[u % 2]!, cookie));
      sockets.push(control);
      for (let k = 0; k < BUILDS_PER_USER; k++) builds.push({ buildId: (await startBuildThrough(control)).buildId, cookie, control });
    }
    // Clients: client i watches build i % builds, through node i % 2.
    const watchers: { client: TabflowClient; socket: TabflowSocket; buildId: string; node: number }[] = [];
    for (let i = 0; i < CLIENTS; i += 20) {
      watchers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, CLIENTS - i) }, async (_, j) => {
            const n = i + j;
            const build = builds[n % builds.length]!;
            const socket = await connected(clusterSocket(nodes[n % 2]!, build.cookie, { reconnection: false }));
            sockets.push(socket);
            const client = createTabflowClient(socket, { timeoutMs: 60_000 });
            clients.push(client);
            await client.show(build.buildId);
            return { client, socket, buildId: build.buildId, node: n % 2 };
          }),
        )),
      );
    }
    const running = async () => {
      let count = 0;
      for (const b of builds) {
        const j = await must<{ session: { run: { state: string } } }>(b.control, "session:join", { sessionId: b.buildId, afterSeq: 0 });
        if (j.session.run.state === "running") count++;
      }
      return count;
    };
    const runningAtStorm = await running();
    assert.ok(runningAtStorm > 0, "builds are running when the storm hits");

    // The storm: everyone drops, then comes back at a random moment within one second.
    const heldBefore = watchers.reduce((n, w) => n + (w.client.getState().current?.messages.length ?? 0), 0);
    const stormStart = Date.now();
    let lastReconnectAsked = 0;
    for (const w of watchers) w.socket.disconnect();
    await Promise.all(
      watchers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            setTimeout(() => {
              w.socket.once("connect", () => resolve());
              w.socket.once("connect_error", reject);
              lastReconnectAsked = Date.now() - stormStart;
              w.socket.connect();
            }, Math.random() * 1000);
          }),
      ),
    );

    const stormMs = Date.now() - stormStart;
    await eventually(async () => (await running()) === 0, "every build to finish", 300_000);
    const stored = new Map<string, number[]>();
    for (const b of builds) stored.set(b.buildId, (await storedMessages(b.control, b.buildId)).map((m) => m.seq));
    for (const seqs of stored.values()) assert.deepEqual(seqs, seqs.map((_, i) => i + 1), "seq 1..n in the database");
    const held = (w: (typeof watchers)[number]) => w.client.getState().current?.messages.map((m) => m.seq) ?? [];
    await eventually(() => watchers.every((w) => held(w).length === stored.get(w.buildId)!.length), "every client to catch up", 60_000).catch(() => undefined);
    let exact = 0;
    const wrong: string[] = [];
    for (const w of watchers) {
      const h = held(w);
      const s = stored.get(w.buildId)!;
      if (JSON.stringify(h) === JSON.stringify(s)) exact++;
      else wrong.push(`${w.buildId} on node ${w.node}: held ${h.length} (${h.slice(0, 3).join(",")}…${h.slice(-3).join(",")}) of ${s.length}`);
    }
    const total = [...stored.values()].reduce((n, s) => n + s.length, 0);
    const heldAfter = watchers.reduce((n, w) => n + held(w).length, 0);
    const expectedHeld = watchers.reduce((n, w) => n + stored.get(w.buildId)!.length, 0);
    console.log(
      `# reconnect storm: ${CLIENTS} clients (${watchers.filter((w) => w.node === 0).length} on node A, ${watchers.filter((w) => w.node === 1).length} on node B) on ${builds.length} sessions, ` +
        `${runningAtStorm}/${builds.length} builds running at the storm; ${CLIENTS} disconnects, every reconnect started within ${lastReconnectAsked} ms, all connected again after ${stormMs} ms; ` +
        `${total} messages persisted over the ${builds.length} sessions; clients held ${heldBefore} messages before the storm and ${heldAfter} after (expected ${expectedHeld}); ` +
        `${exact}/${CLIENTS} clients hold exactly the persisted sequence (${wrong.length} with a gap or duplicate)`,
    );
    assert.deepEqual(wrong, [], "every client holds exactly its session's persisted sequence");
    assert.equal(exact, CLIENTS);
  });
});
