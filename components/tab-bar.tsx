"use client";

import { useCallback, useState } from "react";
import type { TabflowClient } from "@/lib/realtime/client.ts";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";
import type { SessionAttention } from "./hooks/use-attention.ts";
import { ArchivedList, AttentionCounts, CompletedList } from "./session-lists.tsx";
import { SessionTabs, type StartingSession } from "./session-tabs.tsx";

const ARCHIVED_PAGE = 50;

/** The tabs, the attention counts, the Completed list and (on demand, in pages) the archived ones. */
export function TabBar({
  client,
  sessions,
  tabs,
  starting,
  shownId,
  attention,
  workflowTitle,
  onOpen,
  onUnarchive,
  toast,
}: {
  client: TabflowClient | null;
  sessions: readonly SessionSummary[];
  tabs: readonly SessionSummary[];
  starting: readonly StartingSession[];
  shownId: string | null;
  attention: ReadonlyMap<string, SessionAttention>;
  workflowTitle: (name: string) => string;
  onOpen: (id: string) => void;
  onUnarchive: (id: string) => void;
  toast: (err: unknown) => void;
}) {
  const [showArchived, setShowArchived] = useState(false);
  const [paging, setPaging] = useState<{ loading: boolean; hasMore: boolean; started: boolean }>({ loading: false, hasMore: false, started: false });
  const completed = sessions.filter((s) => s.status === "COMPLETED");
  const archived = sessions.filter((s) => s.status === "ARCHIVED");

  const loadPage = useCallback(async () => {
    if (!client) return;
    setPaging((p) => ({ ...p, loading: true, started: true }));
    const held = client.getState().sessions.filter((s) => s.status === "ARCHIVED");
    const last = held[held.length - 1];
    try {
      const page = await client.listSessionPage(["ARCHIVED"], ARCHIVED_PAGE, paging.started ? last : undefined);
      setPaging({ loading: false, hasMore: page.length === ARCHIVED_PAGE, started: true });
    } catch (err) {
      setPaging((p) => ({ ...p, loading: false }));
      toast(err);
    }
  }, [client, paging.started, toast]);

  return (
    <>
      <nav className="tabbar" aria-label="Session switcher">
        <SessionTabs sessions={tabs} starting={starting} selectedId={shownId} attention={attention} workflowTitle={workflowTitle} onSelect={onOpen} />
        <AttentionCounts sessions={tabs} attention={attention} />
        <div className="history">
          <CompletedList sessions={completed} currentId={shownId} attention={attention} workflowTitle={workflowTitle} onOpen={onOpen} />
          <label className="check">
            <input
              type="checkbox"
              checked={showArchived}
              onChange={(e) => {
                setShowArchived(e.target.checked);
                if (e.target.checked && !paging.started) void loadPage();
              }}
            />{" "}
            Show archived
          </label>
        </div>
      </nav>
      {showArchived && (
        <ArchivedList
          sessions={archived}
          currentId={shownId}
          attention={attention}
          workflowTitle={workflowTitle}
          onOpen={onOpen}
          onUnarchive={onUnarchive}
          hasMore={paging.hasMore}
          loading={paging.loading}
          onMore={() => void loadPage()}
        />
      )}
    </>
  );
}
