import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { isTabflowError } from "../errors.ts";
import type { TestDelays } from "../config.ts";
import type { Limiters } from "../limits/limiter.ts";
import type { Logger } from "../logger.ts";
import { addressLimitMiddleware, connectionLimitMiddleware } from "./socket-limits.ts";
import type { Store } from "../store/index.ts";
import { authenticationMiddleware, type SocketAuthenticator } from "./authenticate.ts";
import { bindHandlers } from "./bind-handlers.ts";
import { echoReply, type HandleUserMessage } from "./echo-reply.ts";
import { messageHandlers } from "./handlers/messages.ts";
import { sessionHandlers } from "./handlers/sessions.ts";
import { viewingHandlers } from "./handlers/viewing.ts";
import { workflowHandlers } from "./handlers/workflows.ts";
import { searchHandlers } from "./handlers/search.ts";
import { artifactHistoryHandlers } from "./handlers/artifact-history.ts";
import type { WorkflowRuntime } from "../workflows/runtime.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, requestSchemas } from "./protocol.ts";
import { MAX_SOCKET_PAYLOAD_BYTES } from "./limits.ts";
import { createPublisher, type Publisher } from "./publisher.ts";
import { userRoom } from "./rooms.ts";
import { withTestDelays } from "./test-delays.ts";
import type { HandlerContext, TabflowServer, UserMessageEvent } from "./server-types.ts";

export type { HandleUserMessage } from "./echo-reply.ts";
export type { Publisher } from "./publisher.ts";
export type { TabflowServer, TabflowServerSocket, UserMessageEvent } from "./server-types.ts";
export type { AuthResult, SocketAuthenticator } from "./authenticate.ts";

export interface SocketServerDeps {
  store: Store;
  logger: Logger;
  /** Decides who a handshake is (production: the Better Auth session cookie, lib/auth/socket-auth.ts). */
  authenticate: SocketAuthenticator;
  /**
   * Builds the workflow runtime on this server's publisher (persist, then broadcast). Without
   * it the server speaks the protocol with an echo reply instead of workflows (protocol tests).
   */
  workflows?: (publisher: Publisher) => WorkflowRuntime;
  /** Replaces the echo reply when there is no workflow runtime (tests). */
  handleUserMessage?: HandleUserMessage;
  /** Messages per join ack or message:list page. */
  pageSize?: number;
  /** Test fixture (TABFLOW_TEST_FIXTURES=1 only): answers held back, see lib/realtime/test-delays.ts. */
  testDelays?: TestDelays;
  /** Rate limits and quotas on connections and events (unset: none, as in protocol tests). */
  limiters?: Limiters;
}

/** Largest socket frame accepted; bigger ones are refused by the transport itself (lib/realtime/limits.ts). */
export { MAX_SOCKET_PAYLOAD_BYTES } from "./limits.ts";

const allHandlers = { ...sessionHandlers, ...viewingHandlers, ...messageHandlers, ...workflowHandlers, ...searchHandlers, ...artifactHistoryHandlers };
const publishers = new WeakMap<TabflowServer, Publisher>();
const runtimes = new WeakMap<TabflowServer, WorkflowRuntime | undefined>();

/** The workflow runtime a socket server was created with, if any. */
export function workflowsOf(io: TabflowServer): WorkflowRuntime | undefined {
  return runtimes.get(io);
}

/** The persist-then-broadcast API of a socket server, for code that changes sessions outside a socket event. */
export function publisherOf(io: TabflowServer): Publisher {
  const publisher = publishers.get(io);
  if (!publisher) throw new Error("this Socket.IO server was not made by createSocketServer");
  return publisher;
}

/**
 * Creates the Socket.IO server on an existing HTTP server. Nothing listens here, so tests
 * can run it on port 0; server.ts wires it next to Next on one port.
 */
export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): TabflowServer {
  const { store, logger } = deps;
  const handlers = deps.testDelays ? withTestDelays(allHandlers, deps.testDelays) : allHandlers;
  const pageSize = Math.min(Math.max(1, Math.floor(deps.pageSize ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const io: TabflowServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
  });
  let workflows: WorkflowRuntime | undefined;
  const describeActions = (artifact: Parameters<WorkflowRuntime["describeActions"]>[0], session: Parameters<WorkflowRuntime["describeActions"]>[1]) =>
    workflows?.describeActions(artifact, session) ?? [];
  const publisher = createPublisher(io, store, logger, describeActions);
  publishers.set(io, publisher);
  workflows = deps.workflows?.(publisher);
  runtimes.set(io, workflows);

  const onUserMessage = (event: UserMessageEvent, release?: () => void) => {
    // Deferred so that a handler throwing synchronously is caught like one that rejects.
    const handled = workflows
      ? Promise.resolve(event).then((e) => workflows.handleUserMessage(e, release))
      : Promise.resolve(event).then((e) => (deps.handleUserMessage ?? echoReply)(e, publisher));
    handled.catch((err: unknown) => {
      // A session closed while its workflow was answering is expected, not a fault.
      const level = isTabflowError(err, "session_closed") ? "debug" : "error";
      logger[level]({ err, sessionId: event.message.sessionId, seq: event.message.seq }, "the workflow could not handle a user message");
    });
  };

  if (deps.limiters) io.use(addressLimitMiddleware(deps.limiters, logger));
  io.use(authenticationMiddleware(deps.authenticate, logger));
  if (deps.limiters) io.use(connectionLimitMiddleware(deps.limiters, logger));
  io.on("connection", (socket) => {
    const { scope } = socket.data;
    logger.debug({ socketId: socket.id, userId: scope.userId }, "socket connected");
    void socket.join(userRoom(scope));
    const ctx: HandlerContext = { socket, scope, store, publisher, logger, pageSize, onUserMessage, workflows, describeActions, limiters: deps.limiters };
    bindHandlers(socket, handlers, ctx);
    socket.onAny((event: unknown) => {
      if (typeof event !== "string" || !Object.hasOwn(requestSchemas, event)) logger.debug({ socketId: socket.id, event: String(event).slice(0, 100) }, "ignored an unknown event");
    });
    socket.on("disconnect", (reason) => logger.debug({ socketId: socket.id, reason }, "socket disconnected"));
  });
  return io;
}
