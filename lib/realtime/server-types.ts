import type { Server, Socket } from "socket.io";
import type { Limiters } from "../limits/limiter.ts";
import type { Logger } from "../logger.ts";
import type { ArtifactRecord, MessageRecord, Scope, SessionRecord, Store } from "../store/index.ts";
import type { WorkflowRuntime } from "../workflows/runtime.ts";
import type { ArtifactActionDto, ClientToServerEvents, ParsedRequest, RequestName, RequestResult, ServerToClientEvents } from "./protocol.ts";
import type { Publisher } from "./publisher.ts";

/** What the server remembers per socket. Set by the authentication middleware, never by a payload. */
export interface SocketData {
  scope: Scope;
  /** The sign-in session the socket was opened with (dropped when it ends or expires). */
  authSession?: { id: string; expiresAt: Date };
  /** The one session this socket is viewing (its session room), if any. */
  viewing?: string;
  /** The session of the newest join still reading, and its ticket: an overtaken join gives way. */
  joining?: string;
  joinTicket: number;
}

/** No events between server nodes yet (the Redis adapter only relays room broadcasts). */
type InterServerEvents = Record<string, never>;
export type TabflowServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TabflowServerSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HandlerContext {
  socket: TabflowServerSocket;
  scope: Scope;
  store: Store;
  publisher: Publisher;
  logger: Logger;
  pageSize: number;
  /** Hands a newly stored user message to the session's workflow, without waiting for it. */
  onUserMessage(event: UserMessageEvent, release?: () => void): void;
  /** Rate limits and quotas (unset in protocol tests: nothing is limited). */
  limiters?: Limiters;
  /** The workflow runtime, when this server runs workflows (tests of the protocol alone do not). */
  workflows?: WorkflowRuntime;
  /** The buttons of an artifact as seen from a session. */
  describeActions(artifact: ArtifactRecord, session: SessionRecord): ArtifactActionDto[];
}

export interface UserMessageEvent {
  scope: Scope;
  message: MessageRecord;
  text: string;
}

export type Handler<E extends RequestName> = (payload: ParsedRequest<E>, ctx: HandlerContext) => Promise<RequestResult<E>>;
export type Handlers = { [E in RequestName]?: Handler<E> };
