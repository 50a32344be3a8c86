/**
 * The counters behind every rate limit and quota (rate-limiter-flexible). One node keeps them
 * in memory; in cluster mode (a Redis client given) the per-user and per-address ones live in
 * Redis, so an account gets its limit once for the whole cluster, not once per node. A refusal
 * is a TabflowError with a typed code and the wait in `details.retryAfterMs`.
 */
import type { Redis } from "ioredis";
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { TabflowError, type ErrorCode } from "../errors.ts";
import type { LimitsConfig } from "./limits-config.ts";

export interface LimiterBackend {
  /** Cluster mode: counters shared by every node. */
  redis?: Redis;
  /** Namespaces the Redis keys (REDIS_PREFIX). */
  prefix?: string;
  /** Names this node's share of connection counts (cluster mode). */
  nodeId?: string;
}

type Limiter = Pick<RateLimiterAbstract, "consume"> | BurstyRateLimiter;

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

async function take(limiter: Limiter, key: string, points: number, code: ErrorCode, what: (wait: string) => string): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      throw new TabflowError(code, what(seconds(err.msBeforeNext)), { retryAfterMs: err.msBeforeNext });
    }
    // The shared store failed (Redis away): a limit must not take the whole app down with it.
    if (err instanceof Error) return;
    throw err;
  }
}

export function createLimiters(limits: LimitsConfig, backend: LimiterBackend = {}) {
  const prefix = `${backend.prefix ?? "tabflow"}:limits`;
  const shared = (name: string, points: number, duration: number): RateLimiterAbstract =>
    backend.redis
      ? new RateLimiterRedis({
          storeClient: backend.redis,
          keyPrefix: `${prefix}:${name}`,
          points,
          duration,
          // Once over the limit, further attempts are refused here without a Redis round trip.
          inMemoryBlockOnConsumed: points + 1,
          inMemoryBlockDuration: Math.min(duration, 10),
          // A Redis outage degrades to this node's own counts instead of failing every request.
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${name}-insurance`, points, duration }),
        })
      : new RateLimiterMemory({ keyPrefix: name, points, duration });
  /** A token bucket (sustained rate + burst) in rate-limiter-flexible's recommended form. */
  const bucket = (name: string, rate: { perSec: number; burst: number }, share: boolean): Limiter => {
    const make = share ? shared : (n: string, p: number, d: number) => new RateLimiterMemory({ keyPrefix: n, points: p, duration: d });
    const steady = make(`${name}:rate`, rate.perSec, 1);
    return rate.burst > 0 ? new BurstyRateLimiter(steady as RateLimiterMemory, make(`${name}:burst`, rate.burst, 10) as RateLimiterMemory) : steady;
  };

  const socketEvents = bucket("socket-events", limits.socketEvents, false);
  const userEvents = bucket("user-events", limits.userEvents, true);
  const userMessages = bucket("user-messages", limits.userMessages, true);
  const connects = shared("connects", limits.connectsPerAddressPerMin, 60);
  const sessionCreates = shared("session-creates", limits.sessionsPerMin, 60);
  const messageBytes = shared("message-bytes", limits.messageBytesPerDay, 24 * 60 * 60);
  const signIns = shared("sign-in-email", limits.signInPerEmailPerMin, 60);
  const connections = createConnectionCounter(limits.connectionsPerUser, backend, prefix);

  const authRules = new Map<string, RateLimiterAbstract>();

  return {
    limits,
    /**
     * Better Auth's own limiter (per address and path), through its `rateLimit.customStorage`:
     * the same counters as everything else here, so in cluster mode they are shared in Redis.
     */
    async authRule(key: string, rule: { window: number; max: number }): Promise<{ allowed: boolean; retryAfter: number | null }> {
      const name = `auth:${rule.window}:${rule.max}`;
      let limiter = authRules.get(name);
      if (!limiter) authRules.set(name, (limiter = shared(name, rule.max, rule.window)));
      try {
        await limiter.consume(key);
        return { allowed: true, retryAfter: null };
      } catch (err) {
        if (err instanceof RateLimiterRes) return { allowed: false, retryAfter: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
        return { allowed: true, retryAfter: null };
      }
    },
    /** One socket event, counted for the socket and for its user. */
    async socketEvent(socketId: string, userKey: string): Promise<void> {
      const slow = (wait: string) => `too many requests at once; wait ${wait} and try again`;
      await take(socketEvents, socketId, 1, "rate_limited", slow);
      await take(userEvents, userKey, 1, "rate_limited", slow);
    },
    /** A socket connection attempt from an address (before anyone is authenticated). */
    connectAttempt: (address: string) =>
      take(connects, address, 1, "rate_limited", (wait) => `too many connections from this address; wait ${wait} and try again`),
    sessionCreate: (userKey: string) =>
      take(sessionCreates, userKey, 1, "rate_limited", (wait) => `you can create ${limits.sessionsPerMin} sessions a minute; wait ${wait} and try again`),
    /** One chat message of a user (every message is a database write and, later, agent work). */
    userMessage: (userKey: string) =>
      take(userMessages, userKey, 1, "rate_limited", (wait) => `you are sending messages faster than ${limits.userMessages.perSec} a second; wait ${wait} and try again`),
    messageBytes: (userKey: string, bytes: number) =>
      take(messageBytes, userKey, Math.max(1, bytes), "quota_exceeded", (wait) => `you have sent today's ${Math.round(limits.messageBytesPerDay / 1024 / 1024)} MB of messages; more can be sent in ${wait}`),
    /** A sign-in or sign-up for one account (normalised email), whatever address it comes from. */
    signInAttempt: (email: string) =>
      take(signIns, email.trim().toLowerCase(), 1, "rate_limited", (wait) => `too many attempts for this account; wait ${wait} and try again`),
    connections,
  };
}

export type Limiters = ReturnType<typeof createLimiters>;

/**
 * Open sockets per user. One node counts in memory; in cluster mode each node also keeps its
 * count in a Redis hash per user (field = node), so the limit holds across nodes. The hash
 * expires a while after its last change, so a node that died cannot hold a user's slots forever.
 */
function createConnectionCounter(max: number, backend: LimiterBackend, prefix: string) {
  const local = new Map<string, number>();
  const node = backend.nodeId ?? "single";
  const key = (userKey: string) => `${prefix}:connections:${userKey}`;
  const TTL_S = 15 * 60;

  async function total(userKey: string): Promise<number> {
    const here = local.get(userKey) ?? 0;
    if (!backend.redis) return here;
    try {
      const all = await backend.redis.hgetall(key(userKey));
      let sum = here;
      for (const [field, value] of Object.entries(all)) if (field !== node) sum += Math.max(0, Number(value) || 0);
      return sum;
    } catch {
      return here;
    }
  }

  async function publish(userKey: string): Promise<void> {
    if (!backend.redis) return;
    const n = local.get(userKey) ?? 0;
    try {
      if (n > 0) await backend.redis.multi().hset(key(userKey), node, String(n)).expire(key(userKey), TTL_S).exec();
      else await backend.redis.hdel(key(userKey), node);
    } catch {
      // Redis away: the local count still limits this node.
    }
  }

  return {
    /** Takes a slot for a new socket of this user, or refuses with `rate_limited`. */
    async open(userKey: string): Promise<() => void> {
      if ((await total(userKey)) >= max) {
        throw new TabflowError("rate_limited", `you have ${max} connections open (one per tab); close some tabs and reload`);
      }
      local.set(userKey, (local.get(userKey) ?? 0) + 1);
      await publish(userKey);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (local.get(userKey) ?? 1) - 1;
        if (left > 0) local.set(userKey, left);
        else local.delete(userKey);
        void publish(userKey);
      };
    },
    count: (userKey: string) => total(userKey),
  };
}
