import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { TabflowServer } from "../realtime/server-types.ts";
import { redisClient } from "./redis.ts";

/**
 * Cross-node delivery: Socket.IO's Redis adapter (pub/sub). A broadcast to `session:<id>` or
 * `user:<id>` on one node reaches the sockets in that room on every node.
 *
 * The plain Redis adapter, not the Redis Streams one: the Streams adapter exists to support
 * Socket.IO's connection state recovery (replaying missed packets), and Tabflow does not use
 * that. Its one resume path is `session:join` with `afterSeq`, read from the database, which
 * also covers what a pub/sub outage drops. So after the subscriber reconnects (Redis restarted
 * or the connection dropped), this node closes its clients' connections: each client
 * reconnects and re-joins with the seq it holds, filling any gap from the database.
 */
export function attachRedisAdapter(io: TabflowServer, options: { redisUrl: string; prefix: string; logger: Logger }): { pub: Redis; sub: Redis; close(): Promise<void> } {
  const { logger } = options;
  // maxRetriesPerRequest null: while Redis is away, publishes wait in ioredis' offline queue
  // and go out on reconnect. (With a retry limit they would reject, and the adapter does not
  // catch its publish promises: an unhandled rejection would end the process.)
  const pub = redisClient(options.redisUrl, logger, "tabflow-socket-pub", { maxRetriesPerRequest: null });
  const sub = redisClient(options.redisUrl, logger, "tabflow-socket-sub", { maxRetriesPerRequest: null });
  io.adapter(createAdapter(pub, sub, { key: `${options.prefix}:socket.io` }));

  let lost = false;
  sub.on("close", () => {
    lost = true;
  });
  sub.on("ready", () => {
    if (!lost) return;
    lost = false;
    // PING is queued behind ioredis' re-subscribe commands: once it answers, this node hears
    // broadcasts again, so clients that re-join from now on miss nothing.
    sub
      .ping()
      .catch(() => undefined)
      .then(() => {
        const sockets = [...io.of("/").sockets.values()];
        logger.info({ sockets: sockets.length }, "Redis is back: asking this node's clients to re-join");
        for (const socket of sockets) socket.conn.close();
      });
  });

  return {
    pub,
    sub,
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}
