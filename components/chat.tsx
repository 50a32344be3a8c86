"use client";

import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import type { DraftDto, MessageDto } from "@/lib/realtime/protocol.ts";

/** Histories longer than this open on their newest TAIL messages; earlier ones render virtualized. */
const VIRTUALIZE_AFTER = 150;
const TAIL = 60;

export type { OutboxMessage as PendingMessage } from "./hooks/use-outbox.ts";
import type { OutboxMessage as PendingMessage } from "./hooks/use-outbox.ts";

function messageText(m: MessageDto): string {
  const c = m.content as { text?: unknown; percent?: unknown };
  if (typeof c.text === "string") return c.text;
  return JSON.stringify(m.content);
}

function MessageItem({ m, Tag = "li" }: { m: MessageDto; Tag?: "li" | "div" }) {
  const c = m.content as { percent?: unknown };
  const who = m.role === "user" ? "You" : m.role === "agent" ? "Agent" : "System";
  return (
    <Tag className={`msg msg-${m.role} kind-${m.kind}`}>
      <span className="who">{who}</span>
      <div className="body">
        {messageText(m)}
        {m.kind === "progress" && typeof c.percent === "number" && <span className="muted"> ({Math.round(c.percent)}%)</span>}
      </div>
    </Tag>
  );
}

function PendingItem({ p, Tag = "li" }: { p: PendingMessage; Tag?: "li" | "div" }) {
  const waiting = p.sessionId.startsWith("pending-");
  return (
    <Tag className="msg msg-user pending">
      <span className="who">You</span>
      <div className="body">{p.text}</div>
      <span className="muted small">{p.state === "queued" ? (waiting ? "Queued — sends once the session has started" : "Queued — sends when reconnected") : p.state === "sent" ? "Sent" : "Sending…"}</span>
    </Tag>
  );
}

/** An agent reply still streaming in: shown live after the stored messages until it is stored. */
function StreamingItem({ draft, Tag = "li" }: { draft: DraftDto; Tag?: "li" | "div" }) {
  return (
    <Tag className="msg msg-agent streaming" aria-busy="true" data-draft-id={draft.draftId}>
      <span className="who">Agent</span>
      <div className="body">
        {draft.text}
        <span className="caret" aria-hidden="true" />
      </div>
      <span className="muted small">Writing…</span>
    </Tag>
  );
}

type LogItem = { m: MessageDto; p?: undefined; d?: undefined } | { p: PendingMessage; m?: undefined; d?: undefined } | { d: DraftDto; m?: undefined; p?: undefined };

const keyOf = (item: LogItem) => (item.m ? `m${item.m.seq}` : item.d ? `d${item.d.draftId}` : `p${item.p!.clientMessageId}`);

function LogEntry({ item, Tag = "li" }: { item: LogItem; Tag?: "li" | "div" }) {
  if (item.m) return <MessageItem m={item.m} Tag={Tag} />;
  if (item.d) return <StreamingItem draft={item.d} Tag={Tag} />;
  return <PendingItem p={item.p!} Tag={Tag} />;
}

function VirtualLog({ items, startAt }: { items: readonly LogItem[]; startAt: number }) {
  const list = useRef<VirtuosoHandle>(null);
  // Pinned to the newest message until the user scrolls up (it opens where the tail view was).
  const stick = useRef(false);
  const userScrolled = useRef(false);
  useEffect(() => {
    if (!stick.current || items.length === 0) return;
    const last = items.length - 1;
    list.current?.scrollToIndex({ index: last, align: "end" });
    // Again once the new rows are measured: the first jump lands on estimated heights.
    const frame = requestAnimationFrame(() => requestAnimationFrame(() => list.current?.scrollToIndex({ index: last, align: "end" })));
    return () => cancelAnimationFrame(frame);
  }, [items.length]);
  const byUser = () => {
    userScrolled.current = true;
  };
  return (
    <Virtuoso
      ref={list}
      className="log log-virtual"
      role="log"
      aria-label="Messages"
      tabIndex={0}
      data={items}
      initialTopMostItemIndex={{ index: startAt, align: "start" }}
      followOutput="auto"
      // Only the user unpins it (content growing below is not a reason to stop following).
      atBottomStateChange={(atBottom) => {
        if (atBottom) stick.current = true;
        else if (userScrolled.current) stick.current = false;
        userScrolled.current = false;
      }}
      onWheel={byUser}
      onTouchMove={byUser}
      onKeyDown={byUser}
      computeItemKey={(_, item) => keyOf(item)}
      itemContent={(_, item) => (
        <div className="msg-row">
          <LogEntry item={item} Tag="div" />
        </div>
      )}
    />
  );
}

/**
 * The log of the shown session. A switch must paint the newest message at once, whatever the
 * history's length: the log opens on a plain list of the newest TAIL messages, pinned to the
 * bottom in the same frame, and turns into a virtualized list of the whole history only when
 * the user asks for earlier messages (the button at the top of the tail).
 * Parents key it by session, so each session opens on its tail.
 */
export function ChatLog({ messages, pending, draft, loading }: { messages: readonly MessageDto[]; pending: readonly PendingMessage[]; draft?: DraftDto; loading?: "Loading…" | "Starting…" | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const items: LogItem[] = [...messages.map((m) => ({ m })), ...(draft ? [{ d: draft }] : []), ...pending.map((p) => ({ p }))];
  const count = items.length;
  const [tailStart, setTailStart] = useState(() => (count > VIRTUALIZE_AFTER ? count - TAIL : 0));
  const [full, setFull] = useState(false);
  // While pinned to the bottom, the tail slides with new messages instead of growing forever.
  const start = stick.current && count - tailStart > 2 * TAIL ? count - TAIL : Math.min(tailStart, Math.max(0, count - TAIL));
  useLayoutEffect(() => {
    if (start !== tailStart) setTailStart(start);
  }, [start, tailStart]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [count, full, draft?.text.length]);

  // Stay pinned to the newest message when the log itself changes size (panels opening above).
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [full]);

  if (full) return <VirtualLog items={items} startAt={start} />;

  const earlier = start;
  return (
    <div
      ref={ref}
      role="log"
      aria-label="Messages"
      aria-live="polite"
      className="log"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      {count === 0 ? (
        <p className="empty">{loading ?? "No messages yet."}</p>
      ) : (
        <>
          {earlier > 0 && (
            <button type="button" className="earlier" onClick={() => setFull(true)}>
              Show {earlier} earlier {earlier === 1 ? "message" : "messages"}
            </button>
          )}
          <ol className="messages">
            {items.slice(start).map((item) => <LogEntry key={keyOf(item)} item={item} />)}
          </ol>
        </>
      )}
    </div>
  );
}

export function Composer({
  sessionId,
  disabledReason,
  text,
  onChange,
  onSend,
  focusKey,
}: {
  sessionId: string;
  disabledReason: string | null;
  /** The draft of this session (kept per session by the workspace, and across reloads). */
  text: string;
  onChange: (sessionId: string, text: string) => void;
  onSend: (sessionId: string, text: string) => void;
  focusKey: number;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const disabled = disabledReason !== null;

  // Focus when asked (a new session), as soon as the box is usable.
  const focused = useRef(0);
  useEffect(() => {
    if (focusKey > focused.current && !disabled) {
      focused.current = focusKey;
      ref.current?.focus();
    }
  }, [focusKey, disabled]);

  function submit() {
    // Read from the box itself: the keystrokes of this very frame may not be rendered yet.
    const value = ref.current?.value ?? text;
    if (disabled || value.trim().length === 0) return;
    onSend(sessionId, value);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form
      className="composer"
      data-session={sessionId}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={ref}
        aria-label="Message"
        aria-describedby={disabled ? `composer-reason-${sessionId}` : undefined}
        placeholder={disabled ? "" : "Type a message — Enter sends, Shift+Enter for a new line"}
        rows={3}
        value={text}
        disabled={disabled}
        onChange={(e) => onChange(sessionId, e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={disabled || text.trim().length === 0}>
        Send
      </button>
      {disabled && (
        <p id={`composer-reason-${sessionId}`} className="muted small reason">
          {disabledReason}
        </p>
      )}
    </form>
  );
}
