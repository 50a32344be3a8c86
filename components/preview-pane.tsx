"use client";

import { useCallback, useEffect, useState } from "react";

type PreviewState =
  | { kind: "idle"; note?: string }
  | { kind: "starting" }
  | { kind: "running"; port: number }
  | { kind: "error"; message: string };

interface PreviewStatus {
  running: boolean;
  port?: number;
}

async function call(sessionId: string, method: "GET" | "POST" | "DELETE"): Promise<PreviewStatus> {
  const res = await fetch(`/api/builds/${encodeURIComponent(sessionId)}/preview`, { method, credentials: "same-origin", cache: "no-store" });
  const body = (await res.json().catch(() => ({}))) as PreviewStatus & { error?: { message?: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `the preview request failed (${res.status})`);
  return body;
}

/** Where the browser reaches a preview: Tabflow's own host name, the preview's own port. */
function previewUrl(port: number): string {
  return `${window.location.protocol}//${window.location.hostname}:${port}/`;
}

/**
 * The live preview of a succeeded build, in the Build report card beside the chat: "Open
 * preview" starts it; the app shows in a frame of its own origin (its own port), with "Open in
 * new tab", "Reload preview" and "Stop preview". A preview that stopped (idle, or a restart)
 * is noticed and can be opened again.
 */
export function PreviewPane({ sessionId, appName }: { sessionId: string; appName: string }) {
  const [state, setState] = useState<PreviewState>({ kind: "idle" });
  const [frameKey, setFrameKey] = useState(0);

  useEffect(() => {
    let live = true;
    call(sessionId, "GET")
      .then((s) => live && s.running && s.port && setState({ kind: "running", port: s.port }))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [sessionId]);

  // While shown, notice a preview that stopped by itself (idle time-out, a server restart).
  useEffect(() => {
    if (state.kind !== "running") return;
    const timer = setInterval(() => {
      call(sessionId, "GET")
        .then((s) => {
          if (!s.running) setState({ kind: "idle", note: "The preview stopped (it was idle, or the server restarted). Open preview starts it again." });
        })
        .catch(() => {});
    }, 30_000);
    return () => clearInterval(timer);
  }, [sessionId, state.kind]);

  const open = useCallback(async () => {
    setState({ kind: "starting" });
    try {
      const s = await call(sessionId, "POST");
      if (!s.running || !s.port) throw new Error("the preview did not start");
      setState({ kind: "running", port: s.port });
      setFrameKey((k) => k + 1);
    } catch (err) {
      setState({ kind: "error", message: (err as Error).message });
    }
  }, [sessionId]);

  const stop = useCallback(async () => {
    await call(sessionId, "DELETE").catch(() => {});
    setState({ kind: "idle" });
  }, [sessionId]);

  if (state.kind !== "running") {
    return (
      <div className="preview-launch">
        <button type="button" className="primary" onClick={open} disabled={state.kind === "starting"}>
          {state.kind === "starting" ? "Starting preview…" : "Open preview"}
        </button>
        {state.kind === "starting" && <p className="muted small" role="status">Starting the app…</p>}
        {state.kind === "error" && (
          <p className="error-text" role="alert">
            {state.message}
          </p>
        )}
        {state.kind === "idle" && state.note && <p className="muted small">{state.note}</p>}
      </div>
    );
  }
  const url = previewUrl(state.port);
  return (
    <section className="preview" aria-label="Preview">
      <div className="preview-actions">
        <a href={url} target="_blank" rel="noopener noreferrer">
          Open in new tab
        </a>
        <button type="button" onClick={() => setFrameKey((k) => k + 1)}>
          Reload preview
        </button>
        <button type="button" onClick={stop}>
          Stop preview
        </button>
      </div>
      {/* Its own origin (another port): it cannot read Tabflow's pages or cookies; the sandbox
          also keeps it from navigating Tabflow's page. */}
      <iframe key={frameKey} src={url} title={`Preview of ${appName}`} sandbox="allow-scripts allow-forms allow-same-origin allow-popups" referrerPolicy="no-referrer" />
    </section>
  );
}
