/**
 * Sockets and sign-in sessions: a handshake is accepted only with a live Better Auth session
 * cookie from the app's own origin, and a socket lives no longer than that session.
 */
import { fromNodeHeaders } from "better-auth/node";
import type { Logger } from "../logger.ts";
import { fromOwnOrigin, type SocketAuthenticator } from "../realtime/authenticate.ts";
import type { TabflowServer } from "../realtime/server-types.ts";
import type { Store } from "../store/index.ts";
import { AUTH_COOKIE_PREFIX, identify, type TabflowAuth } from "./auth.ts";

const SESSION_COOKIE = new RegExp(`(?:^|;\\s*)(?:__Secure-)?${AUTH_COOKIE_PREFIX.replace(".", "\\.")}\\.session_token=`);

/** The room of every socket opened with one sign-in session (so sign-out reaches them on any node). */
export const authSessionRoom = (sessionId: string) => `auth:${sessionId}`;

export function betterAuthAuthenticator(auth: TabflowAuth, store: Store, trustedOrigins: readonly string[] = []): SocketAuthenticator {
  return async (handshake) => {
    const cookie = handshake.headers.cookie;
    if (!cookie || !SESSION_COOKIE.test(cookie)) return { ok: false, reason: "missing", message: "sign in first (no session cookie was sent)" };
    if (!fromOwnOrigin(handshake.headers, trustedOrigins)) {
      return { ok: false, reason: "foreign_origin", message: "the session cookie is only accepted from this app's own pages" };
    }
    // Read-only: opening a socket never extends (writes) the session.
    const who = await identify(auth, store, fromNodeHeaders(handshake.headers), true);
    if (!who) return { ok: false, reason: "invalid", message: "the session is not valid or has expired; sign in again" };
    return { ok: true, scope: who.scope, session: who.session };
  };
}

export interface SessionWatch {
  /** Disconnects every socket of one sign-in session (after sign-out). */
  sessionEnded(sessionId: string): void;
  /** One pass of the periodic check (exposed for tests). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Drops sockets whose sign-in session ended: at once on sign-out (Better Auth's session delete
 * hook calls sessionEnded), and on one server-wide timer for sessions that expired or were
 * removed otherwise. The timer checks only connected sockets, in one query per pass; idle
 * sessions cost nothing.
 */
export function watchAuthSessions(io: TabflowServer, store: Store, logger: Logger, intervalMs = 30_000): SessionWatch {
  io.on("connection", (socket) => {
    const s = socket.data.authSession;
    if (s) void socket.join(authSessionRoom(s.id));
  });
  const sessionEnded = (sessionId: string) => {
    logger.debug({ sessionId }, "sign-in session ended: disconnecting its sockets");
    io.in(authSessionRoom(sessionId)).disconnectSockets(true);
  };
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const now = new Date();
      const sockets = [...io.of("/").sockets.values()].filter((s) => s.data.authSession);
      const expired = sockets.filter((s) => s.data.authSession!.expiresAt <= now);
      const rest = sockets.filter((s) => s.data.authSession!.expiresAt > now);
      const live = await store.liveAuthSessions(rest.map((s) => s.data.authSession!.id), now);
      for (const s of [...expired, ...rest.filter((x) => !live.has(x.data.authSession!.id))]) s.disconnect(true);
    } catch (err) {
      logger.warn({ err }, "could not check the sign-in sessions of connected sockets");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return { sessionEnded, check, stop: () => clearInterval(timer) };
}
