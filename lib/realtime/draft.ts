/**
 * Streamed reply text on the wire, and how a client keeps its copy. Browser-safe (no node:*).
 *
 * The producing node broadcasts `delta` events ({draftId, offset, text}) as tokens arrive and,
 * with every flush to the database, a `snapshot` of the whole text so far; `end` when the draft
 * became a message or was dropped. A client appends a delta only where it continues what it
 * holds (an overlap is cut, so nothing doubles); past a gap it waits for the next snapshot.
 * A join returns the flushed draft, which is a snapshot like any other; deltas that arrived past
 * a gap are kept and spliced in as soon as a snapshot reaches their offset.
 */
export interface DraftDto {
  draftId: string;
  /** The reply text so far (as of the producer's last flush, when read from a join). */
  text: string;
}

export type DraftEvent =
  | { sessionId: string; draftId: string; type: "delta"; offset: number; text: string }
  | { sessionId: string; draftId: string; type: "snapshot"; text: string }
  | { sessionId: string; draftId: string; type: "end" };

type DraftDelta = Extract<DraftEvent, { type: "delta" }>;

export interface DraftState {
  draft?: DraftDto;
  /** Drafts that ended (became a message or were dropped): late events for them are ignored. */
  ended: Set<string>;
  /** Deltas that arrived past the end of the text held (kept until a snapshot reaches them). */
  ahead: DraftDelta[];
}

/** Most deltas kept past a gap; older ones are dropped (the next snapshot covers them anyway). */
const MAX_AHEAD = 1000;

export function emptyDraftState(): DraftState {
  return { ended: new Set(), ahead: [] };
}

/** Splices in kept deltas that now continue the held text; drops those it already holds. */
function drain(state: DraftState): void {
  const held = state.draft;
  let text = held?.text ?? "";
  for (let progress = true; progress; ) {
    progress = false;
    state.ahead = state.ahead.filter((d) => {
      if (state.ended.has(d.draftId)) return false;
      if (!held || d.draftId !== held.draftId) return true;
      if (d.offset > text.length) return true;
      const tail = d.text.slice(text.length - d.offset);
      if (tail) {
        text += tail;
        progress = true;
      }
      return false;
    });
  }
  // Replaced, never mutated: a UI compares by reference.
  if (held && text !== held.text) state.draft = { draftId: held.draftId, text };
}

/** Applies a broadcast (or a join's draft as a snapshot); returns true when the shown text changed. */
export function applyDraftEvent(state: DraftState, event: DraftEvent): boolean {
  if (state.ended.has(event.draftId)) return false;
  const held = state.draft?.draftId === event.draftId ? state.draft : undefined;
  switch (event.type) {
    case "end":
      state.ended.add(event.draftId);
      state.ahead = state.ahead.filter((d) => d.draftId !== event.draftId);
      if (!held) return false;
      state.draft = undefined;
      return true;
    case "snapshot": {
      // A snapshot is the whole text at a flush: it replaces a shorter copy (or another draft).
      if (held && held.text.length >= event.text.length) return false;
      state.draft = { draftId: event.draftId, text: event.text };
      drain(state);
      return true;
    }
    case "delta": {
      const length = held ? held.text.length : 0;
      // Joined mid-stream, or a gap: keep it until a snapshot reaches its offset.
      if ((!held && event.offset !== 0) || event.offset > length) {
        state.ahead.push(event);
        if (state.ahead.length > MAX_AHEAD) state.ahead.shift();
        return false;
      }
      const tail = event.text.slice(length - event.offset); // an overlap is cut, never doubled
      if (!tail) return false;
      state.draft = { draftId: event.draftId, text: (held?.text ?? "") + tail };
      drain(state);
      return true;
    }
  }
}

/** A stored message that completes a draft ends it (its content carries the draftId). */
export function endDraftsOf(state: DraftState, messages: readonly { content: Record<string, unknown> }[]): boolean {
  let changed = false;
  for (const m of messages) {
    const id = m.content.draftId;
    if (typeof id !== "string") continue;
    state.ended.add(id);
    state.ahead = state.ahead.filter((d) => d.draftId !== id);
    if (state.draft?.draftId === id) {
      state.draft = undefined;
      changed = true;
    }
  }
  return changed;
}
