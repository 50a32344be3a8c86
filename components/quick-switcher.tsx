"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";
import { searchSessions, type RequestClient } from "@/lib/realtime/history-client.ts";
import type { SessionSearchHitDto, SessionSummary } from "@/lib/realtime/protocol.ts";
import { needsYou, stateText } from "./attention-text.ts";

const SEARCH_DELAY_MS = 120;
const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

const MATCH_TEXT = { title: "title", artifact: "an artifact", message: "your messages" } as const;

/**
 * "Go to session": Ctrl+K / ⌘K or the button opens a dialog with a search box over the server's
 * full-text search (titles, the user's own messages, artifacts); arrow keys move, Enter opens.
 * Alt+N goes to the next session that needs the user, in tab order, wrapping around.
 */
export function QuickSwitcher({
  client,
  sessions,
  order,
  currentId,
  onOpen,
  workflowTitle,
}: {
  client: RequestClient | null;
  /** Live summaries (run state arrives by session:updated), to show each hit's current state. */
  sessions: readonly SessionSummary[];
  /** Session ids in tab order: what "next" means for Alt+N. */
  order: readonly string[];
  currentId?: string;
  onOpen: (id: string) => void;
  workflowTitle: (name: string) => string;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SessionSearchHitDto[]>([]);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState<string>("");
  const [notice, setNotice] = useState("");
  const ticket = useRef(0);
  const ids = useId();
  const live = new Map(sessions.map((s) => [s.id, s]));

  const show = useCallback(() => {
    setOpen(true);
    setQuery("");
    setActive(0);
  }, []);

  const nextNeedingYou = useCallback(() => {
    const byId = new Map(sessions.map((s) => [s.id, s]));
    const waiting = order.filter((id) => id !== currentId && byId.get(id) && needsYou(byId.get(id)!));
    if (waiting.length === 0) {
      setNotice("No other session needs you right now.");
      return;
    }
    const here = currentId ? order.indexOf(currentId) : -1;
    const next = waiting.find((id) => order.indexOf(id) > here) ?? waiting[0]!;
    setNotice("");
    onOpen(next);
  }, [sessions, order, currentId, onOpen]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac() ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        show();
      } else if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === "KeyN") {
        e.preventDefault();
        nextNeedingYou();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [show, nextNeedingYou]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      inputRef.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  // Search as the user types (debounced); a late answer to an older query is dropped.
  useEffect(() => {
    if (!open || !client) return;
    const mine = ++ticket.current;
    setStatus("Searching…");
    const timer = setTimeout(() => {
      searchSessions(client, query)
        .then((found) => {
          if (mine !== ticket.current) return;
          setHits(found);
          setActive(0);
          setStatus(found.length === 0 ? (query.trim() ? `No session matches “${query.trim()}”.` : "No sessions yet.") : `${found.length} session${found.length === 1 ? "" : "s"}`);
        })
        .catch((err: unknown) => {
          if (mine === ticket.current) setStatus(`Search failed: ${(err as Error).message}`);
        });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [open, query, client]);

  const choose = (id: string | undefined) => {
    if (!id) return;
    setOpen(false);
    onOpen(id);
  };

  const onInputKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((i) => (hits.length ? (i + 1) % hits.length : 0));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => (hits.length ? (i - 1 + hits.length) % hits.length : 0));
    } else if (e.key === "Home" && e.ctrlKey) {
      setActive(0);
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(hits[active]?.session.id);
    }
  };

  const optionId = (i: number) => `${ids}-opt-${i}`;
  const shortcut = isMac() ? "⌘K" : "Ctrl+K";

  return (
    <>
      <button type="button" className="go-to" onClick={show} aria-keyshortcuts="Control+K Meta+K" title={`${shortcut} · Alt+N: next session that needs you`}>
        Go to session <kbd>{shortcut}</kbd>
      </button>
      {notice && (
        <span role="status" className="muted small switch-notice">
          {notice}
        </span>
      )}
      <dialog ref={dialogRef} className="switcher" aria-labelledby={`${ids}-title`} onClose={() => setOpen(false)} onClick={(e) => e.target === dialogRef.current && setOpen(false)}>
        <h2 id={`${ids}-title`} className="small-heading">
          Go to session
        </h2>
        <input
          ref={inputRef}
          type="text"
          role="combobox"
          aria-label="Search sessions"
          aria-expanded={hits.length > 0}
          aria-controls={`${ids}-list`}
          aria-autocomplete="list"
          aria-activedescendant={hits[active] ? optionId(active) : undefined}
          placeholder="Search titles, your messages and artifacts"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onInputKey}
          autoComplete="off"
          spellCheck={false}
        />
        <ul id={`${ids}-list`} role="listbox" aria-label="Sessions found" className="switcher-results">
          {hits.map((hit, i) => {
            const s = live.get(hit.session.id) ?? hit.session;
            return (
              <li
                key={s.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={i === active ? "active" : undefined}
                onMouseMove={() => setActive(i)}
                onClick={() => choose(s.id)}
              >
                <strong>{s.title}</strong> <span className="muted">· {workflowTitle(s.workflowName)} · </span>
                <span className={`state state-${needsYou(s) ? "needs" : s.run.state}`}>{stateText(s)}</span>
                {hit.matched.length > 0 && <span className="muted small"> · found in {hit.matched.map((m) => MATCH_TEXT[m]).join(", ")}</span>}
                {hit.excerpt && <span className="excerpt muted small"> “{hit.excerpt}”</span>}
              </li>
            );
          })}
        </ul>
        <p role="status" className="muted small">
          {status}
        </p>
        <p className="muted small keys">
          <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close · <kbd>Alt+N</kbd>: next session that needs you
        </p>
      </dialog>
    </>
  );
}
