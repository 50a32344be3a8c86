"use client";

import { useCallback, useEffect, useRef } from "react";
import { newClientMessageId, TabflowClientError } from "@/lib/realtime/client.ts";
import type { MessageDto } from "@/lib/realtime/protocol.ts";
import { errorText } from "./use-toasts.ts";
import { storageKey, useStored } from "./use-stored.ts";

/** A message the user sent that the server has not stored (or not shown) yet. */
export interface OutboxMessage {
  clientMessageId: string;
  /** The session it was typed in: a real id, or a starting session's pending id. */
  sessionId: string;
  text: string;
  /** queued: waits for the connection or for its session to start; sent: stored, shown once the log has it. */
  state: "queued" | "sending" | "sent";
}

export const PENDING_PREFIX = "pending-";
export const isPendingId = (id: string) => id.startsWith(PENDING_PREFIX);

type Send = (sessionId: string, text: string, clientMessageId: string) => Promise<MessageDto>;

/**
 * The outbox and the drafts, kept per session and in localStorage (a reload keeps both).
 * A message always goes to the session it was typed in, with its clientMessageId, so a retry
 * after a dropped connection is stored once. Messages typed in a session still starting wait
 * under its pending id and are sent to the real id once session:create answers.
 */
export function useOutbox(account: string | undefined, send: Send | null, connected: boolean, onError: (text: string) => void) {
  const [outbox, setOutbox, outboxLoaded] = useStored<OutboxMessage[]>(storageKey(account, "outbox"), []);
  /** Pending ids of this page: one from before a reload can never resolve. */
  const livePending = useRef(new Set<string>());
  const [drafts, setDrafts] = useStored<Record<string, string>>(storageKey(account, "drafts"), {});
  const inFlight = useRef(new Set<string>());

  const setDraft = useCallback((sessionId: string, text: string) => {
    setDrafts((d) => {
      if ((d[sessionId] ?? "") === text) return d;
      const next = { ...d };
      if (text === "") delete next[sessionId];
      else next[sessionId] = text;
      return next;
    });
  }, [setDrafts]);

  const patch = useCallback((id: string, change: Partial<OutboxMessage> | null) => {
    setOutbox((list) => (change === null ? list.filter((x) => x.clientMessageId !== id) : list.map((x) => (x.clientMessageId === id ? { ...x, ...change } : x))));
  }, [setOutbox]);

  const deliver = useCallback(
    async (p: OutboxMessage) => {
      if (!send || inFlight.current.has(p.clientMessageId)) return;
      inFlight.current.add(p.clientMessageId);
      patch(p.clientMessageId, { state: "sending" });
      try {
        await send(p.sessionId, p.text, p.clientMessageId);
        patch(p.clientMessageId, { state: "sent" });
      } catch (err) {
        if (err instanceof TabflowClientError && err.code === "unavailable") {
          // Kept: retried with the same clientMessageId once the socket is back.
          patch(p.clientMessageId, { state: "queued" });
        } else {
          // Refused for good: the text goes back into that session's composer, never lost.
          patch(p.clientMessageId, null);
          setDrafts((d) => ({ ...d, [p.sessionId]: d[p.sessionId] ? `${p.text}\n${d[p.sessionId]}` : p.text }));
          onError(`Message not sent: ${errorText(err)} (your text is back in the composer)`);
        }
      } finally {
        inFlight.current.delete(p.clientMessageId);
      }
    },
    [send, patch, setDrafts, onError],
  );

  useEffect(() => {
    if (!connected || !send) return;
    for (const p of outbox) {
      // A reload during a send: its state says sending, but nothing is in flight any more.
      if ((p.state === "queued" || (p.state === "sending" && !inFlight.current.has(p.clientMessageId))) && !isPendingId(p.sessionId)) void deliver(p);
    }
  }, [connected, send, outbox, deliver]);

  const enqueue = useCallback(
    (sessionId: string, text: string) => {
      if (isPendingId(sessionId)) livePending.current.add(sessionId);
      setOutbox((list) => [...list, { clientMessageId: newClientMessageId(), sessionId, text, state: "queued" }]);
      setDraft(sessionId, "");
    },
    [setOutbox, setDraft],
  );

  /** A starting session got its real id: its queued messages and its draft move there. */
  const resolvePending = useCallback(
    (pendingId: string, realId: string) => {
      setOutbox((list) => list.map((x) => (x.sessionId === pendingId ? { ...x, sessionId: realId } : x)));
      setDrafts((d) => {
        if (!(pendingId in d)) return d;
        const { [pendingId]: text, ...rest } = d;
        return { ...rest, [realId]: text! };
      });
    },
    [setOutbox, setDrafts],
  );

  /** Drops sent messages the log now shows (or whose session is not on screen: they are stored). */
  const prune = useCallback(
    (settled: (p: OutboxMessage) => boolean) => {
      setOutbox((list) => {
        const keep = list.filter((p) => p.state !== "sent" || !settled(p));
        return keep.length === list.length ? list : keep;
      });
    },
    [setOutbox],
  );

  /**
   * Messages typed in a session that was still starting when the page reloaded: their session
   * cannot be known any more, so their text goes into the composer of the session shown now
   * (to be sent or not by the user), never silently dropped.
   */
  const claimOrphans = useCallback(
    (sessionId: string): boolean => {
      if (!outboxLoaded) return false;
      const orphans = outbox.filter((p) => isPendingId(p.sessionId) && !livePending.current.has(p.sessionId));
      if (orphans.length === 0) return false;
      const ids = new Set(orphans.map((p) => p.clientMessageId));
      setOutbox((list) => list.filter((p) => !ids.has(p.clientMessageId)));
      setDrafts((d) => ({ ...d, [sessionId]: [...orphans.map((p) => p.text), d[sessionId] ?? ""].filter(Boolean).join("\n") }));
      return true;
    },
    [outbox, outboxLoaded, setOutbox, setDrafts],
  );

  return { outbox, drafts, setDraft, enqueue, resolvePending, prune, claimOrphans };
}
