"use client";

import type { ReactNode } from "react";

/** A real link to a session (open in a new tab, copy), shown in place on a plain click. */
export function SessionLink({ id, current, onOpen, className, children }: { id: string; current: boolean; onOpen: (id: string) => void; className?: string; children: ReactNode }) {
  return (
    <a
      href={`/?session=${encodeURIComponent(id)}`}
      className={`session-link${className ? ` ${className}` : ""}`}
      aria-current={current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        onOpen(id);
      }}
    >
      {children}
    </a>
  );
}
