/**
 * Size limits of socket traffic, shared by the server and the browser. Every event's zod schema
 * bounds its fields (e.g. a message's text, MAX_TEXT_CHARS) and answers anything larger with a
 * typed `invalid_payload` ack, so an oversize message (10 MB, say) is refused with a clear
 * error and never stored. Frames over MAX_SOCKET_PAYLOAD_BYTES are not even parsed: the
 * transport closes that connection (Socket.IO's maxHttpBufferSize), and the client library
 * refuses to send one, with a typed `invalid_payload`.
 */
export const MAX_SOCKET_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** UTF-8 size of a payload as JSON (what the frame will roughly carry). */
export function payloadBytes(payload: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(payload) ?? "").length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
