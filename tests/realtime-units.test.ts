/**
 * The realtime layer's pure parts, without a server: identity tokens and the client's
 * per-session cache (de-duplication by seq, gap detection, artifact versions).
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import {
  identityCookieHeader,
  IdentityTokenError,
  issueIdentityToken,
  readIdentityCookie,
  verifyIdentityToken,
  type IdentityFailure,
} from "./helpers/test-identity-token.ts";
import type { ArtifactDto, MessageDto } from "../lib/realtime/protocol.ts";
import { emptyCache, hasGap, heldSeq, mergeArtifacts, mergeMessages } from "../lib/realtime/session-cache.ts";
import type { Scope } from "../lib/store/index.ts";

const SECRET = "unit-test-secret-0123456789-abcdefghij";
const alice: Scope = { enterpriseId: "acme", appId: "app-1", userId: "alice" };

function failsWith(reason: IdentityFailure, fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof IdentityTokenError && err.reason === reason);
}

describe("identity tokens", () => {
  it("round-trips the scope until the token expires", () => {
    const now = Date.UTC(2030, 0, 1);
    const token = issueIdentityToken(alice, SECRET, 60, now);
    assert.deepEqual(verifyIdentityToken(token, SECRET, now + 59_000), alice);
    failsWith("expired", () => verifyIdentityToken(token, SECRET, now + 60_000));
  });

  it("refuses tampering, other secrets and junk", () => {
    const token = issueIdentityToken(alice, SECRET);
    const [body, mac] = token.split(".") as [string, string];
    const asBob = Buffer.from(Buffer.from(body, "base64url").toString().replace("alice", "bob")).toString("base64url");
    failsWith("bad_signature", () => verifyIdentityToken(`${asBob}.${mac}`, SECRET));
    failsWith("bad_signature", () => verifyIdentityToken(`${body}.${mac.slice(0, -2)}`, SECRET));
    failsWith("bad_signature", () => verifyIdentityToken(token, `${SECRET}-rotated`));
    failsWith("missing", () => verifyIdentityToken(undefined, SECRET));
    failsWith("missing", () => verifyIdentityToken("", SECRET));
    for (const junk of ["x", "a.b.c", `${body}.`, `.${mac}`, "é.é", { token }, 7, "x".repeat(5000)]) {
      failsWith("malformed", () => verifyIdentityToken(junk, SECRET));
    }
    // A correctly signed payload that is not a scope is still refused.
    const odd = Buffer.from(JSON.stringify({ scope: { userId: "x" }, exp: 9e9 })).toString("base64url");
    const signed = `${odd}.${createHmac("sha256", SECRET).update(odd).digest("base64url")}`;
    failsWith("malformed", () => verifyIdentityToken(signed, SECRET));
  });

  it("refuses to sign or check with a short secret", () => {
    assert.throws(() => issueIdentityToken(alice, "short"), /at least 32/);
    assert.throws(() => verifyIdentityToken("a.b", "short"), /at least 32/);
  });

  it("reads and writes the identity cookie", () => {
    const token = issueIdentityToken(alice, SECRET);
    assert.equal(readIdentityCookie(`a=1; tabflow_identity=${token}; b=2`), token);
    assert.equal(readIdentityCookie("tabflow_identity_old=1"), undefined);
    assert.equal(readIdentityCookie(undefined), undefined);
    assert.match(identityCookieHeader(token, { maxAgeSeconds: 60, secure: true }), /^tabflow_identity=[\w.-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=60; Secure$/);
  });
});

const msg = (seq: number): MessageDto => ({
  sessionId: "s",
  seq,
  role: "agent",
  kind: "text",
  content: { text: `m${seq}` },
  clientMessageId: null,
  createdAt: new Date(0).toISOString(),
});
const art = (id: string, version: number): ArtifactDto => ({
  id,
  type: "notes",
  title: id,
  state: { version },
  version,
  createdBySessionId: null,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  actions: [],
});

describe("the client's session cache", () => {
  it("keeps messages contiguous by seq, ignoring duplicates and holding what arrives past a gap", () => {
    const cache = emptyCache();
    assert.equal(mergeMessages(cache, [msg(2), msg(1), msg(1)]), true);
    assert.deepEqual(cache.messages.map((m) => m.seq), [1, 2]);
    assert.equal(mergeMessages(cache, [msg(2)]), false, "a duplicate changes nothing");
    const before = cache.messages;
    mergeMessages(cache, [msg(5)]);
    assert.equal(cache.messages, before, "nothing past a gap is shown");
    assert.equal(hasGap(cache), true);
    assert.equal(heldSeq(cache), 2, "a re-join or fill asks for what follows 2");
    mergeMessages(cache, [msg(3), msg(4)]);
    assert.deepEqual(cache.messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
    assert.equal(hasGap(cache), false);
    assert.notEqual(cache.messages, before, "a change replaces the array (UIs compare by reference)");
  });

  it("keeps the highest version of each artifact; a join's list replaces the set", () => {
    const cache = emptyCache();
    mergeArtifacts(cache, [art("a", 2), art("b", 1)], true);
    assert.equal(mergeArtifacts(cache, [art("a", 1)], false), false, "an older version loses");
    assert.equal(mergeArtifacts(cache, [art("b", 3)], false), true);
    assert.equal(mergeArtifacts(cache, [art("c", 1)], false), true);
    assert.deepEqual(cache.artifacts.map((a) => [a.id, a.version]), [["a", 2], ["b", 3], ["c", 1]]);
    mergeArtifacts(cache, [art("b", 2), art("a", 4)], true);
    assert.deepEqual(cache.artifacts.map((a) => [a.id, a.version]), [["b", 3], ["a", 4]]);
  });
});
