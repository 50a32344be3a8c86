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

/**
 * A socket refused this many times within REFUSAL_WINDOW_MS is closed: a refused request costs
 * little, but a client that ignores its refusals and keeps firing would still take the event
 * loop from everyone else. No well-behaved client (the workspace waits for its answers) gets
 * anywhere near it; the one closed can reconnect, within the connection limits.
 */
const REFUSALS_BEFORE_CLOSE = 200;
const REFUSAL_WINDOW_MS = 10_000;
const refusals = new WeakMap<TabflowServerSocket, { count: number; since: number }>();

/** Counts one event of a socket; throws the typed `rate_limited` refusal when over. */
export async function countEvent(limiters: Limiters, socket: TabflowServerSocket): Promise<void> {
  try {
    await limiters.socketEvent(socket.id, userKey(socket));
  } catch (err) {
    const now = Date.now();
    let r = refusals.get(socket);
    if (!r || now - r.since > REFUSAL_WINDOW_MS) refusals.set(socket, (r = { count: 0, since: now }));
    if (++r.count >= REFUSALS_BEFORE_CLOSE && socket.connected) {
      // After this ack goes out: the client learns why, then the connection ends.
      setImmediate(() => socket.disconnect(true));
    }
    throw err;
  }
}
