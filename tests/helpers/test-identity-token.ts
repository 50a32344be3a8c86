/**
 * TEST FIXTURE, not used by the server: a server-signed identity token that the in-process
 * realtime tests (tests/helpers/realtime.ts) and the protocol benchmark use to say which scope
 * a socket acts as, without signing up through Better Auth. Production sockets authenticate
 * with the Better Auth session cookie only (lib/auth/socket-auth.ts). Format: base64url(JSON payload) "." base64url(HMAC-SHA256
 * of the first part). Not a JWT on purpose: one algorithm, no header to negotiate, no library.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { SocketAuthenticator } from "../../lib/realtime/authenticate.ts";
import { fromOwnOrigin } from "../../lib/realtime/authenticate.ts";
import { scopeSchema, type Scope } from "../../lib/store/scope.ts";

export const IDENTITY_COOKIE = "tabflow_identity";
export const DEFAULT_IDENTITY_TTL_SECONDS = 24 * 60 * 60;
/** Shorter secrets make the HMAC guessable; refuse them instead of signing weakly. */
export const MIN_SECRET_LENGTH = 32;
const MAX_TOKEN_LENGTH = 4096;

const payloadSchema = z.object({ scope: scopeSchema, exp: z.number().int().positive() });

export type IdentityFailure = "missing" | "malformed" | "bad_signature" | "expired";

export class IdentityTokenError extends Error {
  readonly reason: IdentityFailure;
  constructor(reason: IdentityFailure, message: string) {
    super(message);
    this.name = "IdentityTokenError";
    this.reason = reason;
  }
}

export function assertUsableSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the identity secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function sign(body: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

export function issueIdentityToken(scope: Scope, secret: string, ttlSeconds = DEFAULT_IDENTITY_TTL_SECONDS, now = Date.now()): string {
  assertUsableSecret(secret);
  const exp = Math.floor(now / 1000) + Math.max(1, Math.floor(ttlSeconds));
  const body = Buffer.from(JSON.stringify({ scope: scopeSchema.parse(scope), exp })).toString("base64url");
  return `${body}.${sign(body, secret).toString("base64url")}`;
}

/** The scope a token was issued for; throws IdentityTokenError when it cannot be trusted. */
export function verifyIdentityToken(token: unknown, secret: string, now = Date.now()): Scope {
  assertUsableSecret(secret);
  if (token === undefined || token === null || token === "") throw new IdentityTokenError("missing", "no identity token was sent");
  const parts = typeof token === "string" && token.length <= MAX_TOKEN_LENGTH ? token.split(".") : [];
  const [body, mac] = parts;
  if (parts.length !== 2 || !body || !mac || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(mac)) {
    throw new IdentityTokenError("malformed", "the identity token is malformed");
  }
  const expected = sign(body, secret);
  const given = Buffer.from(mac, "base64url");
  // Checked before parsing so an attacker learns nothing from how the payload is read.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new IdentityTokenError("bad_signature", "the identity token's signature is not valid");
  }
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    throw new IdentityTokenError("malformed", "the identity token is malformed");
  }
  if (payload.exp * 1000 <= now) throw new IdentityTokenError("expired", "the identity token has expired");
  return payload.scope;
}

/** A Set-Cookie value for the token: HttpOnly so page scripts never hold it. */
export function identityCookieHeader(token: string, options: { maxAgeSeconds?: number; secure?: boolean } = {}): string {
  const maxAge = Math.floor(options.maxAgeSeconds ?? DEFAULT_IDENTITY_TTL_SECONDS);
  return `${IDENTITY_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${options.secure ? "; Secure" : ""}`;
}

/** The token from a Cookie request header, if present. */
export function readIdentityCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === IDENTITY_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * TEST FIXTURE: the socket authenticator of the in-process realtime tests. Accepts a token in
 * `auth.token`, or in the `tabflow_identity` cookie from the server's own origin.
 */
export function testTokenAuthenticator(secret: string): SocketAuthenticator {
  assertUsableSecret(secret);
  return async ({ auth, headers }) => {
    const fromAuth: unknown = auth?.token;
    const cookie = fromAuth === undefined ? readIdentityCookie(headers.cookie) : undefined;
    if (cookie !== undefined && !fromOwnOrigin(headers)) {
      return { ok: false, reason: "foreign_origin", message: "the identity cookie is only accepted from this app's own pages" };
    }
    try {
      return { ok: true, scope: verifyIdentityToken(fromAuth ?? cookie, secret) };
    } catch (err) {
      if (err instanceof IdentityTokenError) return { ok: false, reason: err.reason, message: err.message };
      throw err;
    }
  };
}
