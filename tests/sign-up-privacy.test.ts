/**
 * Sign-up reveals no account, and sign-in attempts are limited per account from any number of
 * addresses (real server.ts; the client addresses are distinct loopback addresses 127.0.0.x).
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { authPost, newCredentials, signIn } from "./helpers/auth.ts";
import { startServerProcess, type ServerProcess } from "./helpers/server-process.ts";

/** POST to the auth API from a chosen local (loopback) address. */
function postFrom(localAddress: string, server: ServerProcess, route: string, body: unknown): Promise<{ status: number; body: string; cookies: string[] }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        path: `/api/auth${route}`,
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), origin: server.url },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, cookies: ([] as string[]).concat(res.headers["set-cookie"] ?? []) }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** The answer with the parts that differ by nature (generated id, timestamps) blanked out. */
function shape(text: string): unknown {
  const body = JSON.parse(text) as { token: unknown; user: Record<string, unknown> };
  const user = Object.fromEntries(Object.entries(body.user).map(([k, v]) => [k, k === "id" || k.endsWith("At") ? typeof v : v]));
  return { token: body.token, user };
}

describe("accounts: privacy and brute force", () => {
  let dataDir: string;
  let server: ServerProcess;
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-privacy-"));
    server = await startServerProcess({ DATA_DIR: dataDir });
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers sign-up for an existing email exactly as for a new one", async () => {
    const owner = newCredentials("owner");
    const first = await authPost(server.url, "/sign-up/email", { ...owner, name: "owner" });
    const firstText = await first.text();
    // The same email again (another password, another case): what an attacker would try.
    const again = await authPost(server.url, "/sign-up/email", { email: owner.email.toUpperCase(), password: "another-password-1", name: "owner" });
    const againText = await again.text();
    assert.equal(first.status, 200);
    assert.equal(again.status, first.status);
    assert.deepEqual(shape(againText), shape(firstText));
    assert.deepEqual(first.headers.getSetCookie().filter((c) => /session_token/.test(c)), []);
    assert.deepEqual(again.headers.getSetCookie().filter((c) => /session_token/.test(c)), []);
    assert.doesNotMatch(againText, /ALREADY_EXISTS|already/i);
    // The account is the first sign-up's: its password signs in, the second one's does not.
    await signIn(server.url, owner);
    const wrong = await authPost(server.url, "/sign-in/email", { email: owner.email, password: "another-password-1" });
    assert.equal(wrong.status, 401);
  });

  it("limits sign-in attempts per account, however many addresses they come from", async () => {
    const victim = newCredentials("victim");
    const made = await authPost(server.url, "/sign-up/email", { ...victim, name: "victim" });
    assert.equal(made.status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      // Each guess from its own address: the per-address limit alone would never trigger.
      const res = await postFrom(`127.0.0.${10 + i}`, server, "/sign-in/email", { email: victim.email, password: `guess-${i}-wrong` });
      statuses.push(res.status);
    }
    assert.ok(statuses.includes(429), `guesses from many addresses are refused after a few: ${statuses.join(",")}`);
    assert.ok(statuses.indexOf(429) <= 6, "refused within the per-account limit");
    const refused = await postFrom("127.0.0.99", server, "/sign-in/email", { email: victim.email, password: victim.password });
    assert.equal(refused.status, 429, "the right password too, until the window passes: a guess cannot tell");
    // Another account is not affected.
    const other = newCredentials("other");
    assert.equal((await authPost(server.url, "/sign-up/email", { ...other, name: "other" })).status, 200);
    await signIn(server.url, other);
  });
});
