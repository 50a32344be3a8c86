/** Reading a session's messages after a seq, and sending one as the user. */
import { toMessageDto } from "../dto.ts";
import type { Handlers } from "../server-types.ts";

export const messageHandlers = {
  "message:list": async ({ sessionId, afterSeq, limit }, { store, scope, pageSize }) => {
    const page = await store.listMessages(scope, sessionId, afterSeq, limit ?? pageSize);
    return { messages: page.messages.map(toMessageDto), hasMore: page.hasMore, lastSeq: page.lastSeq };
  },

  "message:send": async ({ sessionId, clientMessageId, text }, { publisher, scope, onUserMessage, workflows }) => {
    // Refused before it is stored when nothing would answer it or a limit is reached; admitted,
    // it holds a place in its session's queue until it is stored and handed on.
    const release = (await workflows?.admitMessage(scope, sessionId, text)) ?? (() => {});
    let stored;
    try {
      stored = await publisher.appendMessage(scope, sessionId, { role: "user", kind: "text", content: { text }, clientMessageId });
    } catch (err) {
      release();
      throw err;
    }
    const { message, created } = stored;
    // A retried send was handled the first time; answering it again must not reply twice.
    if (created) onUserMessage({ scope, message, text }, release);
    else release();
    return toMessageDto(message);
  },
} satisfies Handlers;
