/**
 * Socket-level limits: connection attempts per address (before authentication), open sockets
 * per user (after it), and every event counted per socket and per user (token buckets). A
 * refused connection gets connect_error with `data.code` (`rate_limited`) and a readable
 * message; a refused event gets the typed ack. The counters are lib/limits/limiter.ts.
 */
import type { ExtendedError } from "socket.io";
import { isTabflowError } from "../errors.ts";
import type { Limiters } from "../limits/limiter.ts";
import type { Logger } from "../logger.ts";
import type { TabflowServerSocket } from "./server-types.ts";

const userKey = (socket: TabflowServerSocket) => {
  const s = socket.data.scope;
  return `${s.enterpriseId}:${s.appId}:${s.userId}`;
};

function refusal(err: unknown): ExtendedError {
  const message = err instanceof Error ? err.message : String(err);
  const out: ExtendedError = new Error(message);
  out.data = { code: isTabflowError(err) ? err.code : "rate_limited", message, retryAfterMs: isTabflowError(err) ? err.details?.retryAfterMs : undefined };
  return out;
}

/** Before authentication: connection attempts per client address. */
export function addressLimitMiddleware(limiters: Limiters, logger: Logger) {
  return (socket: TabflowServerSocket, next: (err?: ExtendedError) => void): void => {
    limiters.connectAttempt(socket.handshake.address).then(
      () => next(),
      (err: unknown) => {
        logger.info({ address: socket.handshake.address }, "refused a socket connection: too many from this address");
        next(refusal(err));
      },
    );
  };
}

/** After authentication: open sockets per user; the slot is given back on disconnect. */
export function connectionLimitMiddleware(limiters: Limiters, logger: Logger) {
  return (socket: TabflowServerSocket, next: (err?: ExtendedError) => void): void => {
    const key = userKey(socket);
    limiters.connections.open(key).then(
      (release) => {
        socket.once("disconnect", release);
        next();
      },
      (err: unknown) => {
        logger.info({ userId: socket.data.scope.userId }, "refused a socket connection: too many open for this user");
        next(refusal(err));
      },
    );
  };
}

/** Counts one event of a socket; throws the typed `rate_limited` refusal when over. */
export function countEvent(limiters: Limiters, socket: TabflowServerSocket): Promise<void> {
  return limiters.socketEvent(socket.id, userKey(socket));
}
