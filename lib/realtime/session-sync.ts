/**
 * Keeps the shown session's cache complete: the join (the one resume path), paging a gap
 * with message:list, and absorbing messages from any source by seq. Nothing here emits
 * directly: every request goes through the client's requester.
 */
import type { Requester } from "./client-request.ts";
import type { ClientData } from "./client-state.ts";
import { applyDraftEvent, endDraftsOf } from "./draft.ts";
import type { MessageDto, RequestResult } from "./protocol.ts";
import { hasGap, heldSeq, mergeArtifacts, mergeMessages } from "./session-cache.ts";

export interface SyncContext {
  request: Requester;
  data: ClientData;
  currentId(): string | undefined;
  /** Which connection the socket is on (1 for the first; a reconnect needs a fresh join). */
  connection(): number;
  changed(): void;
  report(err: unknown): void;
}

export function createSessionSync(ctx: SyncContext) {
  const { request, data } = ctx;
  const filling = new Map<string, Promise<void>>();
  /** Which connection each session was last joined on. */
  const joinedOn = new Map<string, number>();
  let joiningId: string | undefined;

  /** Takes messages from any source (broadcast, ack, page) and fills a gap they reveal. */
  function absorb(sessionId: string, messages: readonly MessageDto[]): void {
    const cache = data.caches.get(sessionId);
    if (!cache) return;
    const ended = endDraftsOf(cache.drafts, messages);
    if (mergeMessages(cache, messages) || ended) ctx.changed();
    // While a join is reading, its answer covers the gap; it checks again when it lands.
    if (hasGap(cache) && sessionId === ctx.currentId() && joiningId !== sessionId) fill(sessionId).catch(ctx.report);
  }

  /** Pages message:list until the cache holds everything the server had; one run per session. */
  function fill(sessionId: string): Promise<void> {
    const running = filling.get(sessionId);
    if (running) return running;
    const cache = data.cacheOf(sessionId);
    const run = (async () => {
      try {
        for (;;) {
          const page = await request("message:list", { sessionId, afterSeq: heldSeq(cache) });
          const ended = endDraftsOf(cache.drafts, page.messages);
          if (mergeMessages(cache, page.messages) || ended) ctx.changed();
          if (page.hasMore && page.messages.length > 0) continue;
          if (!hasGap(cache)) return;
          // The server has nothing after what we hold: what sits past the gap cannot be real.
          if (page.messages.length === 0) return void cache.ahead.clear();
        }
      } finally {
        // Cleared in the same turn as the last check, so a later gap always starts a new run.
        filling.delete(sessionId);
      }
    })();
    filling.set(sessionId, run);
    return run;
  }

  async function join(sessionId: string): Promise<void> {
    if (sessionId !== ctx.currentId()) return; // a later show() replaced this one before it ran
    const cache = data.cacheOf(sessionId);
    joiningId = sessionId;
    let joined: RequestResult<"session:join">;
    try {
      joined = await request("session:join", { sessionId, afterSeq: heldSeq(cache) });
    } finally {
      joiningId = undefined;
    }
    joinedOn.set(sessionId, ctx.connection());
    cache.session = joined.session;
    data.upsertSummary(joined.session);
    mergeMessages(cache, joined.messages);
    mergeArtifacts(cache, joined.artifacts, true);
    cache.agent = joined.agent ?? null;
    endDraftsOf(cache.drafts, joined.messages);
    // The flushed draft is a snapshot: kept unless the live copy is already longer or it ended.
    if (joined.draft) applyDraftEvent(cache.drafts, { sessionId, type: "snapshot", ...joined.draft });
    // No draft on the server: one still held ended while we were away (its `end` was missed).
    else cache.drafts.draft = undefined;
    ctx.changed();
    if (joined.hasMore || hasGap(cache)) await fill(sessionId);
  }

  return {
    absorb,
    join,
    joinedOnThisConnection: (sessionId: string) => joinedOn.get(sessionId) === ctx.connection(),
  };
}
