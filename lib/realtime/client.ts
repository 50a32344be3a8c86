/**
 * The browser-side (and test-side) client: a per-session cache kept in step with the server
 * over one socket. Tabs switch with show(id), which re-joins with the seq already held, so a
 * switch only reads the delta; a reconnect re-joins the shown session the same way. No React
 * and no node imports: a UI subscribes and renders getState().
 */
import { MAX_SOCKET_PAYLOAD_BYTES, payloadBytes } from "./limits.ts";
import type { Socket } from "socket.io-client";
import type {
  Ack,
  AckError,
  ArtifactDto,
  ClientToServerEvents,
  ErrorCode,
  MessageDto,
  RequestName,
  RequestPayload,
  RequestResult,
  ServerToClientEvents,
  SessionDto,
  SessionStatus,
  SessionSummary,
} from "./protocol.ts";
import { applyDraftEvent, endDraftsOf, type DraftDto, type DraftEvent } from "./draft.ts";
import { emptyCache, hasGap, heldSeq, mergeArtifacts, mergeMessages, type SessionCache } from "./session-cache.ts";

export type TabflowSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class TabflowClientError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "TabflowClientError";
    this.code = code;
  }
}

export interface TabflowClientState {
  connected: boolean;
  /** Every session this client knows of, newest activity first (filter by status to show tabs). */
  sessions: readonly SessionSummary[];
  /** Messages a background session received since this client last held it up to date. */
  unread: Readonly<Record<string, number>>;
  currentId?: string;
  current?: {
    session?: SessionDto;
    messages: readonly MessageDto[];
    artifacts: readonly ArtifactDto[];
    /** The agent reply streaming in right now (shown after the messages until it is stored). */
    draft?: DraftDto;
    /** Which agent answers here ("offline", "gpt-4o-mini via …"); null for workflows without one. */
    agent?: string | null;
  };
  /** The last failure of work the client did by itself (a gap fill, a re-join). */
  error?: AckError;
}

export interface TabflowClient {
  getState(): TabflowClientState;
  subscribe(listener: (state: TabflowClientState) => void): () => void;
  listSessions(statuses?: SessionStatus[]): Promise<readonly SessionSummary[]>;
  createSession(input: RequestPayload<"session:create">): Promise<SessionDto>;
  /** Shows a session: resolves once its messages up to now are held. */
  show(sessionId: string): Promise<void>;
  hide(): Promise<void>;
  /** Sends to the shown session. Pass the same clientMessageId to retry without a duplicate. */
  send(text: string, clientMessageId?: string): Promise<MessageDto>;
  complete(sessionId: string): Promise<SessionDto>;
  archive(sessionId: string): Promise<SessionDto>;
  unarchive(sessionId: string): Promise<SessionDto>;
  request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>>;
  dispose(): void;
}

type AckEmitter = { emitWithAck(event: string, payload: unknown): Promise<unknown> };

const newestFirst = (a: SessionSummary, b: SessionSummary) =>
  b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id);

export function createTabflowClient(socket: TabflowSocket, options: { timeoutMs?: number } = {}): TabflowClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const caches = new Map<string, SessionCache>();
  const summaries = new Map<string, SessionSummary>();
  /** For sessions never shown: their lastSeq when first seen, so old history is not "new". */
  const baseline = new Map<string, number>();
  /** Which connection each session was last joined on (a reconnect needs a fresh join). */
  const joinedOn = new Map<string, number>();
  const filling = new Map<string, Promise<void>>();
  const listeners = new Set<(state: TabflowClientState) => void>();
  let connections = socket.connected ? 1 : 0;
  let currentId: string | undefined;
  let joiningId: string | undefined;
  let listedStatuses: SessionStatus[] | undefined;
  let error: AckError | undefined;
  let views: Promise<unknown> = Promise.resolve();
  let state = snapshot();

  function snapshot(): TabflowClientState {
    const sessions = [...summaries.values()].sort(newestFirst);
    const unread: Record<string, number> = {};
    for (const s of sessions) {
      const cache = caches.get(s.id);
      const held = cache ? heldSeq(cache) : (baseline.get(s.id) ?? s.lastSeq);
      if (s.id !== currentId && s.lastSeq > held) unread[s.id] = s.lastSeq - held;
    }
    const cache = currentId === undefined ? undefined : caches.get(currentId);
    const current = cache && { session: cache.session, messages: cache.messages, artifacts: cache.artifacts, draft: cache.drafts.draft, agent: cache.agent };
    return { connected: socket.connected, sessions, unread, currentId, current, error };
  }

  function changed(): void {
    state = snapshot();
    for (const listener of listeners) listener(state);
  }

  function report(err: unknown): void {
    error = err instanceof TabflowClientError ? { code: err.code, message: err.message } : { code: "internal", message: String(err) };
    changed();
  }

  async function request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>> {
    let ack: Ack<RequestResult<E>>;
    if (payloadBytes(payload) > MAX_SOCKET_PAYLOAD_BYTES) {
      throw new TabflowClientError("invalid_payload", `${event} is too large: requests are limited to ${MAX_SOCKET_PAYLOAD_BYTES / 1024 / 1024} MiB`);
    }
    try {
      // socket.io's typings lose the ack type under timeout(); the event map above guarantees it.
      ack = (await (socket.timeout(timeoutMs) as unknown as AckEmitter).emitWithAck(event, payload)) as Ack<RequestResult<E>>;
    } catch (err) {
      throw new TabflowClientError("unavailable", `no answer to ${event}: ${(err as Error).message}`);
    }
    if (!ack.ok) throw new TabflowClientError(ack.error.code, ack.error.message);
    return ack.data;
  }

  function cacheOf(sessionId: string): SessionCache {
    let cache = caches.get(sessionId);
    if (!cache) caches.set(sessionId, (cache = emptyCache()));
    return cache;
  }

  function upsertSummary(summary: SessionSummary): void {
    summaries.set(summary.id, summary);
    if (!caches.has(summary.id) && !baseline.has(summary.id)) baseline.set(summary.id, summary.lastSeq);
    const cache = caches.get(summary.id);
    if (cache?.session) cache.session = { ...cache.session, ...summary };
  }

  /** Takes messages from any source (broadcast, ack, page) and fills a gap they reveal. */
  function absorb(sessionId: string, messages: readonly MessageDto[]): void {
    const cache = caches.get(sessionId);
    if (!cache) return;
    const ended = endDraftsOf(cache.drafts, messages);
    if (mergeMessages(cache, messages) || ended) changed();
    // While a join is reading, its answer covers the gap; it checks again when it lands.
    if (hasGap(cache) && sessionId === currentId && joiningId !== sessionId) fill(sessionId).catch(report);
  }

  /** Pages message:list until the cache holds everything the server had; one run per session. */
  function fill(sessionId: string): Promise<void> {
    const running = filling.get(sessionId);
    if (running) return running;
    const cache = cacheOf(sessionId);
    const run = (async () => {
      try {
        for (;;) {
          const page = await request("message:list", { sessionId, afterSeq: heldSeq(cache) });
          const ended = endDraftsOf(cache.drafts, page.messages);
          if (mergeMessages(cache, page.messages) || ended) changed();
          if (page.hasMore && page.messages.length > 0) continue;
          if (!hasGap(cache)) return;
          // The server has nothing after what we hold: what sits past the gap cannot be real.
          if (page.messages.length === 0) return void cache.ahead.clear();
        }
      } finally {
        // Cleared in the same turn as the last check, so a later gap always starts a new run.
        filling.delete(sessionId);
      }
    })();
    filling.set(sessionId, run);
    return run;
  }

  async function join(sessionId: string): Promise<void> {
    if (sessionId !== currentId) return; // a later show() replaced this one before it ran
    const cache = cacheOf(sessionId);
    joiningId = sessionId;
    let joined: RequestResult<"session:join">;
    try {
      joined = await request("session:join", { sessionId, afterSeq: heldSeq(cache) });
    } finally {
      joiningId = undefined;
    }
    joinedOn.set(sessionId, connections);
    cache.session = joined.session;
    upsertSummary(joined.session);
    mergeMessages(cache, joined.messages);
    mergeArtifacts(cache, joined.artifacts, true);
    cache.agent = joined.agent ?? null;
    endDraftsOf(cache.drafts, joined.messages);
    // The flushed draft is a snapshot: kept unless the live copy is already longer or it ended.
    if (joined.draft) applyDraftEvent(cache.drafts, { sessionId, type: "snapshot", ...joined.draft });
    // No draft on the server: one still held ended while we were away (its `end` was missed).
    else cache.drafts.draft = undefined;
    changed();
    if (joined.hasMore || hasGap(cache)) await fill(sessionId);
  }

  /** Joins and leaves run one at a time, in the order they were asked for. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = views.then(task);
    views = run.catch(() => {});
    return run;
  }

  const onMessage = (message: MessageDto) => absorb(message.sessionId, [message]);
  const onSession = (summary: SessionSummary) => {
    upsertSummary(summary);
    changed();
  };
  const onArtifact = ({ sessionId, artifact }: { sessionId: string; artifact: ArtifactDto }) => {
    const cache = caches.get(sessionId);
    if (cache && mergeArtifacts(cache, [artifact], false)) changed();
  };
  const onDraft = (event: DraftEvent) => {
    const cache = caches.get(event.sessionId);
    if (cache && applyDraftEvent(cache.drafts, event)) changed();
  };
  const onConnect = () => {
    connections += 1;
    changed();
    if (connections === 1) return; // requests made before the first connect were buffered and sent
    const id = currentId;
    // Broadcasts sent while we were away are lost: re-join (the one resume path) with the
    // seq we hold, unless a join already landed on this new connection.
    if (id !== undefined) enqueue(() => (joinedOn.get(id) === connections ? Promise.resolve() : join(id))).catch(report);
    if (listedStatuses) listSessions(listedStatuses).catch(report);
  };
  const onDisconnect = () => changed();

  socket.on("message:new", onMessage);
  socket.on("session:updated", onSession);
  socket.on("artifact:updated", onArtifact);
  socket.on("message:draft", onDraft);
  socket.on("connect", onConnect);
  socket.on("disconnect", onDisconnect);

  async function listSessions(statuses: SessionStatus[] = ["IN_PROGRESS"]): Promise<readonly SessionSummary[]> {
    const listed = await request("session:list", { statuses });
    const ids = new Set(listed.map((s) => s.id));
    // Drop what no longer has these statuses (its update may have been missed while offline).
    for (const [id, s] of summaries) if (statuses.includes(s.status) && !ids.has(id)) summaries.delete(id);
    for (const s of listed) upsertSummary(s);
    listedStatuses = statuses;
    changed();
    return listed;
  }

  async function changeSession(event: "session:complete" | "session:archive" | "session:unarchive", sessionId: string) {
    const session = await request(event, { sessionId });
    upsertSummary(session);
    changed();
    return session;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listSessions,
    async createSession(input) {
      const session = await request("session:create", input);
      upsertSummary(session);
      changed();
      return session;
    },
    show(sessionId) {
      if (currentId !== sessionId) {
        currentId = sessionId;
        error = undefined;
        changed();
      }
      return enqueue(() => join(sessionId));
    },
    hide() {
      const id = currentId;
      if (id === undefined) return Promise.resolve();
      currentId = undefined;
      changed();
      return enqueue(async () => void (await request("session:leave", { sessionId: id })));
    },
    async send(text, clientMessageId = newClientMessageId()) {
      const sessionId = currentId;
      if (sessionId === undefined) throw new TabflowClientError("invalid_payload", "no session is shown");
      const message = await request("message:send", { sessionId, clientMessageId, text });
      absorb(sessionId, [message]);
      return message;
    },
    complete: (sessionId) => changeSession("session:complete", sessionId),
    archive: (sessionId) => changeSession("session:archive", sessionId),
    unarchive: (sessionId) => changeSession("session:unarchive", sessionId),
    request,
    dispose() {
      socket.off("message:new", onMessage);
      socket.off("session:updated", onSession);
      socket.off("artifact:updated", onArtifact);
      socket.off("message:draft", onDraft);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      listeners.clear();
    },
  };
}

/** crypto.randomUUID exists only in secure contexts; a LAN http:// page still has getRandomValues. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
