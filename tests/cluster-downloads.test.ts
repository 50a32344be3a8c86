/**
 * Downloads on every node (issue 15, part 6): a build's zip is stored in the shared database,
 * so the node that did not run the build (its own DATA_DIR, which never held the files)
 * serves the download, to the owner only.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { unzipSync } from "fflate";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { postgresSkipReason } from "./helpers/databases.ts";
import { connected } from "./helpers/realtime.ts";
import { clusterSocket, credentialsFor, eventually, must, nodeRunning, redisSkipReason, startBuildThrough, startCluster, type TestCluster } from "./helpers/cluster.ts";

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

describe("build downloads in cluster mode", { skip }, () => {
  let cluster: TestCluster;
  const sockets: TabflowSocket[] = [];
  before(async () => {
    cluster = await startCluster(2, { env: { BUILD_PACE_MS: "0" } });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await cluster?.cleanup();
  });

  it("serves a build's zip through the node that did not run it, to its owner only", async () => {
    const [a, b] = cluster.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const { cookie } = await credentialsFor(cluster, a, "download-owner");
    const other = await credentialsFor(cluster, a, "download-other");
    const onA = await connected(clusterSocket(a, cookie));
    sockets.push(onA);
    const { buildId } = await startBuildThrough(onA);
    await eventually(async () => (await must(onA, "session:join", { sessionId: buildId, afterSeq: 0 })).session.run.state === "succeeded", "the build to succeed", 120_000);
    const runner = nodeRunning(cluster.nodes, buildId);
    assert.ok(runner, "one node logged running the build");
    const elsewhere = runner === a ? b : a;
    console.log(`# build ran on node ${runner === a ? "A" : "B"}; downloading through node ${elsewhere === a ? "A" : "B"}`);

    const res = await fetch(`${elsewhere.url}/api/builds/${buildId}/download`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/zip");
    const bytes = new Uint8Array(await res.arrayBuffer());
    // (No content-length check: Next may compress the response on the way out.)
    assert.equal(res.headers.get("etag"), `"${createHash("sha256").update(bytes).digest("hex")}"`);
    const names = Object.keys(unzipSync(bytes)).map((n) => n.split("/").slice(1).join("/"));
    for (const f of ["README.md", "package.json"]) assert.ok(names.includes(f), `${f} in ${names.join(", ")}`);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="[a-z0-9-]+\.zip"$/);

    const fromRunner = await fetch(`${runner!.url}/api/builds/${buildId}/download`, { headers: { cookie } });
    assert.deepEqual(new Uint8Array(await fromRunner.arrayBuffer()), bytes, "both nodes serve the same bytes");

    const stranger = await fetch(`${elsewhere.url}/api/builds/${buildId}/download`, { headers: { cookie: other.cookie } });
    assert.equal(stranger.status, 404);
    assert.equal(((await stranger.json()) as { error: { code: string } }).error.code, "not_found");
    assert.equal((await fetch(`${elsewhere.url}/api/builds/${buildId}/download`)).status, 401);
  });
});
