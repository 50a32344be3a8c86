import type { SessionStatus } from "@/lib/store/records.ts";

export interface SessionTabItem {
  id: string;
  title: string;
  workflowName: string;
  status: SessionStatus;
}

const STATUS_TEXT: Record<SessionStatus, string> = {
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  ARCHIVED: "Archived",
};

function workflowTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The session switcher: a WAI-ARIA tablist named "Sessions" with one tab per session. */
export function SessionTabs({ sessions, selectedId }: { sessions: SessionTabItem[]; selectedId?: string }) {
  return (
    <div role="tablist" aria-label="Sessions" className="tabs">
      {sessions.length === 0 ? (
        <p className="empty">No sessions yet.</p>
      ) : (
        sessions.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            id={`tab-${s.id}`}
            className="tab"
            aria-selected={s.id === selectedId}
            tabIndex={s.id === selectedId ? 0 : -1}
          >
            {s.title}
            <span className="workflow">{workflowTitle(s.workflowName)}</span>
            <span className="status">{STATUS_TEXT[s.status]}</span>
          </button>
        ))
      )}
    </div>
  );
}
