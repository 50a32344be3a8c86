"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { TabflowClient } from "@/lib/realtime/client.ts";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";
import type { StartingSession } from "../session-tabs.tsx";
import { isPendingId, PENDING_PREFIX } from "./use-outbox.ts";
import { errorText } from "./use-toasts.ts";
import { shownFromUrl, useSessionUrl, type Shown } from "./use-session-url.ts";

const real = (id: string | null): id is string => id !== null && !isPendingId(id);

/** Drives one client to show one session (or none): the pane's own room on the server. */
function useShowIn(client: TabflowClient | null, id: string | null, onFail: (id: string, err: unknown) => void) {
  const failRef = useRef(onFail);
  failRef.current = onFail;
  useEffect(() => {
    if (!client) return;
    if (!real(id)) {
      if (client.getState().currentId !== undefined) client.hide().catch(() => {});
      return;
    }
    if (client.getState().currentId !== id || !client.getState().current?.session) client.show(id).catch((err: unknown) => failRef.current(id, err));
  }, [client, id]);
}

/**
 * What is on screen: the main pane (the selected tab, possibly a session still starting) and
 * the one open beside it, kept in the URL. A new session is shown at once under a pending id
 * with its own composer; session:create's answer turns it into the real one in place.
 */
export function usePanes(opts: {
  client: TabflowClient | null;
  besideClient: TabflowClient | null;
  ready: boolean;
  sessions: readonly SessionSummary[];
  workflowTitle: (name: string) => string;
  resolvePending: (pendingId: string, realId: string) => void;
  toast: (err: unknown) => void;
}) {
  const { client, ready, sessions, resolvePending, toast } = opts;
  const [shown, setShown] = useState<Shown>({ id: null, beside: null });
  const [starting, setStarting] = useState<StartingSession[]>([]);
  const [focusKey, setFocusKey] = useState(0);
  const previous = useRef<string | null>(null);
  const sessionsRef = useRef(sessions);
  sessionsRef.current = sessions;

  const pickDefault = useCallback((except?: string | null): string | null => {
    const list = sessionsRef.current.filter((s) => s.id !== except);
    return (list.find((s) => s.status === "IN_PROGRESS") ?? list.find((s) => s.status === "COMPLETED"))?.id ?? null;
  }, []);

  const onPop = useCallback((s: Shown) => setShown({ id: s.id ?? pickDefault(), beside: s.beside }), [pickDefault]);
  const writeUrl = useSessionUrl(onPop, ready);

  const apply = useCallback(
    (next: Shown, mode: "push" | "replace" = "push") => {
      setShown((prev) => {
        if (prev.id !== next.id && prev.id !== null) previous.current = prev.id;
        return next;
      });
      // A pending id never reaches the address bar: it means nothing after a reload.
      if (next.id === null || real(next.id)) writeUrl({ id: next.id, beside: real(next.beside) ? next.beside : null }, mode);
    },
    [writeUrl],
  );

  const show = useCallback((id: string | null, mode: "push" | "replace" = "push") => apply({ id, beside: shownRef.current.beside === id ? null : shownRef.current.beside }, mode), [apply]);
  const shownRef = useRef(shown);
  shownRef.current = shown;

  // First show: what the URL says, else the newest open session.
  useEffect(() => {
    if (!ready) return;
    const fromUrl = shownFromUrl();
    if (fromUrl.id) apply(fromUrl, "replace");
    else apply({ id: pickDefault(), beside: null }, "replace");
  }, [ready, apply, pickDefault]);

  const failMain = useCallback(
    (id: string, err: unknown) => {
      toast(`Cannot show that session: ${errorText(err)}`);
      if (shownRef.current.id !== id) return;
      const other = pickDefault(id);
      apply({ id: other, beside: shownRef.current.beside }, "replace");
    },
    [toast, pickDefault, apply],
  );
  const failBeside = useCallback(
    (id: string, err: unknown) => {
      toast(`Cannot show that session beside: ${errorText(err)}`);
      if (shownRef.current.beside === id) apply({ id: shownRef.current.id, beside: null }, "replace");
    },
    [toast, apply],
  );
  useShowIn(client, shown.id, failMain);
  useShowIn(opts.besideClient, shown.beside, failBeside);

  const create = useCallback(
    async (pending: StartingSession) => {
      if (!client) return;
      setStarting((list) => list.map((s) => (s.id === pending.id ? { ...s, error: undefined } : s)));
      try {
        const session = await client.createSession({ workflowName: pending.workflowName });
        resolvePending(pending.id, session.id);
        setStarting((list) => list.filter((s) => s.id !== pending.id));
        const now = shownRef.current;
        if (now.id === pending.id) apply({ id: session.id, beside: now.beside }, "push");
        else if (now.beside === pending.id) apply({ id: now.id, beside: session.id }, "replace");
      } catch (err) {
        // The typed text stays in its composer (and queued messages stay queued) for Try again.
        setStarting((list) => list.map((s) => (s.id === pending.id ? { ...s, error: `Could not start: ${errorText(err)}` } : s)));
      }
    },
    [client, resolvePending, apply],
  );

  const start = useCallback(
    (workflowName: string) => {
      const pending: StartingSession = { id: `${PENDING_PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, workflowName, title: opts.workflowTitle(workflowName) };
      setStarting((list) => [...list, pending]);
      apply({ id: pending.id, beside: shownRef.current.beside }, "push");
      setFocusKey((n) => n + 1);
      void create(pending);
    },
    [apply, create, opts],
  );

  const retryStart = useCallback((id: string) => {
    const s = starting.find((x) => x.id === id);
    if (s) void create(s);
  }, [starting, create]);
  const dropStart = useCallback((id: string) => {
    setStarting((list) => list.filter((s) => s.id !== id));
    if (shownRef.current.id === id) apply({ id: pickDefault(), beside: shownRef.current.beside }, "replace");
  }, [apply, pickDefault]);

  /** Keeps `id` open beside; the main pane goes back to the session shown before it (or another). */
  const openBeside = useCallback(
    (id: string) => {
      const back = previous.current && previous.current !== id && sessionsRef.current.some((s) => s.id === previous.current) ? previous.current : pickDefault(id);
      if (!back) return;
      apply({ id: back, beside: id });
    },
    [apply, pickDefault],
  );
  const closePane = useCallback(
    (which: "main" | "beside") => {
      const now = shownRef.current;
      apply(which === "beside" ? { id: now.id, beside: null } : { id: now.beside, beside: null });
    },
    [apply],
  );

  return { shown, starting, focusKey, show, start, retryStart, dropStart, openBeside, closePane, otherThan: pickDefault };
}
