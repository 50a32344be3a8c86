/**
 * The browser-side (and test-side) client: a per-session cache kept in step with the server
 * over one socket. Tabs switch with show(id), which re-joins with the seq already held, so a
 * switch only reads the delta; a reconnect re-joins the shown session the same way. No React
 * and no node imports: a UI subscribes and renders getState(). The pieces: client-request.ts
 * (the only emitter), client-state.ts (what is known), session-sync.ts (join, gaps).
 */
import { TabflowClientError, newClientMessageId } from "./client-error.ts";
import { createRequester, type TabflowSocket } from "./client-request.ts";
import { ClientData, type TabflowClientState } from "./client-state.ts";
import { applyDraftEvent, type DraftEvent } from "./draft.ts";
import type { AckError, ArtifactDto, MessageDto, RequestName, RequestPayload, RequestResult, SessionDto, SessionStatus, SessionSummary } from "./protocol.ts";
import { mergeArtifacts } from "./session-cache.ts";
import { createSessionSync } from "./session-sync.ts";

export { TabflowClientError, newClientMessageId };
export type { TabflowClientState, TabflowSocket };

export interface TabflowClient {
  getState(): TabflowClientState;
  subscribe(listener: (state: TabflowClientState) => void): () => void;
  listSessions(statuses?: SessionStatus[]): Promise<readonly SessionSummary[]>;
  /** One page of sessions with these statuses, after `before` (the previous page's last one); adds, never drops. */
  listSessionPage(statuses: SessionStatus[], limit: number, before?: Pick<SessionSummary, "lastActivityAt" | "id">): Promise<readonly SessionSummary[]>;
  createSession(input: RequestPayload<"session:create">): Promise<SessionDto>;
  /** Shows a session: resolves once its messages up to now are held. */
  show(sessionId: string): Promise<void>;
  hide(): Promise<void>;
  /** Sends to the shown session. Pass the same clientMessageId to retry without a duplicate. */
  send(text: string, clientMessageId?: string): Promise<MessageDto>;
  /** Sends to a named session (shown or not): a message typed for one session never goes to another. */
  sendTo(sessionId: string, text: string, clientMessageId: string): Promise<MessageDto>;
  complete(sessionId: string): Promise<SessionDto>;
  archive(sessionId: string): Promise<SessionDto>;
  unarchive(sessionId: string): Promise<SessionDto>;
  request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>>;
  dispose(): void;
}

export function createTabflowClient(socket: TabflowSocket, options: { timeoutMs?: number } = {}): TabflowClient {
  const request = createRequester(socket, options.timeoutMs ?? 10_000);
  const data = new ClientData();
  const listeners = new Set<(state: TabflowClientState) => void>();
  let connections = socket.connected ? 1 : 0;
  let currentId: string | undefined;
  let listedStatuses: SessionStatus[] | undefined;
  let error: AckError | undefined;
  let views: Promise<unknown> = Promise.resolve();
  let state = data.snapshot(socket.connected, currentId, error);

  function changed(): void {
    state = data.snapshot(socket.connected, currentId, error);
    for (const listener of listeners) listener(state);
  }

  function report(err: unknown): void {
    error = err instanceof TabflowClientError ? { code: err.code, message: err.message } : { code: "internal", message: String(err) };
    changed();
  }

  const sync = createSessionSync({ request, data, currentId: () => currentId, connection: () => connections, changed, report });

  /** Joins and leaves run one at a time, in the order they were asked for. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = views.then(task);
    views = run.catch(() => {});
    return run;
  }

  const onMessage = (message: MessageDto) => sync.absorb(message.sessionId, [message]);
  const onSession = (summary: SessionSummary) => {
    data.upsertSummary(summary);
    changed();
  };
  const onArtifact = ({ sessionId, artifact }: { sessionId: string; artifact: ArtifactDto }) => {
    const cache = data.caches.get(sessionId);
    if (cache && mergeArtifacts(cache, [artifact], false)) changed();
  };
  const onDraft = (event: DraftEvent) => {
    const cache = data.caches.get(event.sessionId);
    if (cache && applyDraftEvent(cache.drafts, event)) changed();
  };
  const onConnect = () => {
    connections += 1;
    changed();
    if (connections === 1) return; // requests made before the first connect were buffered and sent
    const id = currentId;
    // Broadcasts sent while we were away are lost: re-join (the one resume path) with the
    // seq we hold, unless a join already landed on this new connection.
    if (id !== undefined) enqueue(() => (sync.joinedOnThisConnection(id) ? Promise.resolve() : sync.join(id))).catch(report);
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
    for (const [id, s] of data.summaries) if (statuses.includes(s.status) && !ids.has(id)) data.summaries.delete(id);
    for (const s of listed) data.upsertSummary(s);
    listedStatuses = statuses;
    changed();
    return listed;
  }

  async function listSessionPage(statuses: SessionStatus[], limit: number, before?: Pick<SessionSummary, "lastActivityAt" | "id">) {
    const page = await request("session:list", { statuses, limit, before: before && { lastActivityAt: before.lastActivityAt, id: before.id } });
    for (const s of page) data.upsertSummary(s);
    changed();
    return page;
  }

  async function changeSession(event: "session:complete" | "session:archive" | "session:unarchive", sessionId: string) {
    const session = await request(event, { sessionId });
    data.upsertSummary(session);
    changed();
    return session;
  }

  async function sendTo(sessionId: string, text: string, clientMessageId: string): Promise<MessageDto> {
    const message = await request("message:send", { sessionId, clientMessageId, text });
    sync.absorb(sessionId, [message]);
    return message;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listSessions,
    listSessionPage,
    async createSession(input) {
      const session = await request("session:create", input);
      data.upsertSummary(session);
      changed();
      return session;
    },
    show(sessionId) {
      if (currentId !== sessionId) {
        currentId = sessionId;
        error = undefined;
        changed();
      }
      return enqueue(() => sync.join(sessionId));
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
      return sendTo(sessionId, text, clientMessageId);
    },
    sendTo,
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
