"use client";

import { useEffect } from "react";
import type { SessionSummary } from "@/lib/realtime/protocol.ts";

/** Alt+1..9 shows tab N; Alt+B keeps the shown session open beside the next one. */
export function useWorkspaceKeys({
  tabs,
  show,
  shownId,
  openBeside,
  canOpenBeside,
}: {
  tabs: readonly SessionSummary[];
  show: (id: string) => void;
  shownId: string | null;
  openBeside: (id: string) => void;
  canOpenBeside: (id: string) => boolean;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const digit = /^Digit([1-9])$/.exec(e.code);
      if (digit) {
        const tab = tabs[Number(digit[1]) - 1];
        if (!tab) return;
        e.preventDefault();
        show(tab.id);
        return;
      }
      if (e.code === "KeyB" && !e.shiftKey && shownId && canOpenBeside(shownId)) {
        e.preventDefault();
        openBeside(shownId);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [tabs, show, shownId, openBeside, canOpenBeside]);
}
