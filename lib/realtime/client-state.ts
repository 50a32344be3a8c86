/**
 * What the client knows, as plain data: session summaries, the per-session caches, and the
 * snapshot a UI renders (with unread counts). No socket here.
 */
import type { AckError, ArtifactDto, MessageDto, SessionDto, SessionSummary } from "./protocol.ts";
import type { DraftDto } from "./draft.ts";
import { emptyCache, heldSeq, type SessionCache } from "./session-cache.ts";

export interface TabflowClientState {
  connected: boolean;
  /** Every session this client knows of, newest activity first (filter by status to show tabs). */
  sessions: readonly SessionSummary[];
  /** Messages a background session received since this client last held it up to date. */
  unread: Readonly<Record<string, number>>;
  currentId?: string;
  current?: {
    session?: SessionDto;
    messages: readonly MessageDto[];
    artifacts: readonly ArtifactDto[];
    /** The agent reply streaming in right now (shown after the messages until it is stored). */
    draft?: DraftDto;
    /** Which agent answers here ("offline", "gpt-4o-mini via …"); null for workflows without one. */
    agent?: string | null;
  };
  /** The last failure of work the client did by itself (a gap fill, a re-join). */
  error?: AckError;
}

const newestFirst = (a: SessionSummary, b: SessionSummary) => b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id);

export class ClientData {
  readonly caches = new Map<string, SessionCache>();
  readonly summaries = new Map<string, SessionSummary>();
  /** For sessions never shown: their lastSeq when first seen, so old history is not "new". */
  private readonly baseline = new Map<string, number>();

  cacheOf(sessionId: string): SessionCache {
    let cache = this.caches.get(sessionId);
    if (!cache) this.caches.set(sessionId, (cache = emptyCache()));
    return cache;
  }

  upsertSummary(summary: SessionSummary): void {
    this.summaries.set(summary.id, summary);
    if (!this.caches.has(summary.id) && !this.baseline.has(summary.id)) this.baseline.set(summary.id, summary.lastSeq);
    const cache = this.caches.get(summary.id);
    if (cache?.session) cache.session = { ...cache.session, ...summary };
  }

  snapshot(connected: boolean, currentId: string | undefined, error: AckError | undefined): TabflowClientState {
    const sessions = [...this.summaries.values()].sort(newestFirst);
    const unread: Record<string, number> = {};
    for (const s of sessions) {
      const cache = this.caches.get(s.id);
      const held = cache ? heldSeq(cache) : (this.baseline.get(s.id) ?? s.lastSeq);
      if (s.id !== currentId && s.lastSeq > held) unread[s.id] = s.lastSeq - held;
    }
    const cache = currentId === undefined ? undefined : this.caches.get(currentId);
    const current = cache && { session: cache.session, messages: cache.messages, artifacts: cache.artifacts, draft: cache.drafts.draft, agent: cache.agent };
    return { connected, sessions, unread, currentId, current, error };
  }
}
