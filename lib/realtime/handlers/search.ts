/** The quick switcher's server-side search: a read over the caller's own sessions only. */
import { toSessionSummary } from "../dto.ts";
import type { Handlers } from "../server-types.ts";

export const searchHandlers = {
  "session:search": async ({ query, limit }, { store, scope }) =>
    (await store.searchSessions(scope, { query, limit })).map((hit) => ({
      session: toSessionSummary(hit.session),
      matched: hit.matched,
      excerpt: hit.excerpt,
    })),
} satisfies Handlers;
