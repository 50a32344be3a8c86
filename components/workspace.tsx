"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { io } from "socket.io-client";
import { createTabflowClient, newClientMessageId, TabflowClientError, type TabflowClient, type TabflowClientState, type TabflowSocket } from "@/lib/realtime/client.ts";
import type { ArtifactDto, SessionSummary, WorkflowInfo } from "@/lib/realtime/protocol.ts";
import { AccountMenu, redirectWhenSignedOut } from "./account-menu.tsx";
import { ArtifactPanel } from "./artifact-panel.tsx";
import { ChatLog, Composer, type PendingMessage } from "./chat.tsx";
import { QuickSwitcher } from "./quick-switcher.tsx";
import { runText, SessionTabs, STATUS_TEXT } from "./session-tabs.tsx";

const EMPTY_STATE: TabflowClientState = { connected: false, sessions: [], unread: {} };

interface Toast {
  id: number;
  text: string;
}

function errorText(err: unknown): string {
  if (err instanceof TabflowClientError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

function sessionFromUrl(): string | null {
  if (typeof window === "undefined") return null;
  return new URLSearchParams(window.location.search).get("session");
}

function defaultWorkflowTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/[-_]/g, " ");
}

/** A real link to a session (open in a new tab, copy), shown in place on a plain click. */
function SessionLink({
  id,
  current,
  onOpen,
  className,
  children,
}: {
  id: string;
  current: boolean;
  onOpen: (id: string) => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <a
      href={`/?session=${encodeURIComponent(id)}`}
      className={`session-link${className ? ` ${className}` : ""}`}
      aria-current={current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        onOpen(id);
      }}
    >
      {children}
    </a>
  );
}

export function Workspace({ account }: { account?: { email: string } } = {}) {
  const clientRef = useRef<TabflowClient | null>(null);
  const [state, setState] = useState<TabflowClientState>(EMPTY_STATE);
  const [ready, setReady] = useState(false);
  const [everConnected, setEverConnected] = useState(false);
  const [online, setOnline] = useState(true);
  const [workflows, setWorkflows] = useState<WorkflowInfo[]>([]);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [menuOpen, setMenuOpen] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const [confirming, setConfirming] = useState<"complete" | "archive" | null>(null);
  const [busyAction, setBusyAction] = useState<string | null>(null);
  /** The session whose history is still arriving in pages; its log is laid out again once it is all there. */
  const [loadingId, setLoadingId] = useState<string | null>(null);
  const [focusComposer, setFocusComposer] = useState(0);
  const toastId = useRef(0);
  const menuRef = useRef<HTMLDivElement>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);
  /** Stable tab order: the order sessions were first seen (oldest activity first on load). */
  const order = useRef(new Map<string, number>());

  const toast = useCallback((err: unknown) => {
    const text = errorText(err);
    const id = ++toastId.current;
    setToasts((t) => [...t.slice(-3), { id, text }]);
  }, []);

  // --- the socket and the client ----------------------------------------------------------
  useEffect(() => {
    const socket: TabflowSocket = io({ transports: ["websocket"] });
    redirectWhenSignedOut(socket);
    const client = createTabflowClient(socket);
    clientRef.current = client;
    const unsubscribe = client.subscribe((s) => {
      setState(s);
      if (s.connected) setEverConnected(true);
    });
    setState(client.getState());
    let cancelled = false;
    (async () => {
      try {
        const [wf] = await Promise.all([client.request("workflow:list", {}), client.listSessions(["IN_PROGRESS", "COMPLETED", "ARCHIVED"])]);
        if (cancelled) return;
        setWorkflows(wf);
        setReady(true);
      } catch (err) {
        if (!cancelled) toast(err);
      }
    })();
    const goOnline = () => setOnline(true);
    const goOffline = () => setOnline(false);
    setOnline(navigator.onLine);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    return () => {
      cancelled = true;
      unsubscribe();
      client.dispose();
      socket.disconnect();
      clientRef.current = null;
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
    };
  }, [toast]);

  // Errors the client hit on its own (a failed re-join, a gap fill).
  const lastError = useRef<unknown>(undefined);
  useEffect(() => {
    if (state.error && state.error !== lastError.current) {
      lastError.current = state.error;
      toast(state.error.message);
    }
  }, [state.error, toast]);

  const workflowTitle = useCallback(
    (name: string) => workflows.find((w) => w.name === name)?.title ?? defaultWorkflowTitle(name),
    [workflows],
  );

  // --- showing a session and the URL --------------------------------------------------------
  const show = useCallback(
    (id: string | null, onFail?: () => void) => {
      const client = clientRef.current;
      if (!client) return;
      setConfirming(null);
      if (id === null) {
        if (client.getState().currentId !== undefined) client.hide().catch(toast);
        return;
      }
      if (client.getState().currentId !== id || !client.getState().current?.session) {
        const shown = client.show(id);
        // A session shown before keeps its history in the client's cache: its log mounts once,
        // with what is held, and the delta joins its end. Only a history still arriving in
        // pages is laid out again when it is all there.
        if (!client.getState().current?.session) setLoadingId(id);
        shown
          .catch((err: unknown) => {
            toast(`Cannot show that session: ${errorText(err)}`);
            onFail?.();
          })
          .finally(() => setLoadingId((l) => (l === id ? null : l)));
      }
    },
    [toast],
  );

  const switchTo = useCallback(
    (id: string | null, mode: "push" | "replace" = "push") => {
      const url = id === null ? "/" : `/?session=${encodeURIComponent(id)}`;
      if (window.location.pathname + window.location.search !== url) {
        if (mode === "push") window.history.pushState(window.history.state, "", url);
        else window.history.replaceState(window.history.state, "", url);
      }
      show(id);
    },
    [show],
  );

  const completedRef = useRef<HTMLDetailsElement>(null);
  const openFromList = useCallback(
    (id: string) => {
      if (completedRef.current) completedRef.current.open = false;
      switchTo(id);
    },
    [switchTo],
  );

  const pickDefault = useCallback((): string | null => {
    const sessions = clientRef.current?.getState().sessions ?? [];
    return (sessions.find((s) => s.status === "IN_PROGRESS") ?? sessions.find((s) => s.status === "COMPLETED"))?.id ?? null;
  }, []);

  useEffect(() => {
    if (!ready) return;
    const fromUrl = sessionFromUrl();
    if (fromUrl)
      show(fromUrl, () => {
        const id = pickDefault();
        if (id && id !== fromUrl) switchTo(id, "replace");
      });
    else {
      const id = pickDefault();
      if (id) switchTo(id, "replace");
    }
    const onPop = () => show(sessionFromUrl() ?? pickDefault());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [ready, show, switchTo, pickDefault]);

  // --- derived lists --------------------------------------------------------------------------
  const currentId = state.currentId;
  const byId = useMemo(() => new Map(state.sessions.map((s) => [s.id, s])), [state.sessions]);
  const currentSummary: SessionSummary | undefined = (currentId && byId.get(currentId)) || state.current?.session;

  const tabs = useMemo(() => {
    const known = order.current;
    for (const s of [...state.sessions].reverse()) if (!known.has(s.id)) known.set(s.id, known.size);
    // A session that just completed stays (marked Completed) while it is shown.
    return state.sessions
      .filter((s) => s.status === "IN_PROGRESS" || (s.id === currentId && s.status === "COMPLETED"))
      .sort((a, b) => known.get(a.id)! - known.get(b.id)!);
  }, [state.sessions, currentId]);
  const completed = state.sessions.filter((s) => s.status === "COMPLETED");
  const archived = state.sessions.filter((s) => s.status === "ARCHIVED");

  const shownTitle = currentSummary?.title;
  useEffect(() => {
    document.title = shownTitle ? `${shownTitle} · Tabflow` : "Tabflow";
  }, [shownTitle]);

  // Alt+1..9 switches to tab N.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^Digit([1-9])$/.exec(e.code);
      if (!m) return;
      const tab = tabs[Number(m[1]) - 1];
      if (!tab) return;
      e.preventDefault();
      switchTo(tab.id);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [tabs, switchTo]);

  // --- sending, with a queue for when the connection is down --------------------------------
  const flushing = useRef(new Set<string>());
  const deliver = useCallback(
    async (p: PendingMessage) => {
      const client = clientRef.current;
      if (!client || flushing.current.has(p.clientMessageId)) return;
      flushing.current.add(p.clientMessageId);
      setPending((list) => list.map((x) => (x.clientMessageId === p.clientMessageId ? { ...x, state: "sending" } : x)));
      try {
        if (client.getState().currentId === p.sessionId) await client.send(p.text, p.clientMessageId);
        else await client.request("message:send", { sessionId: p.sessionId, clientMessageId: p.clientMessageId, text: p.text });
        setPending((list) => list.filter((x) => x.clientMessageId !== p.clientMessageId));
      } catch (err) {
        if (err instanceof TabflowClientError && err.code === "unavailable") {
          // Keep it: it is retried with the same clientMessageId once the socket is back.
          setPending((list) => list.map((x) => (x.clientMessageId === p.clientMessageId ? { ...x, state: "queued" } : x)));
        } else {
          setPending((list) => list.filter((x) => x.clientMessageId !== p.clientMessageId));
          toast(`Message not sent: ${errorText(err)}`);
        }
      } finally {
        flushing.current.delete(p.clientMessageId);
      }
    },
    [toast],
  );

  useEffect(() => {
    if (!state.connected) return;
    for (const p of pending) if (p.state === "queued") void deliver(p);
  }, [state.connected, pending, deliver]);

  const onSend = useCallback(
    (text: string) => {
      if (!currentId) return;
      const p: PendingMessage = { clientMessageId: newClientMessageId(), sessionId: currentId, text, state: "queued" };
      setPending((list) => [...list, p]);
      if (clientRef.current?.getState().connected) void deliver(p);
    },
    [currentId, deliver],
  );

  // --- actions ---------------------------------------------------------------------------------
  async function createSession(workflowName: string) {
    setMenuOpen(false);
    const client = clientRef.current;
    if (!client) return;
    try {
      const session = await client.createSession({ workflowName });
      switchTo(session.id);
      setFocusComposer((n) => n + 1);
    } catch (err) {
      toast(err);
    }
  }

  async function runAction(artifact: ArtifactDto, action: string) {
    const client = clientRef.current;
    if (!client) return;
    setBusyAction(`${artifact.id}:${action}`);
    try {
      const res = await client.request("artifact:action", { artifactId: artifact.id, action, sessionId: currentId });
      if (res.sessionId && res.sessionId !== currentId) switchTo(res.sessionId);
    } catch (err) {
      toast(err);
    } finally {
      setBusyAction(null);
    }
  }

  async function changeStatus(kind: "complete" | "archive" | "unarchive", id: string) {
    const client = clientRef.current;
    if (!client) return;
    setConfirming(null);
    try {
      if (kind === "complete") await client.complete(id);
      else if (kind === "archive") {
        await client.archive(id);
        if (id === client.getState().currentId) {
          const next = tabs.find((t) => t.id !== id && t.status === "IN_PROGRESS");
          switchTo(next?.id ?? null);
        }
      } else await client.unarchive(id);
    } catch (err) {
      toast(err);
    }
  }

  async function stopRun(id: string) {
    try {
      await clientRef.current?.request("run:stop", { sessionId: id });
    } catch (err) {
      toast(err);
    }
  }

  // Close the new-session menu on Escape or an outside click.
  useEffect(() => {
    if (!menuOpen) return;
    menuRef.current?.querySelector("button")?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && e.target !== newButtonRef.current) setMenuOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setMenuOpen(false);
        newButtonRef.current?.focus();
      }
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [menuOpen]);

  // --- render ----------------------------------------------------------------------------------
  const connection = state.connected ? "Connected" : !online ? "Offline" : everConnected ? "Reconnecting…" : "Connecting…";
  const startable = workflows.filter((w) => w.startable);
  const current = state.current;
  const messages = current?.messages ?? [];
  const artifacts = current?.artifacts ?? [];
  const shownPending = pending.filter((p) => p.sessionId === currentId && !messages.some((m) => m.clientMessageId === p.clientMessageId));
  const status = currentSummary?.status;
  const disabledReason =
    status === "COMPLETED"
      ? "This session is completed; start a new session to continue."
      : status === "ARCHIVED"
        ? "This session is archived; unarchive it to read it as completed."
        : !current?.session
          ? "Loading the session…"
          : null;
  const parent = currentSummary?.parentSessionId ? byId.get(currentSummary.parentSessionId) : undefined;
  const currentRun = currentSummary ? runText(currentSummary) : null;
  const isTab = currentId !== undefined && tabs.some((t) => t.id === currentId);

  return (
    <div className="workspace">
      <header className="topbar">
        <h1>Tabflow</h1>
        <span role="status" className={`connection conn-${state.connected ? "ok" : "down"}`}>
          {connection}
        </span>
        <div className="new-session">
          <button
            ref={newButtonRef}
            type="button"
            className="primary"
            aria-haspopup="true"
            aria-expanded={menuOpen}
            aria-controls="new-session-menu"
            onClick={() => setMenuOpen((o) => !o)}
          >
            New session
          </button>
          {menuOpen && (
            <div id="new-session-menu" ref={menuRef} className="menu" aria-label="Start a workflow">
              {startable.length === 0 && <p className="muted small">No workflows available.</p>}
              {startable.map((w) => (
                <button key={w.name} type="button" onClick={() => createSession(w.name)} title={w.description}>
                  {w.title}
                </button>
              ))}
            </div>
          )}
        </div>
        <QuickSwitcher client={clientRef.current} sessions={state.sessions} order={tabs.map((t) => t.id)} currentId={currentId} onOpen={openFromList} workflowTitle={workflowTitle} />
        {account && <AccountMenu email={account.email} />}
      </header>

      <nav className="tabbar" aria-label="Session switcher">
        <SessionTabs sessions={tabs} selectedId={currentId} unread={state.unread} workflowTitle={workflowTitle} onSelect={(id) => switchTo(id)} />
        <div className="history">
          <details ref={completedRef}>
            <summary>Completed ({completed.length})</summary>
            <ul aria-label="Completed sessions" className="session-list">
              {completed.length === 0 && <li className="muted small">Nothing completed yet.</li>}
              {completed.map((s) => (
                <li key={s.id}>
                  <SessionLink id={s.id} current={s.id === currentId} onOpen={openFromList}>
                    {s.title} · {workflowTitle(s.workflowName)} · Completed
                  </SessionLink>
                </li>
              ))}
            </ul>
          </details>
          <label className="check">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
          </label>
        </div>
      </nav>
      {showArchived && (
        <section aria-label="Archived sessions" className="archived">
          <h2 className="small-heading">Archived</h2>
          {archived.length === 0 && <p className="muted small">No archived sessions.</p>}
          <ul className="session-list">
            {archived.map((s) => (
              <li key={s.id}>
                <SessionLink id={s.id} current={s.id === currentId} onOpen={switchTo}>
                  {s.title} · {workflowTitle(s.workflowName)} · Archived
                </SessionLink>{" "}
                <button type="button" onClick={() => changeStatus("unarchive", s.id)}>
                  Unarchive
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div role="alert" className="toasts">
        {toasts.map((t) => (
          <div key={t.id} className="toast">
            <span>{t.text}</span>
            <button type="button" aria-label="Dismiss" onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}>
              ×
            </button>
          </div>
        ))}
      </div>

      {currentId && currentSummary ? (
        <main className="main-wrap">
          <div className="main" id="session-panel" role={isTab ? "tabpanel" : undefined} aria-labelledby={isTab ? `tab-${currentId}` : undefined}>
          <div className="chat-column">
            <section className="session-header" aria-label="Session details">
              <div className="session-heading">
                <h2>{currentSummary.title}</h2>
                <span className="pill">{workflowTitle(currentSummary.workflowName)}</span>
                <span className={`pill status-${currentSummary.status.toLowerCase()}`}>{STATUS_TEXT[currentSummary.status]}</span>
                {current?.agent && <span className="pill agent-label" title="The agent that answers in this session">Agent: {current.agent}</span>}
                {currentRun === "Running" && (
                  <span className="run running">
                    <span className="spinner" aria-hidden="true" /> Running{currentSummary.run.step ? `: ${currentSummary.run.step}` : ""}
                  </span>
                )}
                {currentRun === "Failed" && <span className="run failed">Failed{currentSummary.run.error ? `: ${currentSummary.run.error}` : ""}</span>}
                {currentRun === "Stopped" && <span className="run stopped">Stopped{currentSummary.run.step ? `: ${currentSummary.run.step}` : ""}</span>}
              </div>
              {currentSummary.parentSessionId && (
                <SessionLink id={currentSummary.parentSessionId} current={false} onOpen={switchTo} className="lineage">
                  From {parent?.title ?? "parent session"}
                </SessionLink>
              )}
              <div className="session-actions">
                {currentSummary.run.state === "running" && currentSummary.status === "IN_PROGRESS" && (
                  <button type="button" onClick={() => stopRun(currentSummary.id)}>
                    Stop
                  </button>
                )}
                {currentSummary.status === "IN_PROGRESS" && (
                  <button type="button" onClick={() => setConfirming("complete")}>
                    Complete session
                  </button>
                )}
                {currentSummary.status !== "ARCHIVED" ? (
                  <button type="button" onClick={() => setConfirming("archive")}>
                    Archive session
                  </button>
                ) : (
                  <button type="button" onClick={() => changeStatus("unarchive", currentSummary.id)}>
                    Unarchive
                  </button>
                )}
              </div>
              {confirming && (
                <div className="confirm" role="group" aria-label={confirming === "complete" ? "Confirm completing" : "Confirm archiving"}>
                  <span>{confirming === "complete" ? "Complete this session? It becomes read-only." : "Archive this session? It leaves your tabs."}</span>
                  <button type="button" className="primary" autoFocus onClick={() => changeStatus(confirming, currentSummary.id)}>
                    {confirming === "complete" ? "Yes, complete" : "Yes, archive"}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              )}
            </section>
            <ChatLog key={`${currentId}:${loadingId === currentId ? "loading" : "ready"}`} messages={messages} pending={shownPending} draft={current?.draft} />
            <Composer sessionId={currentId} disabledReason={disabledReason} onSend={onSend} focusKey={focusComposer} />
          </div>
          <ArtifactPanel artifacts={artifacts} busy={busyAction} onAction={runAction} history={{ client: clientRef.current, sessions: byId, currentId, editable: status === "IN_PROGRESS", onOpenSession: openFromList }} />
          </div>
        </main>
      ) : (
        <main className="main main-empty">
          <p className="empty">{ready ? "No session is open. Start one with “New session”." : "Loading your sessions…"}</p>
        </main>
      )}
    </div>
  );
}
