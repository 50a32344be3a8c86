import { SessionTabs } from "@/components/session-tabs.tsx";
import { LOCAL_SCOPE } from "@/lib/identity.ts";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

export default async function WorkspacePage() {
  const sessions = await getRuntime().store.listWorkflowSessions(LOCAL_SCOPE);
  const selected = sessions[0];
  return (
    <div className="workspace">
      <header className="topbar">
        <h1>Tabflow</h1>
      </header>
      <SessionTabs
        sessions={sessions.map((s) => ({ id: s.id, title: s.title, workflowName: s.workflowName, status: s.status }))}
        selectedId={selected?.id}
      />
      <main className="main">
        {selected ? (
          <p>
            {selected.title}: {selected.lastSeq} message{selected.lastSeq === 1 ? "" : "s"}
          </p>
        ) : (
          <p className="empty">Your workflow sessions will appear here as tabs.</p>
        )}
      </main>
    </div>
  );
}
