import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger.ts";

/**
 * ioredis clients for cluster mode. ioredis reconnects forever with a capped back-off and, on
 * reconnect, re-subscribes a subscriber's channels and patterns by itself (autoResubscribe),
 * so a Redis restart needs no restart of the node. Errors while Redis is away are logged once
 * per outage, not once per retry.
 */
export function redisClient(url: string, logger: Logger, name: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    connectionName: name,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    ...options,
  });
  let down = false;
  client.on("error", (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: err.message, client: name }, "lost the connection to Redis; reconnecting");
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info({ client: name }, "reconnected to Redis");
  });
  return client;
}

/** Resolves when Redis answers PING within `timeoutMs`; rejects otherwise. */
export async function pingRedis(client: Redis, timeoutMs = 1000): Promise<void> {
  if (client.status !== "ready") throw new Error(`Redis connection is ${client.status}`);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Redis did not answer within 1 s")), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
