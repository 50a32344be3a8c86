/**
 * The one error type that crosses module boundaries. Codes are enumerated so that the
 * socket layer and HTTP routes can turn them into typed answers without string matching,
 * and messages are safe to show a user (never a stack trace or SQL).
 */
export const ERROR_CODES = [
  "invalid_payload", // the request is malformed or would make stored data invalid
  "not_found", // no such thing in the caller's scope (also what another owner's ids get)
  "conflict", // a stale version, or a concurrent change won
  "session_closed", // the session is COMPLETED or ARCHIVED and accepts no new content
  "blocked", // a precondition of the action is not met
  "unavailable", // the database (or another dependency) cannot be reached
  "rate_limited", // too many requests in a short time: try again after a pause (details.retryAfterMs)
  "busy", // the session already has as much waiting work as it may hold: wait for the answer
  "quota_exceeded", // a per-user or per-session quota is used up (open sessions, messages, bytes, builds)
  "not_accepted", // this session takes no chat messages now (e.g. a Build): nothing would answer them
  "internal", // a bug: logged with details, reported without them
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class TabflowError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "TabflowError";
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/**
 * Checked by shape, not instanceof: Next bundles its own copy of this module for route
 * handlers, so an error thrown by the server's copy is not an instance of the route's class.
 */
export function isTabflowError(err: unknown, code?: ErrorCode): err is TabflowError {
  if (!(err instanceof Error) || err.name !== "TabflowError") return false;
  const c = (err as { code?: unknown }).code;
  return (ERROR_CODES as readonly unknown[]).includes(c) && (code === undefined || c === code);
}
