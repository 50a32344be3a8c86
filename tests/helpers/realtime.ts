/**
 * A real Socket.IO server on port 0 around a test database's store, real socket.io-client
 * connections, and waits that resolve on events (with a timeout only as a failure guard).
 */
import type { Limiters } from "../../lib/limits/limiter.ts";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, afterEach, before } from "node:test";
import pino from "pino";
import { io as connectSocket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import type { TabflowClient, TabflowClientState, TabflowSocket } from "../../lib/realtime/client.ts";
import { echoReply } from "../../lib/realtime/echo-reply.ts";
import { issueIdentityToken, testTokenAuthenticator } from "./test-identity-token.ts";
import type { Ack, RequestName, RequestPayload, RequestResult, ServerToClientEvents } from "../../lib/realtime/protocol.ts";
import { createSocketServer, publisherOf, type HandleUserMessage, type Publisher, type TabflowServer } from "../../lib/realtime/socket-server.ts";
import type { MessageRecord, Scope, SessionRecord, Store } from "../../lib/store/index.ts";
import type { WorkflowRuntime } from "../../lib/workflows/runtime.ts";
import { createTestDatabase, type Provider, type TestDatabase } from "./databases.ts";

export const TEST_SECRET = "test-secret-for-realtime-tests-0123456789";
const GUARD_MS = 10_000;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RealtimeHarness {
  url: string;
  io: TabflowServer;
  publisher: Publisher;
  /** Everything the server logged (debug and up). */
  logs: LogLine[];
  tokenFor(scope: Scope): string;
  /** A connected client socket of that user; disconnected by close(). */
  connect(scope: Scope, options?: Partial<ManagerOptions & SocketOptions>): Promise<TabflowSocket>;
  /** A socket that is not connected yet (for connect_error tests). */
  socket(options: Partial<ManagerOptions & SocketOptions>): TabflowSocket;
  /** Resolves once every workflow reply started so far is stored (and broadcast). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startRealtimeServer(
  store: Store,
  options: { pageSize?: number; handleUserMessage?: HandleUserMessage; workflows?: (publisher: Publisher) => WorkflowRuntime; limiters?: Limiters } = {},
): Promise<RealtimeHarness> {
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  // Replies run after the send is acked; tracking them lets a test wait until they are stored
  // instead of letting one test's late reply land in the next test's row counts.
  const replying = new Set<Promise<void>>();
  const agent = options.handleUserMessage ?? echoReply;
  const handleUserMessage: HandleUserMessage = (event, publisher) => {
    const reply = agent(event, publisher);
    replying.add(reply);
    void reply.catch(() => {}).finally(() => replying.delete(reply));
    return reply;
  };
  const httpServer = createServer();
  const io = createSocketServer(httpServer, {
    store,
    logger,
    authenticate: testTokenAuthenticator(TEST_SECRET),
    pageSize: options.pageSize,
    handleUserMessage,
    workflows: options.workflows,
    limiters: options.limiters,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const sockets: TabflowSocket[] = [];

  const socket = (opts: Partial<ManagerOptions & SocketOptions>): TabflowSocket => {
    const s: TabflowSocket = connectSocket(url, {
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 20,
      reconnectionDelayMax: 100,
      ...opts,
    });
    sockets.push(s);
    return s;
  };
  return {
    url,
    io,
    publisher: publisherOf(io),
    logs,
    tokenFor: (scope) => issueIdentityToken(scope, TEST_SECRET),
    socket,
    async connect(scope, opts = {}) {
      return connected(socket({ auth: { token: issueIdentityToken(scope, TEST_SECRET) }, ...opts }));
    },
    async settle() {
      while (replying.size) await Promise.allSettled([...replying]);
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

/** Resolves with the socket once it is connected; rejects with the server's refusal. */
export async function connected(s: TabflowSocket): Promise<TabflowSocket> {
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      s.once("connect", resolve);
      s.once("connect_error", reject);
    }),
    "connect",
  );
  return s;
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = GUARD_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** The raw ack of a request (socket.io's typings lose it under timeout(), so it is cast here). */
export async function request<E extends RequestName>(socket: TabflowSocket, event: E, payload: RequestPayload<E>): Promise<Ack<RequestResult<E>>> {
  const emitter = socket.timeout(GUARD_MS) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
  return (await emitter.emitWithAck(event, payload)) as Ack<RequestResult<E>>;
}

/** The data of a request that must succeed. */
export async function ok<E extends RequestName>(socket: TabflowSocket, event: E, payload: RequestPayload<E>): Promise<RequestResult<E>> {
  const ack = await request(socket, event, payload);
  if (!ack.ok) assert.fail(`${event} failed: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/**
 * A round trip that touches nothing (leaving a room the socket is not in). The server sends on
 * one socket in order, so whatever it emitted to this socket before has arrived once this returns.
 */
export async function barrier(socket: TabflowSocket): Promise<void> {
  await ok(socket, "session:leave", { sessionId: "barrier-not-a-session" });
}

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

export interface Recording<T> {
  items: T[];
  /** Resolves once the recorded items satisfy `predicate` (checked now and on every event). */
  until(predicate: (items: T[]) => boolean, what?: string): Promise<T[]>;
}

/** Records every event of one kind a socket receives, from now on. */
export function record<E extends keyof ServerToClientEvents>(socket: TabflowSocket, event: E): Recording<Payload<E>> {
  const items: Payload<E>[] = [];
  const waiters = new Set<() => void>();
  (socket.on as (e: string, l: (p: Payload<E>) => void) => void)(event, (p) => {
    items.push(p);
    for (const w of waiters) w();
  });
  return {
    items,
    until(predicate, what = `${event} events`) {
      let waiter = () => {};
      return withTimeout(
        new Promise<Payload<E>[]>((resolve) => {
          waiter = () => {
            if (predicate(items)) resolve(items);
          };
          waiters.add(waiter);
          waiter();
        }),
        what,
      ).finally(() => waiters.delete(waiter));
    },
  };
}

/** Resolves once the client's state satisfies `predicate` (checked now and on every change). */
export function waitForState(client: TabflowClient, predicate: (s: TabflowClientState) => boolean, what = "client state"): Promise<TabflowClientState> {
  let unsubscribe = () => {};
  return withTimeout(
    new Promise<TabflowClientState>((resolve) => {
      const check = (s: TabflowClientState) => {
        if (!predicate(s)) return;
        unsubscribe();
        resolve(s);
      };
      unsubscribe = client.subscribe(check);
      check(client.getState());
    }),
    what,
  ).finally(() => unsubscribe());
}

/** The store, with a count of the messages its listMessages returned (what joins actually read). */
export function countingStore(store: Store): { store: Store; reads: { messages: number } } {
  const reads = { messages: 0 };
  const listMessages: Store["listMessages"] = async (...args) => {
    const page = await store.listMessages(...args);
    reads.messages += page.messages.length;
    return page;
  };
  return { store: { ...store, listMessages }, reads };
}

/** Counts the messages carried by the acks a client socket receives (join pages and message:list). */
export function countAckedMessages(socket: TabflowSocket): { messages: number } {
  const counted = { messages: 0 };
  const timeout = socket.timeout.bind(socket);
  socket.timeout = ((ms: number) => {
    const inner = timeout(ms) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
    return {
      async emitWithAck(event: string, payload: unknown) {
        const ack = (await inner.emitWithAck(event, payload)) as Ack<{ messages?: unknown[] }>;
        if ((event === "session:join" || event === "message:list") && ack.ok) counted.messages += ack.data.messages?.length ?? 0;
        return ack;
      },
    };
  }) as unknown as TabflowSocket["timeout"];
  return counted;
}

/** A small seeded PRNG (mulberry32): fuzzing that fails can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RealtimeFixture {
  t: TestDatabase;
  h: RealtimeHarness;
  /** Messages the server read from the database (through listMessages). */
  reads: { messages: number };
  newSession(scope: Scope, title: string, messages?: number): Promise<SessionRecord>;
  addMessages(scope: Scope, sessionId: string, count: number, prefix?: string): Promise<void>;
  storedMessages(scope: Scope, sessionId: string): Promise<MessageRecord[]>;
}

/** A fresh database and server for the enclosing describe(), torn down after it. */
export function useRealtimeFixture(provider: Provider, options: { pageSize?: number } = {}): RealtimeFixture {
  const f = {} as RealtimeFixture;
  before(async () => {
    f.t = await createTestDatabase(provider);
    const counting = countingStore(f.t.store);
    f.reads = counting.reads;
    f.h = await startRealtimeServer(counting.store, options);
  });
  afterEach(() => f.h.settle());
  after(async () => {
    await f.h?.close();
    await f.t?.cleanup();
  });
  f.addMessages = async (scope, sessionId, count, prefix = "m") => {
    for (let i = 0; i < count; i++) {
      await f.t.store.appendMessage(scope, sessionId, { role: i % 2 ? "agent" : "user", kind: "text", content: { text: `${prefix}${i + 1}` } });
    }
  };
  f.newSession = async (scope, title, messages = 0) => {
    const s = await f.t.store.createWorkflowSession(scope, { workflowName: "generator", title });
    await f.addMessages(scope, s.id, messages);
    return s;
  };
  f.storedMessages = async (scope, sessionId) => (await f.t.store.listMessages(scope, sessionId, 0, 1000)).messages;
  return f;
}

/** A message:send with a fresh clientMessageId, answered with the raw ack. */
export function send(socket: TabflowSocket, sessionId: string, text: string, clientMessageId = `c-${Math.random().toString(36).slice(2)}`) {
  return request(socket, "message:send", { sessionId, clientMessageId, text });
}
