/**
 * The client's copy of one session: messages 1..n with no gap, plus whatever arrived ahead of
 * a gap, and its artifacts at their highest known version. Pure data and functions (browser
 * and node alike); arrays are replaced, never mutated, so a UI can compare by reference.
 */
import { emptyDraftState, type DraftState } from "./draft.ts";
import type { ArtifactDto, MessageDto, SessionDto } from "./protocol.ts";

export interface SessionCache {
  session?: SessionDto;
  /** Contiguous from seq 1: messages[i].seq === i + 1. */
  messages: readonly MessageDto[];
  /** Messages received past a gap, by seq, waiting for the gap to be filled. */
  ahead: Map<number, MessageDto>;
  artifacts: readonly ArtifactDto[];
  /** The agent reply streaming right now, if any (lib/realtime/draft.ts). */
  drafts: DraftState;
  /** Which agent answers in this session, as the server names it (from the join). */
  agent?: string | null;
}

export function emptyCache(): SessionCache {
  return { messages: [], ahead: new Map(), artifacts: [], drafts: emptyDraftState() };
}

/** The highest seq held with nothing missing before it: what `afterSeq` asks the server for. */
export function heldSeq(cache: SessionCache): number {
  return cache.messages.length;
}

/** Adds messages in any order, ignoring those already held; returns true when something changed. */
export function mergeMessages(cache: SessionCache, incoming: readonly MessageDto[]): boolean {
  let held = heldSeq(cache);
  for (const m of incoming) if (m.seq > held) cache.ahead.set(m.seq, m);
  const added: MessageDto[] = [];
  for (let next = cache.ahead.get(held + 1); next; next = cache.ahead.get(held + 1)) {
    cache.ahead.delete(held + 1);
    added.push(next);
    held += 1;
  }
  for (const seq of cache.ahead.keys()) if (seq <= held) cache.ahead.delete(seq);
  if (added.length) cache.messages = [...cache.messages, ...added];
  return added.length > 0;
}

/** True when a message arrived past a seq we do not hold yet. */
export function hasGap(cache: SessionCache): boolean {
  return cache.ahead.size > 0;
}

/** Keeps the higher version of each artifact; `all` is the session's full list (from a join). */
export function mergeArtifacts(cache: SessionCache, incoming: readonly ArtifactDto[], all: boolean): boolean {
  const known = new Map(cache.artifacts.map((a) => [a.id, a]));
  let changed = all && incoming.length !== cache.artifacts.length;
  const merged = incoming.map((a) => {
    const held = known.get(a.id);
    if (held && held.version >= a.version) return held;
    changed = true;
    return a;
  });
  if (!changed) return false;
  const byId = new Map(merged.map((a) => [a.id, a]));
  cache.artifacts = all ? merged : [...cache.artifacts.map((a) => byId.get(a.id) ?? a), ...merged.filter((a) => !known.has(a.id))];
  return true;
}
