/**
 * Accounts for tests against a real server (server.ts with Better Auth): sign up, sign in and
 * out through the auth API as a browser on the app's own page would, and open sockets with the
 * session cookie. The one place tests get a signed-in user from.
 */
import { randomBytes } from "node:crypto";
import { io as connectSocket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import type { TabflowSocket } from "../../lib/realtime/client.ts";

export interface Credentials {
  email: string;
  password: string;
}

export interface SignedIn {
  /** The Cookie header value to send (`tabflow.session_token=…`). */
  cookie: string;
  userId: string;
  email: string;
}

/** A fresh, valid email and password. */
export function newCredentials(label = "user"): Credentials {
  return { email: `${label}-${randomBytes(5).toString("hex")}@example.test`, password: `pw-${randomBytes(9).toString("base64url")}` };
}

/** The session cookie from a response's Set-Cookie headers, as a Cookie header value. */
export function sessionCookieOf(res: Response): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(";")[0]!;
    if (/^(__Secure-)?tabflow\.session_token=./.test(pair)) return pair;
  }
  return undefined;
}

/** POST to the auth API the way the app's own page does (same Origin, JSON). */
export function authPost(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, ...headers },
    body: JSON.stringify(body),
  });
}

async function expectSignedIn(res: Response, what: string): Promise<SignedIn> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} failed: ${res.status} ${text}`);
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error(`${what} set no session cookie: ${text}`);
  const body = JSON.parse(text) as { user: { id: string; email: string } };
  return { cookie, userId: body.user.id, email: body.user.email };
}

/**
 * Signs up, then in, as the Sign up page does: sign-up itself answers a new and an existing
 * email alike and sets no cookie (it reveals no account), so the session comes from the sign-in.
 */
export async function signUp(baseUrl: string, credentials: Credentials = newCredentials()): Promise<SignedIn & Credentials> {
  const res = await authPost(baseUrl, "/sign-up/email", { ...credentials, name: credentials.email.split("@")[0] });
  if (!res.ok) throw new Error(`sign-up of ${credentials.email} failed: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return { ...(await signIn(baseUrl, credentials)), ...credentials };
}

export async function signIn(baseUrl: string, credentials: Credentials): Promise<SignedIn> {
  return expectSignedIn(await authPost(baseUrl, "/sign-in/email", credentials), `sign-in of ${credentials.email}`);
}

export async function signOut(baseUrl: string, cookie: string): Promise<Response> {
  return authPost(baseUrl, "/sign-out", {}, { cookie });
}

/** A socket.io-client socket with the session cookie, from the app's own origin (not yet awaited). */
export function socketAs(baseUrl: string, cookie: string | undefined, options: Partial<ManagerOptions & SocketOptions> = {}): TabflowSocket {
  return connectSocket(baseUrl, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin: baseUrl, ...(cookie ? { cookie } : {}) },
    ...options,
  });
}

/** A connected socket of the signed-in user; rejects with the server's connect_error. */
export async function connectAs(baseUrl: string, cookie: string, options: Partial<ManagerOptions & SocketOptions> = {}): Promise<TabflowSocket> {
  const socket = socketAs(baseUrl, cookie, options);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out connecting")), 10_000);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect_error", (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
  return socket;
}

/** The connect_error a handshake gets (fails when it connects). */
export async function refusedConnect(socket: TabflowSocket): Promise<Error & { data?: { code?: string; reason?: string } }> {
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a refusal")), 10_000);
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        resolve(err as Error & { data?: { reason?: string } });
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        reject(new Error("the socket connected but should have been refused"));
      });
    });
  } finally {
    socket.close();
  }
}
