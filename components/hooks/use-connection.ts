"use client";

import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import { createTabflowClient, type TabflowClient, type TabflowClientState, type TabflowSocket } from "@/lib/realtime/client.ts";
import type { WorkflowInfo } from "@/lib/realtime/protocol.ts";
import { redirectWhenSignedOut } from "../account-menu.tsx";

const EMPTY_STATE: TabflowClientState = { connected: false, sessions: [], unread: {} };

/** One socket wrapped in the realtime client, and its state as React state. */
export function useClient(onError: (err: unknown) => void, options: { listAll: boolean; enabled?: boolean }) {
  const [client, setClient] = useState<TabflowClient | null>(null);
  const [state, setState] = useState<TabflowClientState>(EMPTY_STATE);
  const [everConnected, setEverConnected] = useState(false);
  const [workflows, setWorkflows] = useState<WorkflowInfo[]>([]);
  const [ready, setReady] = useState(false);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const listAll = options.listAll;
  const enabled = options.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    const socket: TabflowSocket = io({ transports: ["websocket"], forceNew: true });
    redirectWhenSignedOut(socket);
    const c = createTabflowClient(socket);
    setClient(c);
    const unsubscribe = c.subscribe((s) => {
      setState(s);
      if (s.connected) setEverConnected(true);
    });
    setState(c.getState());
    let cancelled = false;
    if (listAll) {
      (async () => {
        try {
          const [wf] = await Promise.all([c.request("workflow:list", {}), c.listSessions(["IN_PROGRESS", "COMPLETED"])]);
          if (cancelled) return;
          setWorkflows(wf);
          setReady(true);
        } catch (err) {
          if (!cancelled) onErrorRef.current(err);
        }
      })();
    } else setReady(true);
    return () => {
      cancelled = true;
      unsubscribe();
      c.dispose();
      socket.disconnect();
      setClient(null);
      setState(EMPTY_STATE);
    };
  }, [listAll, enabled]);

  // Errors the client hit on its own (a failed re-join, a gap fill).
  const lastError = useRef<unknown>(undefined);
  useEffect(() => {
    if (state.error && state.error !== lastError.current) {
      lastError.current = state.error;
      onErrorRef.current(state.error.message);
    }
  }, [state.error]);

  return { client, state, everConnected, workflows, ready };
}

/** The browser's own idea of the network (offline shows "Offline" rather than "Reconnecting…"). */
export function useOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    setOnline(navigator.onLine);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
    };
  }, []);
  return online;
}
