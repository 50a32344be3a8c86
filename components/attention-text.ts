import type { SessionSummary } from "@/lib/realtime/protocol.ts";

/** Needs you: the workflow waits for the user's answer (run.state waiting_input) in an open session. */
export function needsYou(s: Pick<SessionSummary, "status" | "run">): boolean {
  return s.status === "IN_PROGRESS" && s.run.state === "waiting_input";
}

/** A session's state in words, for lists outside the tab strip (the switcher, a spec's builds). */
export function stateText(s: Pick<SessionSummary, "status" | "run">): string {
  if (needsYou(s)) return "Needs you";
  switch (s.run.state) {
    case "running":
      return "Running";
    case "failed":
      return "Failed";
    case "stopped":
      return "Stopped";
    case "succeeded":
      return "Finished";
    default:
      return s.status === "IN_PROGRESS" ? "Idle" : s.status === "ARCHIVED" ? "Archived" : "Finished";
  }
}
