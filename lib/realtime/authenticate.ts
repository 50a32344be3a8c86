/**
 * The handshake check: a socket exists only with a valid, unexpired identity token, and its
 * scope comes from that token alone. Failures reach the client as connect_error with a
 * readable message and `data.reason`.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ExtendedError } from "socket.io";
import type { Logger } from "../logger.ts";
import { IdentityTokenError, readIdentityCookie, verifyIdentityToken } from "./identity.ts";
import type { TabflowServerSocket } from "./server-types.ts";

function refusal(message: string, reason: string): ExtendedError {
  const err: ExtendedError = new Error(`unauthorized: ${message}`);
  err.data = { code: "unauthorized", reason };
  return err;
}

/**
 * A browser sends cookies with a WebSocket handshake from any page of the same site (even
 * another port), so a cookie is only accepted from this app's own origin. Clients that pass
 * the token in `auth` hold it themselves and need no such check.
 */
function fromOwnOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = headers["x-forwarded-host"];
  const hosts = [headers.host, ...(Array.isArray(forwarded) ? forwarded : forwarded ? forwarded.split(",") : [])];
  return hosts.some((h) => h?.trim() === originHost);
}

export function identityMiddleware(secret: string, logger: Logger) {
  return (socket: TabflowServerSocket, next: (err?: ExtendedError) => void): void => {
    const { auth, headers, address } = socket.handshake;
    const refuse = (message: string, reason: string) => {
      logger.info({ reason, address }, "refused a socket connection");
      next(refusal(message, reason));
    };
    const fromAuth: unknown = auth?.token;
    const cookie = fromAuth === undefined ? readIdentityCookie(headers.cookie) : undefined;
    if (cookie !== undefined && !fromOwnOrigin(headers)) {
      return refuse("the identity cookie is only accepted from this app's own pages", "foreign_origin");
    }
    let scope;
    try {
      scope = verifyIdentityToken(fromAuth ?? cookie, secret);
    } catch (err) {
      if (err instanceof IdentityTokenError) return refuse(err.message, err.reason);
      logger.error({ err }, "could not check an identity token");
      return refuse("the identity token could not be checked", "error");
    }
    socket.data = { scope, joinTicket: 0 };
    next();
  };
}
