/**
 * What the workspace says when the server refuses a request: one sentence per refusal code,
 * with the server's own detail (how long to wait, which quota) after it. Shared by every place
 * the UI shows an ack error, so a new limit is explained the same way everywhere.
 */
import type { ErrorCode } from "../errors.ts";

const LEAD: Partial<Record<ErrorCode, string>> = {
  rate_limited: "Slow down: that was too many requests in a short time.",
  busy: "This session is still answering your earlier messages.",
  quota_exceeded: "You have reached a limit of your account.",
  not_accepted: "This session does not take chat messages.",
  session_closed: "This session is closed.",
  unavailable: "The server cannot be reached right now.",
};

export function errorTextFor(code: string, message: string): string {
  const lead = LEAD[code as ErrorCode];
  if (!lead) return message;
  const detail = message.trim();
  return detail ? `${lead} ${detail.charAt(0).toUpperCase()}${detail.slice(1)}${/[.!?]$/.test(detail) ? "" : "."}` : lead;
}
