"use client";

import { useCallback, useEffect } from "react";

export interface Shown {
  /** The session in the main pane (the one the tabs select). */
  id: string | null;
  /** The session open beside it, if any. */
  beside: string | null;
}

export function shownFromUrl(): Shown {
  if (typeof window === "undefined") return { id: null, beside: null };
  const q = new URLSearchParams(window.location.search);
  const id = q.get("session");
  const beside = q.get("beside");
  return { id, beside: beside && beside !== id ? beside : null };
}

export function urlFor(shown: Shown): string {
  if (shown.id === null) return "/";
  const q = new URLSearchParams({ session: shown.id });
  if (shown.beside) q.set("beside", shown.beside);
  return `/?${q.toString()}`;
}

/** The address bar names what is shown (?session=<id>&beside=<id>); Back and Forward show it again. */
export function useSessionUrl(onPop: (shown: Shown) => void, active: boolean) {
  const write = useCallback((shown: Shown, mode: "push" | "replace" = "push") => {
    const url = urlFor(shown);
    if (window.location.pathname + window.location.search === url) return;
    if (mode === "push") window.history.pushState(window.history.state, "", url);
    else window.history.replaceState(window.history.state, "", url);
  }, []);
  useEffect(() => {
    if (!active) return;
    const pop = () => onPop(shownFromUrl());
    window.addEventListener("popstate", pop);
    return () => window.removeEventListener("popstate", pop);
  }, [active, onPop]);
  return write;
}
