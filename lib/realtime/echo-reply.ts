/**
 * The stand-in for a workflow until the workflow registry exists: it answers every user
 * message through the publisher, i.e. the same persist-then-broadcast path a real agent uses.
 */
import type { Publisher } from "./publisher.ts";
import type { UserMessageEvent } from "./server-types.ts";

export type HandleUserMessage = (event: UserMessageEvent, publisher: Publisher) => Promise<void>;

export const echoReply: HandleUserMessage = async ({ scope, message, text }, publisher) => {
  await publisher.appendMessage(scope, message.sessionId, {
    role: "agent",
    kind: "text",
    content: { text: `You said: ${text}` },
    // Keyed to the user's message, so handling it twice (a retry, a restart) replies once.
    clientMessageId: `reply-to:${message.seq}`,
  });
};
