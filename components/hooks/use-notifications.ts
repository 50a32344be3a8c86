"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";
import { ATTENTION_TEXT, type Attention } from "../attention.ts";
import type { SessionAttention } from "./use-attention.ts";
import { storageKey, useStored } from "./use-stored.ts";

/** Events worth a notification: a background session starts needing you, finishes or fails. */
const NOTIFY: ReadonlySet<Attention> = new Set(["needs_you", "finished", "failed"]);

const BODY: Partial<Record<Attention, string>> = {
  needs_you: "Needs you: it is waiting for your answer.",
  finished: "Finished.",
  failed: "Failed.",
};

export function notificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

/**
 * Browser notifications, off until the user presses "Turn on notifications" (the permission is
 * asked only then, never on load). One per change of a session's attention state (not per
 * message), none for a session on screen while the page is visible; a click opens the session.
 */
export function useNotifications(
  account: string | undefined,
  sessions: readonly SessionSummary[],
  attention: ReadonlyMap<string, SessionAttention>,
  onScreen: readonly string[],
  open: (id: string) => void,
  ready: boolean,
) {
  const [enabled, setEnabled] = useStored<boolean>(storageKey(account, "notifications"), false);
  const [permission, setPermission] = useState<NotificationPermission | "unsupported">("default");
  const last = useRef<Map<string, Attention> | null>(null);
  const openRef = useRef(open);
  openRef.current = open;

  useEffect(() => {
    setPermission(notificationsSupported() ? Notification.permission : "unsupported");
  }, []);

  useEffect(() => {
    if (!ready) return;
    const before = last.current;
    const now = new Map<string, Attention>();
    for (const s of sessions) now.set(s.id, attention.get(s.id)?.attention ?? "idle");
    last.current = now;
    // The first look is the baseline: what was already so on load is not news.
    if (!before || !enabled || permission !== "granted") return;
    const visible = document.visibilityState === "visible";
    for (const s of sessions) {
      const state = now.get(s.id)!;
      const was = before.get(s.id);
      if (state === was || !NOTIFY.has(state)) continue;
      // A session that appears (a Build just started) counts once it changes, not on arrival.
      if (was === undefined && state === "needs_you") continue;
      if (visible && onScreen.includes(s.id)) continue;
      try {
        const n = new Notification(`${s.title} · ${ATTENTION_TEXT[state]}`, { body: BODY[state], tag: `tabflow:${s.id}:${state}` });
        n.onclick = () => {
          window.focus();
          openRef.current(s.id);
          n.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: the title and favicon still say it.
      }
    }
  }, [sessions, attention, onScreen, enabled, permission, ready]);

  const turnOn = useCallback(async () => {
    if (!notificationsSupported()) return;
    const answer = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    setPermission(answer);
    setEnabled(() => answer === "granted");
  }, [setEnabled]);
  const turnOff = useCallback(() => setEnabled(() => false), [setEnabled]);

  return { on: enabled && permission === "granted", permission, turnOn, turnOff };
}
