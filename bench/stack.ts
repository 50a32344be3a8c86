/** The server stack the socket benchmarks measure: a test database and an in-process Socket.IO server. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createSocketServer, type Publisher } from "../lib/realtime/socket-server.ts";
import type { WorkflowRuntime } from "../lib/workflows/runtime.ts";
import type { Store } from "../lib/store/index.ts";
import { createTestDatabase, postgresSkipReason } from "../tests/helpers/databases.ts";
import { testTokenAuthenticator } from "../tests/helpers/test-identity-token.ts";

export const SECRET = "bench-secret-0123456789-0123456789-abcdef";

export type Provider = "sqlite" | "postgresql";

/** The databases this run measures: the embedded default, and PostgreSQL when it answers. */
export async function providers(): Promise<Provider[]> {
  const reason = await postgresSkipReason().catch((err: Error) => err.message);
  if (reason) console.log(`(PostgreSQL rows left out: ${reason})`);
  return reason ? ["sqlite"] : ["sqlite", "postgresql"];
}

export interface Stack {
  provider: Provider;
  store: Store;
  url: string;
  io: ReturnType<typeof createSocketServer>;
  statements: string[];
  /** The test database's connection settings (e.g. for maintenance a real server's autovacuum would do). */
  config: import("../lib/config.ts").DatabaseConfig;
}

export async function withStack<T>(provider: Provider, fn: (env: Stack) => Promise<T>, options: { workflows?: (publisher: Publisher, store: Store) => WorkflowRuntime } = {}): Promise<T> {
  const t = await createTestDatabase(provider);
  const store = t.store;
  const http = createServer();
  const io = createSocketServer(http, {
    store,
    logger: pino({ level: "silent" }),
    authenticate: testTokenAuthenticator(SECRET),
    pageSize: 500,
    handleUserMessage: async () => {},
    workflows: options.workflows ? (publisher) => options.workflows!(publisher, store) : undefined,
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
    return await fn({ provider, store, url, io, statements: t.statements, config: t.config });
  } finally {
    await new Promise<void>((r) => io.close(() => r()));
    await t.cleanup();
  }
}

