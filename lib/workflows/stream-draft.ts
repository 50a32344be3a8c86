/**
 * A reply being streamed: every piece of text goes to the session's viewers at once (an
 * ephemeral `delta` broadcast), while the text so far is written to the session's draft row
 * only every `flush.ms` (or `flush.chars` characters), each write followed by a `snapshot`
 * broadcast. So the database sees a handful of writes per reply, not one per token, and a
 * client joining mid-stream, on any node, reads the flushed text and catches up from there.
 * The reply ends with ctx.say(text, {draft}): the message is appended and the draft row
 * deleted in one transaction. discard() drops it (a retry, a failure, Stop).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.ts";
import type { Scope, Store } from "../store/index.ts";

/** The wire shape (lib/realtime/draft.ts has the same type; workflows do not import realtime). */
export type DraftEvent =
  | { sessionId: string; draftId: string; type: "delta"; offset: number; text: string }
  | { sessionId: string; draftId: string; type: "snapshot"; text: string }
  | { sessionId: string; draftId: string; type: "end" };

export interface DraftStream {
  readonly draftId: string;
  readonly text: string;
  append(delta: string): void;
  /** Stops flushing and waits for a flush in progress (before the final message is stored). */
  close(): Promise<void>;
  /** Stops, deletes the draft row and tells viewers it is gone. */
  discard(): Promise<void>;
}

export const DEFAULT_DRAFT_FLUSH = { ms: 250, chars: 400 };

export function createDraftStream(deps: {
  store: Store;
  broadcast(event: DraftEvent): void;
  logger: Logger;
  scope: Scope;
  sessionId: string;
  flush?: { ms: number; chars: number };
}): DraftStream {
  const { store, broadcast, logger, scope, sessionId } = deps;
  const flushEvery = deps.flush ?? DEFAULT_DRAFT_FLUSH;
  const draftId = randomUUID();
  let text = "";
  let flushedLength = 0;
  /** Length when the last flush was asked for: flushes are asked every `chars` characters or `ms`. */
  let requestedLength = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    requestedLength = text.length;
    writing = writing.then(async () => {
      if (closed || text.length === flushedLength) return;
      const snapshot = text;
      try {
        await store.saveDraft(scope, sessionId, { draftId, text: snapshot });
        flushedLength = snapshot.length;
        // closed meanwhile: the message (or the discard) already told viewers; no late snapshot.
        if (!closed) broadcast({ sessionId, draftId, type: "snapshot", text: snapshot });
      } catch (err) {
        // Live viewers still get every delta; only a mid-stream join sees less. Never fatal.
        logger.warn({ err, sessionId }, "could not flush a streamed reply's draft");
      }
    });
  }

  return {
    draftId,
    get text() {
      return text;
    },
    append(delta) {
      if (closed || !delta) return;
      const offset = text.length;
      text += delta;
      broadcast({ sessionId, draftId, type: "delta", offset, text: delta });
      if (text.length - requestedLength >= flushEvery.chars) flush();
      else timer ??= setTimeout(flush, flushEvery.ms);
    },
    async close() {
      clearTimeout(timer);
      timer = undefined;
      closed = true;
      await writing;
    },
    async discard() {
      clearTimeout(timer);
      timer = undefined;
      closed = true;
      await writing;
      await store.deleteDraft(scope, sessionId, draftId).catch((err: unknown) => logger.warn({ err, sessionId }, "could not delete a draft"));
      broadcast({ sessionId, draftId, type: "end" });
    },
  };
}
