/**
 * The handshake check: a socket exists only when the server's authenticator names its user,
 * and its scope comes from that alone (never from a payload). The authenticator is pluggable:
 * production passes the Better Auth one (lib/auth/socket-auth.ts); the in-process realtime
 * tests pass a token fixture. Refusals reach the client as connect_error with a readable
 * message and `data.reason`.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ExtendedError, Socket } from "socket.io";
import type { Logger } from "../logger.ts";
import type { Scope } from "../store/index.ts";
import type { TabflowServerSocket } from "./server-types.ts";

export type AuthRefusalReason = "missing" | "malformed" | "bad_signature" | "invalid" | "expired" | "foreign_origin" | "error";

export type AuthResult =
  | {
      ok: true;
      scope: Scope;
      /** The sign-in session behind the socket, when there is one: sockets are dropped when it ends. */
      session?: { id: string; expiresAt: Date };
    }
  | { ok: false; reason: AuthRefusalReason; message: string };

export type SocketAuthenticator = (handshake: Socket["handshake"]) => Promise<AuthResult>;

function refusal(message: string, reason: string): ExtendedError {
  const err: ExtendedError = new Error(`unauthorized: ${message}`);
  err.data = { code: "unauthorized", reason };
  return err;
}

/**
 * A browser sends cookies with a WebSocket handshake from any page of the same site (even
 * another port), so a cookie is only accepted from this app's own origin (or one listed as
 * trusted). A handshake without an Origin header is not a browser's.
 */
export function fromOwnOrigin(headers: IncomingHttpHeaders, trusted: readonly string[] = []): boolean {
  const origin = headers.origin;
  if (!origin) return true;
  if (trusted.includes(origin)) return true;
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

export function authenticationMiddleware(authenticate: SocketAuthenticator, logger: Logger) {
  return (socket: TabflowServerSocket, next: (err?: ExtendedError) => void): void => {
    const { address } = socket.handshake;
    const refuse = (message: string, reason: string) => {
      logger.info({ reason, address }, "refused a socket connection");
      next(refusal(message, reason));
    };
    authenticate(socket.handshake).then(
      (result) => {
        if (!result.ok) return refuse(result.message, result.reason);
        socket.data = { scope: result.scope, joinTicket: 0, authSession: result.session };
        next();
      },
      (err: unknown) => {
        logger.error({ err }, "could not authenticate a socket");
        refuse("the sign-in could not be checked", "error");
      },
    );
  };
}
