"use client";

import type { TabflowClientState } from "@/lib/realtime/client.ts";
import type { ArtifactDto, SessionSummary } from "@/lib/realtime/protocol.ts";
import { ArtifactPanel } from "./artifact-panel.tsx";
import type { HistoryContext } from "./artifact-history.tsx";
import { ChatLog, Composer } from "./chat.tsx";
import type { SessionAttention } from "./hooks/use-attention.ts";
import type { OutboxMessage } from "./hooks/use-outbox.ts";
import { SessionHeader, type HeaderActions } from "./session-header.tsx";
import type { StartingSession } from "./session-tabs.tsx";

export interface PaneProps {
  sessionId: string;
  /** Known to the tabs (absent while the session is still starting). */
  summary?: SessionSummary;
  starting?: StartingSession;
  /** The pane's client view of this session (undefined until its join started). */
  current?: TabflowClientState["current"];
  attention?: SessionAttention;
  outbox: readonly OutboxMessage[];
  draft: string;
  focusKey: number;
  workflowTitle: (name: string) => string;
  parentTitle?: string;
  actions: HeaderActions & {
    setDraft(sessionId: string, text: string): void;
    send(sessionId: string, text: string): void;
    runAction(sessionId: string, artifact: ArtifactDto, action: string): void;
    retryStart(id: string): void;
    dropStart(id: string): void;
  };
  busyAction: string | null;
  /** Version history on the artifact cards. */
  history?: HistoryContext;
  /** Side by side: a region named after the session, with its own Close pane. */
  split?: { close(): void };
  openBeside?: { onClick(): void; disabledReason: string | null };
  isTab: boolean;
}

function composerReason(summary: SessionSummary | undefined, starting: StartingSession | undefined): string | null {
  if (starting) return null; // typing while it starts is the point: it is sent once it has an id
  if (summary?.status === "COMPLETED") return "This session is completed; start a new session to continue.";
  if (summary?.status === "ARCHIVED") return "This session is archived; unarchive it to read it as completed.";
  return null;
}

/** One session on screen: its header, log, composer and artifacts. */
export function SessionPane(p: PaneProps) {
  const { sessionId, summary, starting, current } = p;
  const messages = current?.messages ?? [];
  const joined = current?.session !== undefined;
  const shownOutbox = p.outbox.filter((o) => o.sessionId === sessionId && !messages.some((m) => m.clientMessageId === o.clientMessageId));
  const title = summary?.title ?? starting?.title ?? "Session";
  const label = p.split ? { role: "region" as const, "aria-label": title } : p.isTab ? { role: "tabpanel" as const, "aria-labelledby": `tab-${sessionId}` } : {};
  return (
    <div className="main" id={p.split ? undefined : "session-panel"} {...label}>
      <div className="chat-column">
        {summary ? (
          <SessionHeader
            key={sessionId}
            session={summary}
            attention={p.attention}
            agent={current?.agent}
            workflowTitle={p.workflowTitle}
            parentTitle={p.parentTitle}
            actions={p.actions}
            pane={{ openBeside: p.openBeside, close: p.split?.close }}
          />
        ) : (
          <section className="session-header" aria-label="Session details">
            <div className="session-heading">
              <h2>{title}</h2>
              <span className="pill">{p.workflowTitle(starting?.workflowName ?? "")}</span>
              <span className="pill">{!starting ? "Loading…" : starting.error ? "Could not start" : "Starting…"}</span>
            </div>
            {starting?.error && (
              <div className="session-actions">
                <span className="run failed">{starting.error}</span>
                <button type="button" onClick={() => p.actions.retryStart(sessionId)}>
                  Try again
                </button>
                <button type="button" onClick={() => p.actions.dropStart(sessionId)}>
                  Discard
                </button>
              </div>
            )}
          </section>
        )}
        <ChatLog
          key={`${sessionId}:${joined ? "ready" : "loading"}`}
          messages={messages}
          pending={shownOutbox}
          draft={current?.draft}
          loading={starting ? "Starting…" : joined ? null : "Loading…"}
        />
        <Composer sessionId={sessionId} disabledReason={composerReason(summary, starting)} text={p.draft} onChange={p.actions.setDraft} onSend={p.actions.send} focusKey={p.focusKey} />
      </div>
      <ArtifactPanel artifacts={current?.artifacts ?? []} busy={p.busyAction} onAction={(a, action) => p.actions.runAction(sessionId, a, action)} history={p.history} />
    </div>
  );
}
