/**
 * Full-text search over a user's sessions (the quick switcher): session titles, the text of the
 * user's own messages, and artifacts' titles and state text. SQLite: an FTS5 index kept by
 * triggers; PostgreSQL: GIN expression indexes (both in the migration
 * *_artifact_versions_and_search). A read, never a write; scoped to the owner on every query.
 *
 * User text never reaches SQL as SQL: it is cut into letter/digit terms here, and the query
 * string built from them (quoted terms for FTS5, `'term':*` for to_tsquery) is a bound
 * parameter. Every term is a prefix, so "beek" finds "beekeeping".
 */
import { z } from "zod";
import type { Database, Db } from "../db/client.ts";
import { guard } from "./prisma-errors.ts";
import { toSession, type SessionRecord } from "./records.ts";
import { parseInput, scopeWhere, type Scope } from "./scope.ts";

export const MAX_SEARCH_TERMS = 8;
const MAX_TERM_CHARS = 64;

const searchInput = z.strictObject({
  query: z.string().max(500),
  limit: z.number().int().min(1).max(50).optional(),
});
export type SearchSessionsInput = z.input<typeof searchInput>;

export type SearchMatch = "title" | "artifact" | "message";

export interface SessionSearchHit {
  session: SessionRecord;
  /** Where the terms were found, best first (empty for an empty query). */
  matched: SearchMatch[];
  /** Part of a matching message of the user's, when the match was only in messages. */
  excerpt: string | null;
}

/** Letter/digit runs, lower-cased, de-duplicated, at most MAX_SEARCH_TERMS of them. */
export function searchTerms(query: string): string[] {
  const words = query.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, MAX_TERM_CHARS)))].slice(0, MAX_SEARCH_TERMS);
}

/** FTS5: each term a quoted string (no operator or column syntax can get in) with a prefix star; all must match. */
export function fts5Query(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"*`).join(" ");
}

/** to_tsquery: each term a quoted lexeme with a prefix marker; all must match. */
export function tsQuery(terms: string[]): string {
  return terms.map((t) => `'${t.replaceAll("'", "''").replaceAll("\\", "\\\\")}':*`).join(" & ");
}

interface HitRow {
  id: string;
  t: unknown;
  a: unknown;
  m: unknown;
  excerpt: string | null;
}

const truthy = (v: unknown) => v === true || Number(v) > 0;

/** A short window of the text around the first term found in it. */
export function excerptOf(text: string | null, terms: string[]): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), flat.length));
  const start = Math.max(0, at - 40);
  const end = Math.min(flat.length, start + 120);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}

export async function searchSessions(database: Pick<Database, "config">, db: Db, scope: Scope, input: SearchSessionsInput): Promise<SessionSearchHit[]> {
  const owner = scopeWhere(scope);
  const { query, limit = 20 } = parseInput(searchInput, input, "search");
  const terms = searchTerms(query);
  return guard(async () => {
    if (terms.length === 0) return recent(db, owner, limit);
    const rows = database.config.provider === "sqlite" ? await sqliteHits(db, owner, terms, limit) : await postgresHits(database, db, owner, terms, limit);
    if (rows.length === 0) return [];
    const sessions = await db.workflowSession.findMany({ where: { id: { in: rows.map((r) => r.id) }, ...owner } });
    const byId = new Map(sessions.map((s) => [s.id, toSession(s)]));
    return rows.flatMap((r) => {
      const session = byId.get(r.id);
      if (!session) return [];
      const matched: SearchMatch[] = [];
      if (truthy(r.t)) matched.push("title");
      if (truthy(r.a)) matched.push("artifact");
      if (truthy(r.m)) matched.push("message");
      return [{ session, matched, excerpt: matched[0] === "message" ? excerptOf(r.excerpt, terms) : null }];
    });
  });
}

const needsYou = (s: SessionRecord) => s.status === "IN_PROGRESS" && s.runState === "waiting_input";

/** No terms: the sessions needing the user, then the most recently active ones. */
async function recent(db: Db, owner: ReturnType<typeof scopeWhere>, limit: number): Promise<SessionSearchHit[]> {
  const [waiting, latest] = await Promise.all([
    db.workflowSession.findMany({ where: { ...owner, status: "IN_PROGRESS", runState: "waiting_input" }, orderBy: { lastActivityAt: "desc" }, take: limit }),
    db.workflowSession.findMany({ where: owner, orderBy: { lastActivityAt: "desc" }, take: limit }),
  ]);
  const seen = new Set<string>();
  const out: SessionSearchHit[] = [];
  for (const row of [...waiting, ...latest]) {
    const session = toSession(row);
    if (seen.has(session.id) || out.length >= limit) continue;
    seen.add(session.id);
    out.push({ session, matched: [], excerpt: null });
  }
  return out.sort((a, b) => Number(needsYou(b.session)) - Number(needsYou(a.session)));
}

// Ranking, the same on both databases: sessions that need the user first, then where the
// terms were found (title, then an artifact, then a message), then the newest activity.
async function sqliteHits(db: Db, owner: ReturnType<typeof scopeWhere>, terms: string[], limit: number): Promise<HitRow[]> {
  return db.$queryRawUnsafe<HitRow[]>(
    `WITH hits AS (
       SELECT d."kind" AS kind, d."ref" AS ref, d."sessionId" AS sid, d."body" AS body
       FROM "SearchFts" JOIN "SearchDoc" d ON d."docId" = "SearchFts".rowid
       WHERE "SearchFts" MATCH ?
     ), bysession AS (
       SELECT sid, kind, CASE WHEN kind = 'm' THEN body END AS body FROM hits WHERE kind IN ('s', 'm')
       UNION ALL
       SELECT sa."sessionId", 'a', NULL FROM hits JOIN "SessionArtifact" sa ON sa."artifactId" = hits.ref WHERE hits.kind = 'a'
     )
     SELECT s."id" AS id, MAX(b.kind = 's') AS t, MAX(b.kind = 'a') AS a, MAX(b.kind = 'm') AS m, MIN(b.body) AS excerpt
     FROM bysession b JOIN "WorkflowSession" s ON s."id" = b.sid
     WHERE s."userId" = ? AND s."enterpriseId" = ? AND s."appId" = ?
     GROUP BY s."id"
     ORDER BY MAX(s."status" = 'IN_PROGRESS' AND s."runState" = 'waiting_input') DESC, t DESC, a DESC, m DESC, MAX(s."lastActivityAt") DESC, s."id"
     LIMIT ?`,
    fts5Query(terms),
    owner.userId,
    owner.enterpriseId,
    owner.appId,
    limit,
  );
}

async function postgresHits(database: Pick<Database, "config">, db: Db, owner: ReturnType<typeof scopeWhere>, terms: string[], limit: number): Promise<HitRow[]> {
  const config = database.config;
  const q = config.provider === "postgresql" && config.schema ? `"${config.schema.replaceAll('"', '""')}".` : "";
  // The tsvector expressions are exactly those of the GIN indexes, so the planner uses them.
  return db.$queryRawUnsafe<HitRow[]>(
    `WITH bysession AS (
       SELECT s."id" AS sid, 's' AS kind, NULL::text AS body FROM ${q}"WorkflowSession" s
       WHERE to_tsvector('simple'::regconfig, s."title") @@ to_tsquery('simple'::regconfig, $1)
         AND s."userId" = $2 AND s."enterpriseId" = $3 AND s."appId" = $4
       UNION ALL
       SELECT sa."sessionId", 'a', NULL FROM ${q}"ArtifactInstance" a JOIN ${q}"SessionArtifact" sa ON sa."artifactId" = a."id"
       WHERE (to_tsvector('simple'::regconfig, a."title") || jsonb_to_tsvector('simple'::regconfig, a."state", '["string"]')) @@ to_tsquery('simple'::regconfig, $1)
         AND a."userId" = $2 AND a."enterpriseId" = $3 AND a."appId" = $4
       UNION ALL
       SELECT m."sessionId", 'm', m."content"->>'text' FROM ${q}"Message" m
       WHERE m."role" = 'user' AND m."kind" = 'text'
         AND to_tsvector('simple'::regconfig, coalesce(m."content"->>'text', '')) @@ to_tsquery('simple'::regconfig, $1)
     )
     SELECT s."id" AS id, bool_or(b.kind = 's') AS t, bool_or(b.kind = 'a') AS a, bool_or(b.kind = 'm') AS m, MIN(b.body) AS excerpt
     FROM bysession b JOIN ${q}"WorkflowSession" s ON s."id" = b.sid
     WHERE s."userId" = $2 AND s."enterpriseId" = $3 AND s."appId" = $4
     GROUP BY s."id"
     ORDER BY bool_or(s."status" = 'IN_PROGRESS' AND s."runState" = 'waiting_input') DESC, t DESC, a DESC, m DESC, MAX(s."lastActivityAt") DESC, s."id"
     LIMIT $5`,
    tsQuery(terms),
    owner.userId,
    owner.enterpriseId,
    owner.appId,
    limit,
  );
}
