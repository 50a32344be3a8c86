/**
 * Where a session stands for the user, as one word (DESIGN.md, "Attention, switching and
 * history"): Needs you, Running, Queued, Failed, Finished, Idle. Pure: derived from the
 * session summary and what this browser has seen of it.
 */
import type { SessionSummary } from "@/lib/realtime/protocol.ts";

export type Attention = "needs_you" | "running" | "queued" | "failed" | "finished" | "idle";

export const ATTENTION_TEXT: Record<Attention, string> = {
  needs_you: "Needs you",
  running: "Running",
  queued: "Queued",
  failed: "Failed",
  finished: "Finished",
  idle: "Idle",
};

/** Shown beside the word (never colour alone). */
export const ATTENTION_ICON: Record<Attention, string> = {
  needs_you: "!",
  running: "▶",
  queued: "⏳",
  failed: "✕",
  finished: "✓",
  idle: "○",
};

/** The order lists and counts use: what wants the user first. */
export const ATTENTION_ORDER: readonly Attention[] = ["needs_you", "failed", "finished", "running", "queued", "idle"];

export function attentionOf(s: Pick<SessionSummary, "status" | "run">): Attention {
  const state = s.run.state;
  if (s.status === "IN_PROGRESS") {
    if (state === "waiting_input") return "needs_you";
    if (state === "running") return "running";
    if (state === "queued") return "queued";
  }
  if (state === "failed") return "failed";
  if (state === "succeeded" || s.status !== "IN_PROGRESS") return "finished";
  return "idle";
}

/** The states that count in the title and raise a notification when a background session enters them. */
export function wantsUser(attention: Attention, unread: number): boolean {
  return attention === "needs_you" || ((attention === "failed" || attention === "finished") && unread > 0);
}
