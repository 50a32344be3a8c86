"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";
import { attentionOf, wantsUser, type Attention } from "../attention.ts";
import { storageKey, useStored } from "./use-stored.ts";

export interface SessionAttention {
  attention: Attention;
  /** Messages this browser has not seen yet (0 for what is on screen). */
  unread: number;
}

const MAX_REMEMBERED = 2000;

/**
 * What each session wants from the user. "Seen" is the last seq this browser showed of each
 * session, kept in localStorage: unread survives a reload and a switch writes nothing to the
 * database. A session first met is seen up to its lastSeq (old history is not news).
 */
export function useAttention(account: string | undefined, sessions: readonly SessionSummary[], onScreen: readonly string[], ready: boolean) {
  const [seen, setSeen, loaded] = useStored<Record<string, number>>(storageKey(account, "seen"), {});
  /** Marked unread while on screen: not marked seen again until it is shown anew. */
  const [held, setHeld] = useState<ReadonlySet<string>>(new Set());
  const screenKey = onScreen.join(" ");

  // A session leaving the screen loses its "marked unread" hold only when shown again.
  useEffect(() => {
    setHeld((h) => {
      const keep = new Set([...h].filter((id) => onScreen.includes(id)));
      return keep.size === h.size ? h : keep;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [screenKey]);

  useEffect(() => {
    if (!loaded || !ready) return;
    setSeen((prev) => {
      let next: Record<string, number> | null = null;
      for (const s of sessions) {
        const had = prev[s.id];
        const target = onScreen.includes(s.id) && !held.has(s.id) ? s.lastSeq : had === undefined ? s.lastSeq : had;
        if (target !== had) (next ??= { ...prev })[s.id] = target;
      }
      if (!next) return prev;
      const ids = Object.keys(next);
      if (ids.length > MAX_REMEMBERED) for (const id of ids.slice(0, ids.length - MAX_REMEMBERED)) delete next[id];
      return next;
    });
  }, [sessions, screenKey, held, loaded, ready, setSeen, onScreen]);

  const byId = useMemo(() => {
    const map = new Map<string, SessionAttention>();
    for (const s of sessions) {
      const seenSeq = seen[s.id] ?? s.lastSeq;
      const unread = onScreen.includes(s.id) && !held.has(s.id) ? 0 : Math.max(0, s.lastSeq - seenSeq);
      map.set(s.id, { attention: attentionOf(s), unread });
    }
    return map;
  }, [sessions, seen, held, onScreen]);

  const markUnread = useCallback(
    (s: SessionSummary) => {
      setHeld((h) => new Set(h).add(s.id));
      setSeen((prev) => ({ ...prev, [s.id]: Math.max(0, s.lastSeq - 1) }));
    },
    [setSeen],
  );

  /** Sessions off screen that want the user (the title's count). */
  const waiting = useMemo(
    () => sessions.filter((s) => s.status !== "ARCHIVED" && !onScreen.includes(s.id) && wantsUser(byId.get(s.id)!.attention, byId.get(s.id)!.unread)),
    [sessions, byId, onScreen],
  );
  return { byId, markUnread, waiting };
}

const ICON = (dot: boolean) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2f5fd0"/><text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff" font-family="sans-serif">T</text>${dot ? '<circle cx="25" cy="7" r="6" fill="#e0342b" stroke="#fff" stroke-width="2"/>' : ""}</svg>`,
  )}`;

/** "(2) Title · Tabflow" and a dot on the favicon while sessions off screen want the user. */
export function useTitleAndFavicon(count: number, shownTitle: string | undefined) {
  useEffect(() => {
    const base = shownTitle ? `${shownTitle} · Tabflow` : "Tabflow";
    document.title = count > 0 ? `(${count}) ${base}` : base;
  }, [count, shownTitle]);
  useEffect(() => {
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"][data-tabflow]');
    if (!link) {
      link = document.createElement("link");
      link.rel = "icon";
      link.dataset.tabflow = "";
      document.head.appendChild(link);
    }
    link.href = ICON(count > 0);
    link.dataset.dot = count > 0 ? "true" : "false";
  }, [count]);
}
