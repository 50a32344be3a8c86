import type { IncomingMessage, ServerResponse } from "node:http";
import { LOCAL_SCOPE } from "../identity.ts";
import { identityCookieHeader, issueIdentityToken, readIdentityCookie, verifyIdentityToken } from "../realtime/identity.ts";

/** How long the local identity cookie lives; a visit with an expired or missing one gets a new one. */
const LOCAL_IDENTITY_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * Until accounts exist, every browser acts as the install's single local user: the first
 * request without a valid identity cookie gets one, signed by the server, which the
 * Socket.IO handshake then presents (the browser sends it on its own: same origin).
 */
export function ensureIdentityCookie(req: IncomingMessage, res: ServerResponse, secret: string): void {
  const token = readIdentityCookie(req.headers.cookie);
  if (token) {
    try {
      verifyIdentityToken(token, secret);
      return;
    } catch {
      // expired or not ours: issue a fresh one below
    }
  }
  const secure = req.headers["x-forwarded-proto"] === "https" || (req.socket as { encrypted?: boolean }).encrypted === true;
  const fresh = issueIdentityToken(LOCAL_SCOPE, secret, LOCAL_IDENTITY_TTL_SECONDS);
  res.appendHeader("set-cookie", identityCookieHeader(fresh, { maxAgeSeconds: LOCAL_IDENTITY_TTL_SECONDS, secure }));
}
