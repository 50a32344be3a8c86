"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/**
 * JSON in localStorage under one key, read after mount (the server render has no storage, so
 * reading during render would not hydrate), written on every later change.
 */
export function useStored<T>(key: string, initial: T): [T, (update: (prev: T) => T) => void, boolean] {
  const [value, setValue] = useState<T>(initial);
  const [loaded, setLoaded] = useState(false);
  const loadedRef = useRef(false);
  useEffect(() => {
    try {
      const raw = window.localStorage.getItem(key);
      if (raw !== null) {
        const stored = JSON.parse(raw) as T;
        // Changes made before the read (a keystroke in the first frame) win over the stored copy.
        setValue((v) => (v === initial ? stored : isPlainObject(v) && isPlainObject(stored) ? ({ ...stored, ...v } as T) : v));
      }
    } catch {
      // Unreadable: start from the initial value.
    }
    loadedRef.current = true;
    setLoaded(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(() => {
    if (!loadedRef.current) return;
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or refused (private mode): the value still lives for this page.
    }
  }, [key, value, loaded]);
  const update = useCallback((fn: (prev: T) => T) => setValue(fn), []);
  return [value, update, loaded];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function storageKey(account: string | undefined, name: string): string {
  return `tabflow:${account ?? "local"}:${name}`;
}
