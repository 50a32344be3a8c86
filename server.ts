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
let server;
try {
  server = await startServer(config, logger);
} catch (err) {
  if (err instanceof StartupError) fail(err.message);
  logger.fatal({ err }, "start-up failed");
  process.exit(1);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, 10_000);
    timer.unref();
    server.close().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "error while shutting down");
        process.exit(1);
      },
    );
  });
}
