"use client";

import { useRef, type KeyboardEvent } from "react";
import type { SessionStatus, SessionSummary } from "@/lib/realtime/protocol.ts";
import { AttentionLabel, UnreadBadge } from "./attention-label.tsx";
import type { SessionAttention } from "./hooks/use-attention.ts";

export const STATUS_TEXT: Record<SessionStatus, string> = {
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  ARCHIVED: "Archived",
};

/** A session still starting (session:create not answered yet): shown at once, with its own composer. */
export interface StartingSession {
  id: string;
  workflowName: string;
  title: string;
  error?: string;
}

/** The session switcher: a WAI-ARIA tablist named "Sessions", one tab per open session. */
export function SessionTabs({
  sessions,
  starting,
  selectedId,
  attention,
  workflowTitle,
  onSelect,
}: {
  sessions: readonly SessionSummary[];
  starting: readonly StartingSession[];
  selectedId?: string | null;
  attention: ReadonlyMap<string, SessionAttention>;
  workflowTitle: (name: string) => string;
  onSelect: (id: string) => void;
}) {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const ids = [...sessions.map((s) => s.id), ...starting.map((s) => s.id)];
  const focusIndex = ids.findIndex((id) => id === selectedId);
  const tabStop = focusIndex >= 0 ? focusIndex : 0;

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (ids.length === 0) return;
    const active = ids.findIndex((id) => refs.current.get(id) === document.activeElement);
    const from = active >= 0 ? active : tabStop;
    let to: number;
    switch (e.key) {
      case "ArrowRight":
        to = (from + 1) % ids.length;
        break;
      case "ArrowLeft":
        to = (from - 1 + ids.length) % ids.length;
        break;
      case "Home":
        to = 0;
        break;
      case "End":
        to = ids.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    const target = ids[to]!;
    refs.current.get(target)?.focus();
    onSelect(target);
  }

  const ref = (id: string) => (el: HTMLButtonElement | null) => {
    if (el) refs.current.set(id, el);
    else refs.current.delete(id);
  };

  return (
    <div role="tablist" aria-label="Sessions" className="tabs" onKeyDown={onKeyDown}>
      {ids.length === 0 ? (
        <p className="empty">No open sessions.</p>
      ) : (
        <>
          {sessions.map((s, i) => {
            const selected = s.id === selectedId;
            const a = attention.get(s.id);
            return (
              <button
                key={s.id}
                ref={ref(s.id)}
                type="button"
                role="tab"
                id={`tab-${s.id}`}
                aria-controls="session-panel"
                className={`tab status-${s.status.toLowerCase()}${a ? ` tab-${a.attention}` : ""}`}
                aria-selected={selected}
                tabIndex={i === tabStop ? 0 : -1}
                title={[s.run.step, i < 9 ? `Alt+${i + 1}` : null].filter(Boolean).join(" · ") || undefined}
                onClick={() => onSelect(s.id)}
              >
                <span className="tab-title">{s.title}</span>
                <span className="workflow"> {workflowTitle(s.workflowName)}</span>
                <span className="status"> {STATUS_TEXT[s.status]}</span>
                {a && (
                  <>
                    {" "}
                    <AttentionLabel attention={a.attention} />
                  </>
                )}
                {s.run.state === "stopped" && <span className="run stopped"> Stopped</span>}
                <UnreadBadge count={a?.unread ?? 0} />
              </button>
            );
          })}
          {starting.map((s, i) => (
            <button
              key={s.id}
              ref={ref(s.id)}
              type="button"
              role="tab"
              id={`tab-${s.id}`}
              aria-controls="session-panel"
              className="tab tab-starting"
              aria-selected={s.id === selectedId}
              tabIndex={sessions.length + i === tabStop ? 0 : -1}
              onClick={() => onSelect(s.id)}
            >
              <span className="tab-title">{s.title}</span>
              <span className="workflow"> {workflowTitle(s.workflowName)}</span>
              <span className="status"> {s.error ? "Could not start" : "Starting…"}</span>
            </button>
          ))}
        </>
      )}
    </div>
  );
}
