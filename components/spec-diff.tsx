"use client";

import { diffArtifactStates } from "@/lib/artifacts/spec-diff.ts";
import type { JsonObject } from "@/lib/realtime/protocol.ts";

const MARK = { added: "+", removed: "−", renamed: "→", changed: "~" } as const;

/** The readable changes between two states of an artifact (lib/artifacts/spec-diff.ts). */
export function SpecDiff({ type, before, after }: { type: string; before: JsonObject; after: JsonObject }) {
  const changes = diffArtifactStates(type, before, after);
  if (changes.length === 0) return <p className="muted small">No changes: the same state as the version before.</p>;
  return (
    <ul className="diff">
      {changes.map((c, i) => (
        <li key={i} className={`diff-${c.kind}`}>
          <span aria-hidden="true" className="diff-mark">
            {MARK[c.kind]}
          </span>{" "}
          {c.text}
        </li>
      ))}
    </ul>
  );
}
