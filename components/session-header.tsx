"use client";

import { useState } from "react";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";
import { AttentionLabel } from "./attention-label.tsx";
import type { SessionAttention } from "./hooks/use-attention.ts";
import { SessionLink } from "./session-link.tsx";
import { STATUS_TEXT } from "./session-tabs.tsx";

export interface HeaderActions {
  stop(id: string): void;
  changeStatus(kind: "complete" | "archive" | "unarchive", id: string): void;
  markUnread(s: SessionSummary): void;
  open(id: string): void;
}

/** The shown session's title, state and actions ("Session details"). */
export function SessionHeader({
  session,
  attention,
  agent,
  workflowTitle,
  parentTitle,
  actions,
  pane,
}: {
  session: SessionSummary;
  attention?: SessionAttention;
  agent?: string | null;
  workflowTitle: (name: string) => string;
  parentTitle?: string;
  actions: HeaderActions;
  /** Side by side: this pane's own buttons (Open beside / Close pane). */
  pane: { openBeside?: { onClick(): void; disabledReason: string | null }; close?: () => void };
}) {
  const [confirming, setConfirming] = useState<"complete" | "archive" | null>(null);
  const run = session.run;
  const doChange = (kind: "complete" | "archive" | "unarchive") => {
    setConfirming(null);
    actions.changeStatus(kind, session.id);
  };
  return (
    <section className="session-header" aria-label="Session details">
      <div className="session-heading">
        <h2>{session.title}</h2>
        <span className="pill">{workflowTitle(session.workflowName)}</span>
        <span className={`pill status-${session.status.toLowerCase()}`}>{STATUS_TEXT[session.status]}</span>
        {attention && <AttentionLabel attention={attention.attention} step={run.step} />}
        {agent && (
          <span className="pill agent-label" title="The agent that answers in this session">
            Agent: {agent}
          </span>
        )}
        {run.state === "failed" && <span className="run failed">Failed{run.error ? `: ${run.error}` : ""}</span>}
        {run.state === "stopped" && <span className="run stopped">Stopped{run.step ? `: ${run.step}` : ""}</span>}
      </div>
      {session.parentSessionId && (
        <SessionLink id={session.parentSessionId} current={false} onOpen={actions.open} className="lineage">
          From {parentTitle ?? "parent session"}
        </SessionLink>
      )}
      <div className="session-actions">
        {(run.state === "running" || run.state === "queued") && session.status === "IN_PROGRESS" && (
          <button type="button" onClick={() => actions.stop(session.id)}>
            Stop
          </button>
        )}
        {session.status === "IN_PROGRESS" && (
          <button type="button" onClick={() => setConfirming("complete")}>
            Complete session
          </button>
        )}
        {session.status !== "ARCHIVED" ? (
          <button type="button" onClick={() => setConfirming("archive")}>
            Archive session
          </button>
        ) : (
          <button type="button" onClick={() => doChange("unarchive")}>
            Unarchive
          </button>
        )}
        <button type="button" onClick={() => actions.markUnread(session)} disabled={session.lastSeq === 0} title="Show it as not seen yet (kept in this browser)">
          Mark unread
        </button>
        {pane.openBeside && (
          <button
            type="button"
            onClick={pane.openBeside.onClick}
            disabled={pane.openBeside.disabledReason !== null}
            title={pane.openBeside.disabledReason ?? "Keep this session open beside the next one you show (Alt+B)"}
            aria-keyshortcuts="Alt+B"
          >
            Open beside
          </button>
        )}
        {pane.close && (
          <button type="button" onClick={pane.close}>
            Close pane
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="group" aria-label={confirming === "complete" ? "Confirm completing" : "Confirm archiving"}>
          <span>{confirming === "complete" ? "Complete this session? It becomes read-only." : "Archive this session? It leaves your tabs."}</span>
          <button type="button" className="primary" autoFocus onClick={() => doChange(confirming)}>
            {confirming === "complete" ? "Yes, complete" : "Yes, archive"}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
