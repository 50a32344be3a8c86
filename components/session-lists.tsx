"use client";

import { useRef } from "react";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";
import { ATTENTION_ORDER, ATTENTION_TEXT, type Attention } from "./attention.ts";
import { AttentionLabel, UnreadBadge } from "./attention-label.tsx";
import type { SessionAttention } from "./hooks/use-attention.ts";
import { SessionLink } from "./session-link.tsx";

interface ListProps {
  sessions: readonly SessionSummary[];
  currentId: string | null;
  attention: ReadonlyMap<string, SessionAttention>;
  workflowTitle: (name: string) => string;
  onOpen: (id: string) => void;
}

function Entry({ s, label, attention, workflowTitle }: { s: SessionSummary; label: string; attention?: SessionAttention; workflowTitle: (name: string) => string }) {
  return (
    <>
      {s.title} · {workflowTitle(s.workflowName)} · {label}
      {attention && (
        <>
          {" · "}
          <AttentionLabel attention={attention.attention} />
          <UnreadBadge count={attention.unread} />
        </>
      )}
    </>
  );
}

/** "Completed (n)": a disclosure with a link per completed session. */
export function CompletedList({ sessions, currentId, attention, workflowTitle, onOpen }: ListProps) {
  const ref = useRef<HTMLDetailsElement>(null);
  return (
    <details ref={ref}>
      <summary>Completed ({sessions.length})</summary>
      <ul aria-label="Completed sessions" className="session-list">
        {sessions.length === 0 && <li className="muted small">Nothing completed yet.</li>}
        {sessions.map((s) => (
          <li key={s.id}>
            <SessionLink
              id={s.id}
              current={s.id === currentId}
              onOpen={(id) => {
                if (ref.current) ref.current.open = false;
                onOpen(id);
              }}
            >
              <Entry s={s} label="Completed" attention={attention.get(s.id)} workflowTitle={workflowTitle} />
            </SessionLink>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The archived sessions, shown with "Show archived", loaded a page at a time. */
export function ArchivedList({ sessions, currentId, attention, workflowTitle, onOpen, onUnarchive, hasMore, onMore, loading }: ListProps & { onUnarchive: (id: string) => void; hasMore: boolean; onMore: () => void; loading: boolean }) {
  return (
    <section aria-label="Archived sessions" className="archived">
      <h2 className="small-heading">Archived</h2>
      {sessions.length === 0 && !loading && <p className="muted small">No archived sessions.</p>}
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <SessionLink id={s.id} current={s.id === currentId} onOpen={onOpen}>
              <Entry s={s} label="Archived" attention={attention.get(s.id)} workflowTitle={workflowTitle} />
            </SessionLink>{" "}
            <button type="button" onClick={() => onUnarchive(s.id)}>
              Unarchive
            </button>
          </li>
        ))}
      </ul>
      {loading && <p className="muted small">Loading…</p>}
      {hasMore && !loading && (
        <button type="button" onClick={onMore}>
          Show more archived
        </button>
      )}
    </section>
  );
}

/** How many sessions are in each attention state (text, never colour alone). */
export function AttentionCounts({ sessions, attention }: { sessions: readonly SessionSummary[]; attention: ReadonlyMap<string, SessionAttention> }) {
  const counts = new Map<Attention, number>();
  for (const s of sessions) {
    const a = attention.get(s.id)?.attention;
    if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  const shown = ATTENTION_ORDER.filter((a) => a !== "idle" && (counts.get(a) ?? 0) > 0);
  if (shown.length === 0) return null;
  return (
    <ul className="attention-counts" aria-label="Open sessions by state">
      {shown.map((a) => (
        <li key={a}>
          <AttentionLabel attention={a} /> {counts.get(a)}
          <span className="visually-hidden"> {counts.get(a) === 1 ? "session" : "sessions"}</span>
        </li>
      ))}
    </ul>
  );
}

export { ATTENTION_TEXT };
