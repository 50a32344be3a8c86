import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { startClusterNode } from "../cluster/index.ts";
import { describeDatabase, type Config } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import type { Logger } from "../logger.ts";
import { createSocketServer, workflowsOf } from "../realtime/socket-server.ts";
import { createServerAgent } from "../workflows/agent.ts";
import { createQuotas } from "../workflows/quotas.ts";
import { createLimiters } from "../limits/limiter.ts";
import { redisClient } from "../cluster/redis.ts";
import { describeAgent } from "../workflows/agents/agent-config.ts";
import { lockDownDataDir, sandboxWarning } from "../workflows/build/sandbox.ts";
import { removeOrphanedBuilds } from "../workflows/build/cleanup.ts";
import { createCompileQueue } from "../workflows/build/compile-queue.ts";
import { createPreviewManager } from "../workflows/build/preview-manager.ts";
import { createWorkflowRuntime } from "../workflows/runtime.ts";
import { setRuntime } from "../runtime.ts";
import { createAuth, identify } from "../auth/auth.ts";
import { mountAuth } from "../auth/http.ts";
import { betterAuthAuthenticator, watchAuthSessions, type SessionWatch } from "../auth/socket-auth.ts";
import { guardRequest, tabflowOrigins } from "./http-guard.ts";
import { loadOrCreateSecret } from "./secret.ts";
import { createStore } from "../store/index.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RunningServer {
  url: string;
  port: number;
  httpServer: HttpServer;
  close(): Promise<void>;
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/**
 * Database → migrations → store → Next → HTTP server with Socket.IO → listen.
 * Returns a handle whose close() shuts down in the reverse order.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const dev = config.env !== "production";
  const where = describeDatabase(config.database);
  try {
    const { applied } = await migrate(config.database);
    if (applied.length) logger.info({ applied }, "applied database migrations");
  } catch (err) {
    throw new StartupError(`Cannot prepare the database (${where}): ${(err as Error).message}`);
  }
  const database = await openDatabase(config.database);
  const authSecret = loadOrCreateSecret(config.dataDir, config.secret);
  // Cluster mode: every limit is counted in Redis, so an account gets it once for all nodes.
  const limitsRedis = config.cluster ? redisClient(config.cluster.redisUrl, logger, "limits", { enableOfflineQueue: false }) : undefined;
  const limiters = createLimiters(config.limits, { redis: limitsRedis, prefix: config.cluster?.prefix, nodeId: randomUUID() });
  const store = createStore(database);

  let watch: SessionWatch | undefined;
  const auth = createAuth({
    database,
    store,
    logger,
    secret: authSecret,
    baseURL: config.auth.baseURL,
    trustedOrigins: config.auth.trustedOrigins,
    onSessionEnded: (id) => watch?.sessionEnded(id),
    limiters,
  });
  const authHandler = mountAuth(auth);

  // Next's handler exists once app.prepare() is done; the server is created first so Socket.IO
  // and the workflow runtime can be built on it and published before Next renders anything.
  let handle: ReturnType<ReturnType<typeof next>["getRequestHandler"]> | undefined;
  const httpServer = createServer((req, res) => {
    if (!guardRequest(req, res, { dev })) return;
    // The auth API (sign-up, sign-in, sign-out, …) is Better Auth's own handler, before Next.
    if (authHandler.matches(req)) return void authHandler.handle(req, res, logger);
    handle!(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal", message: "internal error" } }));
    });
  });
  const agent = createServerAgent(config.agent, config.turns.workers);
  const io = createSocketServer(httpServer, {
    store,
    logger,
    authenticate: betterAuthAuthenticator(auth, store, config.auth.trustedOrigins),
    testDelays: config.testDelays,
    limiters,
    workflows: (publisher) =>
      createWorkflowRuntime(
        {
          store,
          publisher,
          logger,
          agent,
          dataDir: config.dataDir,
          buildPaceMs: config.buildPaceMs,
          buildVerify: config.buildVerify,
          compileQueue: createCompileQueue(config.buildConcurrency),
          quotas: createQuotas(store, limiters),
        },
        undefined,
        { quietMs: config.turns.quietMs, maxWaitMs: config.turns.maxWaitMs, maxPending: config.limits.pendingPerSession },
      ),
  });
  const workflows = workflowsOf(io)!;
  const cluster = config.cluster && startClusterNode({ cluster: config.cluster, io, workflows, store, logger });
  watch = watchAuthSessions(io, store, logger);
  const previews = createPreviewManager({
    store,
    dataDir: config.dataDir,
    logger,
    host: config.host,
    idleMs: config.preview.idleMs,
    maxPerUser: config.preview.maxPerUser,
    // Read-only: a preview's many asset requests never refresh (write) the session.
    identify: (headers) => identify(auth, store, headers, true),
    frameAncestors: (req) => tabflowOrigins(req, config),
  });
  setRuntime({ config, logger, store, workflows, previews, auth, identify: (headers) => identify(auth, store, headers), cluster });

  const app = next({ dev, dir: ROOT, hostname: config.host, port: config.port });
  await app.prepare();
  handle = app.getRequestHandler();

  const connections = new Set<Socket>();
  httpServer.on("connection", (socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });

  // Runs a previous process left "running" are resumed or marked failed now, never left hanging.
  await removeOrphanedBuilds(store, config.dataDir, logger);
  // Generated projects run as another user and must not reach the database or the secret.
  await lockDownDataDir(config.dataDir).catch((err) => logger.warn({ err }, "could not tighten the data folder's permissions"));
  if (config.buildVerify !== "off") sandboxWarning((message) => logger.warn(message));
  const recovered = await workflows.recover();
  if (recovered.resumed || recovered.failed) logger.info(recovered, "recovered interrupted runs");

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (err: NodeJS.ErrnoException) =>
      reject(new StartupError(err.code === "EADDRINUSE" ? `Port ${config.port} is already in use: set PORT to a free port` : err.message)),
    );
    httpServer.listen(config.port, config.host, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${shownHost}:${port}`;
  logger.info({ url, port, database: where, agent: describeAgent(config.agent), mode: dev ? "development" : "production" }, `Tabflow listening on ${url}`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, say goodbye to sockets, let in-flight requests finish briefly.
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      watch?.stop();
      await previews.close(); // the preview apps are children of this process: they stop with it
      // Sockets first: requests still queued on them are dropped, nothing new reaches the workflows.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await workflows.close();
      await agent.close().catch(() => {});
      await cluster?.close();
      limitsRedis?.disconnect();
      httpServer.closeIdleConnections();
      const force = setTimeout(() => {
        for (const socket of connections) socket.destroy();
      }, 5000);
      await stopped;
      clearTimeout(force);
      await app.close?.().catch(() => {});
      await database.close();
      setRuntime(undefined);
    })());
  return { url, port, httpServer, close };
}
