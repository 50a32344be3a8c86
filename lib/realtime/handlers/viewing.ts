/**
 * Join is the one resume path, for a new session, a tab switch and a reconnect alike:
 * ownership → room → messages after the client's seq → artifacts. Joining the room before
 * reading means a message stored in between arrives both ways, and the client keeps one
 * copy by seq: nothing missed, nothing shown twice. It only reads: a switch writes nothing.
 */
import { TabflowError } from "../../errors.ts";
import { toArtifactDto, toMessageDto, toSessionDto } from "../dto.ts";
import { sessionRoom } from "../rooms.ts";
import type { Handlers, TabflowServerSocket } from "../server-types.ts";

function stopViewing(socket: TabflowServerSocket): void {
  if (socket.data.viewing) void socket.leave(sessionRoom(socket.data.viewing));
  socket.data.viewing = undefined;
}

export const viewingHandlers = {
  "session:join": async ({ sessionId, afterSeq }, { socket, store, scope, pageSize, describeActions, workflows }) => {
    const ticket = ++socket.data.joinTicket;
    socket.data.joining = sessionId;
    let session;
    try {
      session = await store.getWorkflowSession(scope, sessionId);
    } finally {
      if (ticket === socket.data.joinTicket) socket.data.joining = undefined;
    }
    // A later join or leave on this socket won while we read; the room is theirs now.
    if (ticket !== socket.data.joinTicket) throw new TabflowError("conflict", "a later session:join or session:leave replaced this one");
    // The adapter would keep a room entry for a socket that is already gone.
    if (socket.disconnected) throw new TabflowError("unavailable", "the socket disconnected during the join");
    if (socket.data.viewing !== session.id) {
      stopViewing(socket);
      await socket.join(sessionRoom(session.id));
      socket.data.viewing = session.id;
    }
    const [page, artifacts, draft] = await Promise.all([
      store.listMessages(scope, session.id, afterSeq, pageSize),
      store.listSessionArtifacts(scope, session.id),
      store.getDraft(scope, session.id), // a reply streaming right now (text as of its last flush)
    ]);
    return {
      session: toSessionDto({ ...session, lastSeq: Math.max(session.lastSeq, page.lastSeq) }),
      messages: page.messages.map(toMessageDto),
      hasMore: page.hasMore,
      artifacts: artifacts.map((a) => toArtifactDto(a, describeActions(a, session))),
      draft: draft && { draftId: draft.draftId, text: draft.text },
      agent: workflows?.agentFor(session) ?? null,
    };
  },

  "session:leave": async ({ sessionId }, { socket }) => {
    // Cancels a join of this session still in flight, but never a join of another one.
    if (socket.data.joining === sessionId) {
      socket.data.joinTicket++;
      socket.data.joining = undefined;
    }
    if (socket.data.viewing === sessionId) stopViewing(socket);
    return null;
  },
} satisfies Handlers;
