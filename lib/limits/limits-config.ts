import { z } from "zod";

/**
 * Rate limits and quotas, from the environment (part of lib/config.ts). The defaults are sized
 * so that a person using the workspace never meets them (a fast typist sends a few messages a
 * second; flipping through tabs with the keyboard is two events a switch; a busy user keeps tens
 * of tabs), while one account flooding the server is stopped
 * long before it slows anybody else down. README.md lists each with its variable.
 */
const count = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const limitsEnv = {
  /** Socket events per socket: sustained rate per second, and the burst on top of it. */
  LIMIT_SOCKET_EVENTS_PER_SEC: count(1, 100_000, 50),
  LIMIT_SOCKET_EVENTS_BURST: count(0, 1_000_000, 200),
  /** Socket events per user, summed over all their sockets (and nodes, in cluster mode). */
  LIMIT_USER_EVENTS_PER_SEC: count(1, 100_000, 100),
  LIMIT_USER_EVENTS_BURST: count(0, 1_000_000, 500),
  /** Chat messages per user (all sessions, sockets and nodes): sustained per second, and the burst on top. */
  LIMIT_USER_MESSAGES_PER_SEC: count(1, 100_000, 5),
  LIMIT_USER_MESSAGES_BURST: count(0, 1_000_000, 30),
  /** Sockets open at once per user (every tab is one). */
  LIMIT_CONNECTIONS_PER_USER: count(1, 100_000, 50),
  /** Socket connections opened per minute per client address (refused before authentication). */
  LIMIT_CONNECTS_PER_ADDRESS_PER_MIN: count(1, 1_000_000, 1_000),
  /** Sessions a user may create per minute. */
  LIMIT_SESSIONS_PER_MIN: count(1, 100_000, 30),
  /** IN_PROGRESS sessions a user may have open at once. */
  LIMIT_OPEN_SESSIONS: count(1, 1_000_000, 200),
  /** Messages one session may hold (every role); a user's send beyond it is refused. */
  LIMIT_MESSAGES_PER_SESSION: count(10, 10_000_000, 10_000),
  /** User messages of one session stored and waiting for the agent's answer. */
  LIMIT_PENDING_PER_SESSION: count(1, 100_000, 500),
  /** Bytes of message text a user may send per day (UTF-8). */
  LIMIT_MESSAGE_BYTES_PER_DAY: count(1024, 10_000_000_000, 10 * 1024 * 1024),
  /** Builds a user may have running at once. */
  LIMIT_CONCURRENT_BUILDS: count(1, 10_000, 10),
  /** Sign-in / sign-up attempts per minute per account (email), from any number of addresses. */
  LIMIT_SIGN_IN_PER_EMAIL_PER_MIN: count(1, 100_000, 6),
  /** A burst of user messages is answered by one agent turn once the session has been quiet this long (ms)… */
  AGENT_TURN_QUIET_MS: count(0, 60_000, 40),
  /** …or once the oldest waiting message has waited this long (ms), whichever comes first. */
  AGENT_TURN_MAX_WAIT_MS: count(0, 600_000, 2_000),
  /** Worker threads that run the offline agent off the event loop (0: on the loop, as tests do). */
  AGENT_WORKERS: count(0, 64, 1),
};

type LimitsEnv = { [K in keyof typeof limitsEnv]: number };

export interface LimitsConfig {
  socketEvents: { perSec: number; burst: number };
  userEvents: { perSec: number; burst: number };
  userMessages: { perSec: number; burst: number };
  connectionsPerUser: number;
  connectsPerAddressPerMin: number;
  sessionsPerMin: number;
  openSessions: number;
  messagesPerSession: number;
  pendingPerSession: number;
  messageBytesPerDay: number;
  concurrentBuilds: number;
  signInPerEmailPerMin: number;
}

export interface TurnConfig {
  quietMs: number;
  maxWaitMs: number;
  workers: number;
}

export function limitsConfigFrom(e: LimitsEnv): LimitsConfig {
  return {
    socketEvents: { perSec: e.LIMIT_SOCKET_EVENTS_PER_SEC, burst: e.LIMIT_SOCKET_EVENTS_BURST },
    userEvents: { perSec: e.LIMIT_USER_EVENTS_PER_SEC, burst: e.LIMIT_USER_EVENTS_BURST },
    userMessages: { perSec: e.LIMIT_USER_MESSAGES_PER_SEC, burst: e.LIMIT_USER_MESSAGES_BURST },
    connectionsPerUser: e.LIMIT_CONNECTIONS_PER_USER,
    connectsPerAddressPerMin: e.LIMIT_CONNECTS_PER_ADDRESS_PER_MIN,
    sessionsPerMin: e.LIMIT_SESSIONS_PER_MIN,
    openSessions: e.LIMIT_OPEN_SESSIONS,
    messagesPerSession: e.LIMIT_MESSAGES_PER_SESSION,
    pendingPerSession: e.LIMIT_PENDING_PER_SESSION,
    messageBytesPerDay: e.LIMIT_MESSAGE_BYTES_PER_DAY,
    concurrentBuilds: e.LIMIT_CONCURRENT_BUILDS,
    signInPerEmailPerMin: e.LIMIT_SIGN_IN_PER_EMAIL_PER_MIN,
  };
}

export function turnConfigFrom(e: LimitsEnv): TurnConfig {
  return { quietMs: e.AGENT_TURN_QUIET_MS, maxWaitMs: e.AGENT_TURN_MAX_WAIT_MS, workers: e.AGENT_WORKERS };
}

/** The defaults, for code built without a Config (tests, benchmarks). */
export const DEFAULT_LIMITS: LimitsConfig = limitsConfigFrom(z.object(limitsEnv).parse({}));
export const DEFAULT_TURNS: TurnConfig = turnConfigFrom(z.object(limitsEnv).parse({}));
