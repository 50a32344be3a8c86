/**
 * A server killed (SIGKILL) in the middle of a build and started again resumes the build from
 * its checkpoint: the run ends, every message is there once, and the zip downloads through the
 * app's own URL, for its owner only.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { unzipSync } from "fflate";
import type { TabflowSocket } from "../lib/realtime/client.ts";
import { connectAs, signUp } from "./helpers/auth.ts";
import { ok, record } from "./helpers/realtime.ts";
import { startServerProcess } from "./helpers/server-process.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-restart-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function socketFor(url: string, cookie: string): Promise<TabflowSocket> {
  return connectAs(url, cookie);
}

describe("a server killed mid-build", () => {
  it("resumes the build after a restart, with no message lost or repeated, and serves the zip to its owner only", async () => {
    const env = { DATA_DIR: dataDir, BUILD_PACE_MS: "300" };
    const first = await startServerProcess(env);
    let cookie = "";
    let buildId = "";
    try {
      cookie = (await signUp(first.url)).cookie;
      const socket = await socketFor(first.url, cookie);
      const gen = await ok(socket, "session:create", { workflowName: "generator" });
      await ok(socket, "session:join", { sessionId: gen.id, afterSeq: 0 });
      const artifacts = record(socket, "artifact:updated");
      await ok(socket, "message:send", { sessionId: gen.id, clientMessageId: "describe", text: "A blog where authors write posts with a title and body, and readers comment on posts." });
      const [spec] = await artifacts.until((a) => a.some((x) => x.artifact.type === "app_spec"), "the spec");
      buildId = (await ok(socket, "artifact:action", { artifactId: spec!.artifact.id, action: "start_build" })).sessionId!;
      const messages = record(socket, "message:new");
      await ok(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
      await messages.until((m) => m.filter((x) => x.kind === "progress").length >= 3, "a few files to be generated");
      socket.close();
    } finally {
      first.child.kill("SIGKILL");
      await first.stop();
    }

    const second = await startServerProcess(env);
    try {
      const socket = await socketFor(second.url, cookie);
      const updates = record(socket, "session:updated");
      const joined = await ok(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
      if (joined.session.status !== "COMPLETED") {
        await updates.until((u) => u.some((s) => s.id === buildId && s.status === "COMPLETED"), "the resumed build to complete");
      }
      const final = await ok(socket, "session:join", { sessionId: buildId, afterSeq: 0 });
      assert.equal(final.session.run.state, "succeeded");
      const seqs = final.messages.map((m) => m.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), "seq 1..n with no gap");
      const texts = final.messages.filter((m) => m.kind === "progress").map((m) => String(m.content.text));
      assert.equal(new Set(texts).size, texts.length, `no progress message twice: ${texts.join(" | ")}`);
      assert.ok(final.messages.some((m) => /server restarted during this run; resuming/.test(String(m.content.text))));
      socket.close();

      const download = await fetch(`${second.url}/api/builds/${buildId}/download`, { headers: { cookie } });
      assert.equal(download.status, 200, second.output());
      assert.equal(download.headers.get("content-type"), "application/zip");
      const files = Object.keys(unzipSync(new Uint8Array(await download.arrayBuffer())));
      assert.ok(files.some((f) => f.endsWith("/README.md")) && files.some((f) => f.endsWith("/lib/app-schema.json")), files.join(","));

      assert.equal((await fetch(`${second.url}/api/builds/${buildId}/download`)).status, 401);
      const stranger = (await signUp(second.url)).cookie;
      assert.equal((await fetch(`${second.url}/api/builds/${buildId}/download`, { headers: { cookie: stranger } })).status, 404);
    } finally {
      assert.equal(await second.stop(), 0, second.output());
    }
  });
});
