/**
 * Persist, then broadcast. Everything that changes a session (socket handlers now, workflow
 * runs later) goes through here, so a client never sees something that is not stored and
 * workflows never import Socket.IO.
 */
import { isTabflowError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { MAX_BATCH, type AppendMessageInput, type ArtifactRecord, type MessageRecord, type Scope, type SessionRecord, type Store } from "../store/index.ts";
import { toArtifactDto, toMessageDto, toSessionSummary } from "./dto.ts";
import { sessionRoom, userRoom } from "./rooms.ts";
import type { ArtifactActionDto, DraftEvent } from "./protocol.ts";
import type { TabflowServer } from "./server-types.ts";

interface Pending {
  scope: Scope;
  input: AppendMessageInput;
  options: AppendOptions;
  resolve(result: AppendResult): void;
  reject(err: unknown): void;
}

interface AppendOptions {
  /** The stream draft this message completes (deleted in the same transaction). */
  endDraftId?: string;
}

/** A client's send (de-duplicated by clientMessageId) or a draft's end is written on its own. */
const batchable = (p: Pending) => p.input.clientMessageId === undefined && p.options.endDraftId === undefined;

const sameScope = (a: Scope, b: Scope) => a.enterpriseId === b.enterpriseId && a.appId === b.appId && a.userId === b.userId;

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

  /**
   * Appends wait in a queue per session that exists only while some are pending. The first
   * append of a quiet session is written at once; those arriving while a write is in flight
   * are written together by the next transaction (group commit), in arrival order. A message
   * with a clientMessageId (a client's send) is written on its own, de-duplicated.
   */
  const queues = new Map<string, Pending[]>();

  function appendMessage(scope: Scope, sessionId: string, input: AppendMessageInput, options: AppendOptions = {}): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      const item: Pending = { scope, input, options, resolve, reject };
      const queue = queues.get(sessionId);
      if (queue) return void queue.push(item);
      const fresh = [item];
      queues.set(sessionId, fresh);
      void drain(sessionId, fresh);
    });
  }

  async function drain(sessionId: string, queue: Pending[]): Promise<void> {
    try {
      for (let round = 0; queue.length > 0; round++) {
        // After a write, let the producers of this turn queue up what they have: one more
        // message per transaction costs far less than one more transaction.
        if (round > 0) await new Promise((resolve) => setImmediate(resolve));
        const head = queue[0]!;
        let take = 1;
        if (batchable(head)) {
          while (take < queue.length && take < MAX_BATCH && batchable(queue[take]!) && sameScope(queue[take]!.scope, head.scope)) take++;
        }
        const batch = queue.splice(0, take);
        if (batch.length === 1) await appendOne(sessionId, batch[0]!);
        else await appendMany(sessionId, batch);
      }
    } finally {
      queues.delete(sessionId);
    }
  }

  async function appendOne(sessionId: string, item: Pending): Promise<void> {
    try {
      // The store tells a first send from a retry of the same clientMessageId, even when the
      // two race, so only the first is broadcast and handed to the workflow.
      const { message, created, session } = await store.appendMessageWithStatus(item.scope, sessionId, item.input, item.options);
      if (created) {
        io.to(sessionRoom(sessionId)).emit("message:new", toMessageDto(message));
        const draftId = item.options.endDraftId;
        if (draftId) io.to(sessionRoom(sessionId)).emit("message:draft", { sessionId, draftId, type: "end" });
        if (session) sessionChanged(session);
      }
      item.resolve({ message, created });
    } catch (err) {
      item.reject(err);
    }
  }

  async function appendMany(sessionId: string, batch: Pending[]): Promise<void> {
    let outcome: Awaited<ReturnType<Store["appendMessageBatch"]>>;
    try {
      outcome = await store.appendMessageBatch(batch[0]!.scope, sessionId, batch.map((p) => p.input));
    } catch (err) {
      // The session is gone or closed: no message of the batch can be stored.
      if (isTabflowError(err) && (err.code === "not_found" || err.code === "session_closed")) {
        for (const item of batch) item.reject(err);
        return;
      }
      // One bad message (or a closed session) fails the whole transaction: nothing of it was
      // written. Each half is tried again, in order, so good messages are still stored and
      // each caller gets its own answer (one bad message costs about 2·log2(n) transactions).
      const half = Math.ceil(batch.length / 2);
      for (const part of [batch.slice(0, half), batch.slice(half)]) {
        if (part.length === 1) await appendOne(sessionId, part[0]!);
        else await appendMany(sessionId, part);
      }
      return;
    }
    const room = io.to(sessionRoom(sessionId));
    outcome.messages.forEach((message, i) => {
      room.emit("message:new", toMessageDto(message));
      batch[i]!.resolve({ message, created: true });
    });
    sessionChanged(outcome.session);
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
