import type { BrowserContext } from "@playwright/test";
import { io } from "socket.io-client";
import type { MessageDto } from "../../lib/realtime/protocol.ts";

/**
 * Asks the server itself (a socket signed in with the browser's own session cookie) what a
 * session holds: the UI can be checked against what was really stored.
 */
export async function storedUserTexts(context: BrowserContext, baseURL: string, sessionId: string): Promise<string[]> {
  const cookie = (await context.cookies(baseURL)).map((c) => `${c.name}=${c.value}`).join("; ");
  const socket = io(baseURL, { transports: ["websocket"], extraHeaders: { cookie, origin: baseURL }, forceNew: true });
  try {
    const texts: string[] = [];
    let after = 0;
    for (;;) {
      const ack = (await socket.timeout(10_000).emitWithAck("message:list", { sessionId, afterSeq: after })) as
        | { ok: true; data: { messages: MessageDto[]; hasMore: boolean } }
        | { ok: false; error: { message: string } };
      if (!ack.ok) throw new Error(`message:list ${sessionId}: ${ack.error.message}`);
      for (const m of ack.data.messages) if (m.role === "user") texts.push(String((m.content as { text?: unknown }).text));
      if (!ack.data.hasMore || ack.data.messages.length === 0) return texts;
      after = ack.data.messages[ack.data.messages.length - 1]!.seq;
    }
  } finally {
    socket.disconnect();
  }
}
