import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attentionOf, wantsUser } from "../components/attention.ts";

const run = (state: string, status = "IN_PROGRESS") => ({ status, run: { state, step: null, error: null } }) as Parameters<typeof attentionOf>[0];

describe("attention states", () => {
  it("names what each run state and status wants from the user", () => {
    assert.equal(attentionOf(run("waiting_input")), "needs_you");
    assert.equal(attentionOf(run("running")), "running");
    assert.equal(attentionOf(run("queued")), "queued");
    assert.equal(attentionOf(run("failed")), "failed");
    assert.equal(attentionOf(run("succeeded", "COMPLETED")), "finished");
    assert.equal(attentionOf(run("waiting_input", "COMPLETED")), "finished", "a completed session waits for nobody");
    assert.equal(attentionOf(run("idle")), "idle");
    assert.equal(attentionOf(run("stopped")), "idle");
  });
  it("counts needing you always, finished and failed only while unseen", () => {
    assert.equal(wantsUser("needs_you", 0), true);
    assert.equal(wantsUser("finished", 0), false);
    assert.equal(wantsUser("finished", 2), true);
    assert.equal(wantsUser("failed", 1), true);
    assert.equal(wantsUser("running", 5), false);
  });
});
