/**
 * Tabflow's process entry: configuration → database → HTTP server with Next and Socket.IO →
 * listen → graceful shutdown. The logic lives in lib/; this file only wires it.
 */
import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "./lib/config.ts";
import { createLogger } from "./lib/logger.ts";
import { startServer, StartupError } from "./lib/server/start.ts";

function fail(message: string): never {
  console.error(`tabflow: ${message}`);
  process.exit(1);
}

// A .env file beside server.ts is optional; variables already set in the environment win.
if (existsSync(".env")) process.loadEnvFile(".env");

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

const logger = createLogger(config.logLevel);
let server: Awaited<ReturnType<typeof startServer>> | undefined;
let stopping: NodeJS.Signals | undefined;

function shutdown(running: NonNullable<typeof server>): void {
  const timer = setTimeout(() => {
    logger.error("shutdown took longer than 10 s; exiting anyway");
    process.exit(1);
  }, 10_000);
  timer.unref();
  running.close().then(
    () => {
      logger.info("stopped");
      process.exit(0);
    },
    (err: unknown) => {
      logger.error({ err }, "error while shutting down");
      process.exit(1);
    },
  );
}

// Installed before start-up, so a stop asked for while the server is still starting (or the
// moment it says it listens) is a graceful stop once it is up, never the default kill.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = signal;
    logger.info({ signal }, "shutting down");
    if (server) shutdown(server);
  });
}

try {
  server = await startServer(config, logger);
} catch (err) {
  if (err instanceof StartupError) fail(err.message);
  logger.fatal({ err }, "start-up failed");
  process.exit(1);
}
if (stopping) shutdown(server);
