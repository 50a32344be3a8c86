"use client";

import { ATTENTION_ICON, ATTENTION_TEXT, type Attention } from "./attention.ts";

/** The attention word with its icon (the icon is decoration; the word is what is read). */
export function AttentionLabel({ attention, step }: { attention: Attention; step?: string | null }) {
  return (
    <span className={`attention attention-${attention}`}>
      <span className="attention-icon" aria-hidden="true">
        {attention === "running" ? <span className="spinner" /> : ATTENTION_ICON[attention]}
      </span>{" "}
      {attention === "queued" && step && /^queued\b/i.test(step) ? (
        // The queue's own step already says it: "Queued (2nd in line)".
        step
      ) : (
        <>
          {ATTENTION_TEXT[attention]}
          {step && (attention === "running" || attention === "queued") ? <span className="attention-step">: {step}</span> : null}
        </>
      )}
    </span>
  );
}

export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="badge" aria-label={`${count} new message${count === 1 ? "" : "s"}`}>
      {" "}
      {count}
    </span>
  );
}
