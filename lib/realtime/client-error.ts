/** What the browser-side client throws, and the ids it makes for sends. Browser-safe. */
import type { ErrorCode } from "./protocol.ts";

export class TabflowClientError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "TabflowClientError";
    this.code = code;
  }
}

/** crypto.randomUUID exists only in secure contexts; a LAN http:// page still has getRandomValues. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
