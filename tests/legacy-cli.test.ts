/** The import command as an operator runs it: counts printed, bad lines listed, rerun is a no-op. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "./helpers/server-process.ts";

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), "tabflow-legacy-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function importFile(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/import-legacy.ts", file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATA_DIR: path.join(dir, "data") },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run import:legacy", () => {
  it("imports a mongoexport dump into the embedded database, reports bad lines, and imports nothing twice", async () => {
    const file = path.join(dir, "sessions.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ _id: { $oid: "650000000000000000000001" }, status: "PAUSED", workflow_name: "Generator", user_id: "u1", messages: [{ role: "user", content: "hi", sequence: 1 }] }),
        JSON.stringify({ chat_id: "c2", status: 1, workflow_name: "Build", user_id: "u1" }),
        "not json",
      ].join("\n"),
    );
    const first = await importFile(file);
    assert.equal(first.code, 2, "some records were invalid");
    assert.match(first.stdout, /imported 2, skipped 0 \(already imported\), invalid 1/);
    assert.match(first.stderr, /skipped line 3: not valid JSON/);
    const second = await importFile(file);
    assert.match(second.stdout, /imported 0, skipped 2 \(already imported\), invalid 1/);
  });

  it("says how to use it when the file is missing", async () => {
    const res = await importFile(path.join(dir, "nope.json"));
    assert.equal(res.code, 1);
    assert.match(res.stderr, /cannot read .*nope\.json/);
  });
});
