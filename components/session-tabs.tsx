"use client";

import { useRef, type KeyboardEvent } from "react";
import type { SessionStatus, SessionSummary } from "@/lib/realtime/protocol.ts";

export const STATUS_TEXT: Record<SessionStatus, string> = {
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  ARCHIVED: "Archived",
};

export function runText(s: Pick<SessionSummary, "run">): string | null {
  if (s.run.state === "running") return "Running";
  if (s.run.state === "queued") return "Queued";
  if (s.run.state === "failed") return "Failed";
  if (s.run.state === "stopped") return "Stopped";
  return null;
}

/** The session switcher: a WAI-ARIA tablist named "Sessions", one tab per open session. */
export function SessionTabs({
  sessions,
  selectedId,
  unread,
  workflowTitle,
  onSelect,
}: {
  sessions: readonly SessionSummary[];
  selectedId?: string;
  unread: Readonly<Record<string, number>>;
  workflowTitle: (name: string) => string;
  onSelect: (id: string) => void;
}) {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const focusIndex = sessions.findIndex((s) => s.id === selectedId);
  const tabStop = focusIndex >= 0 ? focusIndex : 0;

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (sessions.length === 0) return;
    const active = sessions.findIndex((s) => refs.current.get(s.id) === document.activeElement);
    const from = active >= 0 ? active : tabStop;
    let to: number;
    switch (e.key) {
      case "ArrowRight":
        to = (from + 1) % sessions.length;
        break;
      case "ArrowLeft":
        to = (from - 1 + sessions.length) % sessions.length;
        break;
      case "Home":
        to = 0;
        break;
      case "End":
        to = sessions.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    const target = sessions[to]!;
    refs.current.get(target.id)?.focus();
    onSelect(target.id);
  }

  return (
    <div role="tablist" aria-label="Sessions" className="tabs" onKeyDown={onKeyDown}>
      {sessions.length === 0 ? (
        <p className="empty">No open sessions.</p>
      ) : (
        sessions.map((s, i) => {
          const selected = s.id === selectedId;
          const count = selected ? 0 : (unread[s.id] ?? 0);
          const run = runText(s);
          return (
            <button
              key={s.id}
              ref={(el) => {
                if (el) refs.current.set(s.id, el);
                else refs.current.delete(s.id);
              }}
              type="button"
              role="tab"
              id={`tab-${s.id}`}
              aria-controls="session-panel"
              className={`tab status-${s.status.toLowerCase()}`}
              aria-selected={selected}
              tabIndex={i === tabStop ? 0 : -1}
              title={i < 9 ? `Alt+${i + 1}` : undefined}
              onClick={() => onSelect(s.id)}
            >
              <span className="tab-title">{s.title}</span>
              <span className="workflow"> {workflowTitle(s.workflowName)}</span>
              <span className="status"> {STATUS_TEXT[s.status]}</span>
              {run === "Running" && (
                <span className="run running">
                  {" "}
                  <span className="spinner" aria-hidden="true" />
                  Running
                </span>
              )}
              {run === "Queued" && <span className="run queued"> {s.run.step ?? "Queued"}</span>}
              {run === "Failed" && <span className="run failed"> Failed</span>}
              {run === "Stopped" && <span className="run stopped"> Stopped</span>}
              {count > 0 && (
                <span className="badge" aria-label={`${count} new message${count === 1 ? "" : "s"}`}>
                  {" "}
                  {count}
                </span>
              )}
            </button>
          );
        })
      )}
    </div>
  );
}
