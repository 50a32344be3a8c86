"use client";

import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { TabflowClient } from "@/lib/realtime/client.ts";
import type { ArtifactDto, SessionSummary } from "@/lib/realtime/protocol.ts";
import type { SessionAttention } from "./hooks/use-attention.ts";
import { useAttention, useTitleAndFavicon } from "./hooks/use-attention.ts";
import { useClient, useOnline } from "./hooks/use-connection.ts";
import { notificationsSupported, useNotifications } from "./hooks/use-notifications.ts";
import { isPendingId, useOutbox } from "./hooks/use-outbox.ts";
import { usePanes } from "./hooks/use-panes.ts";
import { useToasts } from "./hooks/use-toasts.ts";
import { useWorkspaceKeys } from "./hooks/use-workspace-keys.ts";
import { QuickSwitcher } from "./quick-switcher.tsx";
import { SessionPane, type PaneProps } from "./session-pane.tsx";
import { TabBar } from "./tab-bar.tsx";
import { TopBar } from "./top-bar.tsx";

function defaultWorkflowTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/[-_]/g, " ");
}

const byCreation = (a: SessionSummary, b: SessionSummary) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** What a mounted extra (a session switcher dialog, a top-bar button) can use. */
export interface WorkspaceContext {
  client: TabflowClient | null;
  sessions: readonly SessionSummary[];
  attention: ReadonlyMap<string, SessionAttention>;
  shownId: string | null;
  /** Shows a session in the main pane (and the URL). */
  show(id: string): void;
  workflowTitle(name: string): string;
}
type Slot = ReactNode | ((ctx: WorkspaceContext) => ReactNode);

/**
 * The workspace: composes the hooks (connection, panes and URL, outbox and drafts, attention,
 * notifications, keys) and the views (top bar, tab bar, one or two session panes).
 * `dialogs` is where an overlay such as a session switcher mounts; `tools` adds top-bar buttons.
 */
export function Workspace({ account, dialogs, tools }: { account?: { email: string }; dialogs?: Slot; tools?: Slot } = {}) {
  const email = account?.email;
  const { toasts, toast, dismiss } = useToasts();
  const main = useClient(toast, { listAll: true });
  const online = useOnline();
  const { client, state, workflows, ready } = main;

  const workflowTitle = useCallback((name: string) => workflows.find((w) => w.name === name)?.title ?? defaultWorkflowTitle(name), [workflows]);
  const sendVia = useMemo(() => (client ? client.sendTo.bind(client) : null), [client]);
  const outbox = useOutbox(email, sendVia, state.connected, toast);

  const [besideWanted, setBesideWanted] = useState(false);
  const beside = useClient(toast, { listAll: false, enabled: besideWanted });
  const panes = usePanes({ client, besideClient: beside.client, ready, sessions: state.sessions, workflowTitle, resolvePending: outbox.resolvePending, toast });
  const { shown } = panes;
  useEffect(() => setBesideWanted(shown.beside !== null), [shown.beside]);

  const byId = useMemo(() => new Map(state.sessions.map((s) => [s.id, s])), [state.sessions]);
  const onScreen = useMemo(() => [shown.id, shown.beside].filter((id): id is string => id !== null && !isPendingId(id)), [shown.id, shown.beside]);
  const attention = useAttention(email, state.sessions, onScreen, ready);
  const notifications = useNotifications(email, state.sessions, attention.byId, onScreen, panes.show, ready);
  useTitleAndFavicon(attention.waiting.length, shown.id ? byId.get(shown.id)?.title : undefined);

  const tabs = useMemo(
    // A session that just completed stays (marked Completed) while it is shown.
    () => state.sessions.filter((s) => s.status === "IN_PROGRESS" || (s.id === shown.id && s.status === "COMPLETED")).sort(byCreation),
    [state.sessions, shown.id],
  );
  useWorkspaceKeys({ tabs, show: panes.show, shownId: shown.id, openBeside: panes.openBeside, canOpenBeside: (id) => panes.otherThan(id) !== null });

  // Sent messages leave the outbox once a log shows them, or once their session is off screen.
  const heldIds = useMemo(() => {
    const ids = new Set<string>();
    for (const view of [state, beside.state]) for (const m of view.current?.messages ?? []) if (m.clientMessageId) ids.add(m.clientMessageId);
    return ids;
  }, [state, beside.state]);
  const { prune } = outbox;
  useEffect(() => prune((p) => heldIds.has(p.clientMessageId) || !onScreen.includes(p.sessionId)), [prune, heldIds, onScreen, outbox.outbox]);

  const { claimOrphans } = outbox;
  useEffect(() => {
    if (shown.id && !isPendingId(shown.id) && claimOrphans(shown.id)) toast("A message typed while a session was starting was not sent before the page reloaded: it is back in the composer.");
  }, [shown.id, claimOrphans, toast]);

  const [busyAction, setBusyAction] = useState<string | null>(null);
  const actions: PaneProps["actions"] = {
    setDraft: outbox.setDraft,
    send: outbox.enqueue,
    open: panes.show,
    markUnread: attention.markUnread,
    retryStart: panes.retryStart,
    dropStart: panes.dropStart,
    async runAction(sessionId: string, artifact: ArtifactDto, action: string) {
      if (!client) return;
      setBusyAction(`${artifact.id}:${action}`);
      try {
        const res = await client.request("artifact:action", { artifactId: artifact.id, action, sessionId });
        if (res.sessionId && res.sessionId !== sessionId) panes.show(res.sessionId);
      } catch (err) {
        toast(err);
      } finally {
        setBusyAction(null);
      }
    },
    async changeStatus(kind, id) {
      if (!client) return;
      try {
        if (kind === "complete") await client.complete(id);
        else if (kind === "archive") {
          await client.archive(id);
          if (id === shown.beside) panes.closePane("beside");
          else if (id === shown.id) panes.show(tabs.find((t) => t.id !== id && t.status === "IN_PROGRESS")?.id ?? null);
        } else await client.unarchive(id);
      } catch (err) {
        toast(err);
      }
    },
    async stop(id: string) {
      try {
        await client?.request("run:stop", { sessionId: id });
      } catch (err) {
        toast(err);
      }
    },
  };

  const ctx: WorkspaceContext = { client, sessions: state.sessions, attention: attention.byId, shownId: shown.id, show: panes.show, workflowTitle };
  const slot = (x: Slot) => (typeof x === "function" ? x(ctx) : x);
  const connection = state.connected ? "Connected" : !online ? "Offline" : main.everConnected ? "Reconnecting…" : "Connecting…";
  const split = shown.beside !== null && shown.id !== null;

  function pane(id: string, which: "main" | "beside") {
    const view = which === "main" ? state : beside.state;
    const summary = byId.get(id);
    const other = panes.otherThan(id);
    return (
      <SessionPane
        sessionId={id}
        summary={summary}
        starting={panes.starting.find((s) => s.id === id)}
        current={view.currentId === id ? view.current : undefined}
        attention={attention.byId.get(id)}
        outbox={outbox.outbox}
        draft={outbox.drafts[id] ?? ""}
        focusKey={which === "main" ? panes.focusKey : 0}
        workflowTitle={workflowTitle}
        parentTitle={summary?.parentSessionId ? byId.get(summary.parentSessionId)?.title : undefined}
        actions={actions}
        busyAction={busyAction}
        history={{ client: which === "main" ? client : beside.client, sessions: byId, currentId: id, editable: summary?.status === "IN_PROGRESS", onOpenSession: panes.show }}
        isTab={which === "main" && tabs.some((t) => t.id === id)}
        split={split ? { close: () => panes.closePane(which) } : undefined}
        openBeside={
          which === "main" && !split && summary
            ? { onClick: () => panes.openBeside(id), disabledReason: other ? null : "Open another session first: this one then stays beside it." }
            : undefined
        }
      />
    );
  }

  return (
    <div className="workspace">
      <TopBar
        connection={connection}
        connected={state.connected}
        workflows={workflows}
        onStart={panes.start}
        tools={
          <>
            <QuickSwitcher client={client} sessions={state.sessions} order={tabs.map((t) => t.id)} currentId={shown.id ?? undefined} onOpen={panes.show} workflowTitle={workflowTitle} />
            {slot(tools)}
          </>
        }
        account={account}
        notifications={{ supported: notificationsSupported(), on: notifications.on, denied: notifications.permission === "denied", turnOn: notifications.turnOn, turnOff: notifications.turnOff }}
      />
      <TabBar
        client={client}
        sessions={state.sessions}
        tabs={tabs}
        starting={panes.starting}
        shownId={shown.id}
        attention={attention.byId}
        workflowTitle={workflowTitle}
        onOpen={panes.show}
        onUnarchive={(id) => actions.changeStatus("unarchive", id)}
        toast={toast}
      />
      <div role="alert" className="toasts">
        {toasts.map((t) => (
          <div key={t.id} className="toast">
            <span>{t.text}</span>
            <button type="button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
      {shown.id !== null && (byId.has(shown.id) || isPendingId(shown.id) || state.currentId === shown.id) ? (
        <main className={`main-wrap${split ? " split" : ""}`}>
          {pane(shown.id, "main")}
          {split && pane(shown.beside!, "beside")}
        </main>
      ) : (
        <main className="main main-empty">
          <p className="empty">{ready ? "No session is open. Start one with “New session”." : "Loading your sessions…"}</p>
        </main>
      )}
      {slot(dialogs)}
    </div>
  );
}
