/**
 * Persist, then broadcast. Everything that changes a session (socket handlers now, workflow
 * runs later) goes through here, so a client never sees something that is not stored and
 * workflows never import Socket.IO.
 */
import type { Logger } from "../logger.ts";
import type { AppendMessageInput, ArtifactRecord, MessageRecord, Scope, SessionRecord, Store } from "../store/index.ts";
import { toArtifactDto, toMessageDto, toSessionSummary } from "./dto.ts";
import { sessionRoom, userRoom } from "./rooms.ts";
import type { ArtifactActionDto, DraftEvent } from "./protocol.ts";
import type { TabflowServer } from "./server-types.ts";

const artifactScope = (a: ArtifactRecord) => ({ enterpriseId: a.enterpriseId, appId: a.appId, userId: a.userId });

export interface AppendResult {
  message: MessageRecord;
  /** False when the clientMessageId was already stored: nothing was written or broadcast. */
  created: boolean;
}

export interface Publisher {
  /** endDraftId: the stream draft this message completes (deleted with the insert, then `end` is broadcast). */
  appendMessage(scope: Scope, sessionId: string, input: AppendMessageInput, options?: { endDraftId?: string }): Promise<AppendResult>;
  /** Tells every socket of the session's owner about its new status, title or lastSeq. */
  sessionChanged(session: SessionRecord): void;
  artifactChanged(sessionId: string, artifact: ArtifactRecord): void;
  /** Streamed text to the session's viewers (not stored here: drafts are flushed by the producer). */
  draft(event: DraftEvent): void;
}

export type DescribeActions = (artifact: ArtifactRecord, session: SessionRecord) => ArtifactActionDto[];

export function createPublisher(io: TabflowServer, store: Store, logger: Logger, describeActions: DescribeActions = () => []): Publisher {
  const sessionChanged = (session: SessionRecord) => {
    io.to(userRoom(session)).emit("session:updated", toSessionSummary(session));
  };

  async function appendMessage(scope: Scope, sessionId: string, input: AppendMessageInput, options: { endDraftId?: string } = {}): Promise<AppendResult> {
    // The store tells a first send from a retry of the same clientMessageId, even when the
    // two race, so only the first is broadcast and handed to the workflow.
    const { message, created, session } = await store.appendMessageWithStatus(scope, sessionId, input, options);
    if (!created) return { message, created };

    io.to(sessionRoom(sessionId)).emit("message:new", toMessageDto(message));
    if (options.endDraftId) io.to(sessionRoom(sessionId)).emit("message:draft", { sessionId, draftId: options.endDraftId, type: "end" });
    if (session) sessionChanged(session);
    return { message, created };
  }

  return {
    appendMessage,
    sessionChanged,
    draft: (event) => void io.to(sessionRoom(event.sessionId)).emit("message:draft", event),
    artifactChanged: (sessionId, artifact) => {
      // The buttons depend on the session (e.g. Retry only after a failure): read it, then send.
      void store
        .getWorkflowSession(artifactScope(artifact), sessionId)
        .then((session) => describeActions(artifact, session))
        .catch((err: unknown) => {
          logger.warn({ err, sessionId }, "could not describe an artifact's actions");
          return [];
        })
        .then((actions) => io.to(sessionRoom(sessionId)).emit("artifact:updated", { sessionId, artifact: toArtifactDto(artifact, actions) }));
    },
  };
}
