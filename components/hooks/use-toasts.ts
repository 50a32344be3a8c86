"use client";

import { useCallback, useRef, useState } from "react";
import { TabflowClientError } from "@/lib/realtime/client.ts";

export interface Toast {
  id: number;
  text: string;
}

export function errorText(err: unknown): string {
  if (err instanceof TabflowClientError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Short-lived error notes (at most four at a time). */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const toast = useCallback((err: unknown) => {
    const text = errorText(err);
    const id = ++next.current;
    setToasts((t) => [...t.slice(-3), { id, text }]);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  return { toasts, toast, dismiss };
}
