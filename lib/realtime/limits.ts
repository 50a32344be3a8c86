/**
 * Size limits of socket traffic, shared by the server and the browser. The server's transport
 * refuses (closes the connection on) any frame over MAX_SOCKET_PAYLOAD_BYTES before it is
 * parsed, so nothing that large is ever stored; the client library refuses to send one, with a
 * typed `invalid_payload`, so a user's oversize message gets a clear answer. Within the limit,
 * each event's zod schema bounds its fields (e.g. MAX_TEXT_CHARS) with `invalid_payload`.
 */
export const MAX_SOCKET_PAYLOAD_BYTES = 1024 * 1024;

/** UTF-8 size of a payload as JSON (what the frame will roughly carry). */
export function payloadBytes(payload: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(payload) ?? "").length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
