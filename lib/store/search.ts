/**
 * Full-text search over a user's sessions (the quick switcher): session titles, the text of the
 * user's own messages, and artifacts' titles and state text. SQLite: FTS5 indexes kept by
 * triggers; PostgreSQL: GIN indexes (titles, artifacts) and a per-session word set kept by a
 * trigger (both in the migration *_artifact_versions_and_search). A read, never a write;
 * scoped to the owner on every query.
 *
 * User text never reaches SQL as SQL: it is cut into letter/digit terms here, and the query
 * string built from them (quoted, column-filtered terms for FTS5, `'term':*` for to_tsquery)
 * is a bound parameter. Every term is a prefix, so "beek" finds "beekeeping"; all must match.
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

/** Most of the user's newest matching messages one SQLite search reads (see sqliteHits). */
export const MESSAGE_MATCH_CAP = 1000;

/** FTS5 terms restricted to the body column (so no term can match an owner or session token). */
const bodyTerms = (terms: string[]) => terms.map((t) => `body : "${t.replaceAll('"', '""')}"*`).join(" AND ");

export const SQLITE_SEARCH = `WITH o AS (SELECT coalesce((SELECT 'own : o' || "n" FROM "SearchOwner" WHERE "key" = ?), 'own : x0') AS tok),
     w AS (
       SELECT s."id" AS sid, d."docId" AS doc FROM "WorkflowSession" s JOIN "SearchDoc" d ON d."kind" = 's' AND d."ref" = s."id"
       WHERE s."userId" = ? AND s."enterpriseId" = ? AND s."appId" = ? AND s."status" = 'IN_PROGRESS' AND s."runState" = 'waiting_input'
     ),
     titled AS (
       SELECT d."kind" AS kind, d."ref" AS ref, d."sessionId" AS sid
       FROM "SearchTitleFts" JOIN "SearchDoc" d ON d."docId" = "SearchTitleFts".rowid
       WHERE "SearchTitleFts" MATCH (SELECT tok || ' AND ' || ? FROM o)
     ),
     recent AS MATERIALIZED (
       SELECT rowid AS r FROM "SearchFts" WHERE "SearchFts" MATCH (SELECT tok || ' AND ' || ? FROM o) ORDER BY rowid DESC LIMIT ?
     ),
     missing AS (
       SELECT w.doc FROM w
       WHERE (SELECT count(*) FROM recent) >= ? AND w.sid NOT IN (SELECT d."sessionId" FROM recent JOIN "SearchDoc" d ON d."docId" = recent.r)
     ),
     older AS (
       SELECT rowid AS r FROM "SearchFts"
       WHERE "SearchFts" MATCH (SELECT coalesce((SELECT o.tok || ' AND (' || group_concat('sess : n' || missing.doc, ' OR ') || ') AND ' || ? FROM missing, o), 'own : x0'))
       ORDER BY rowid DESC LIMIT ?
     ),
     msgs AS (SELECT r FROM recent UNION SELECT r FROM older),
     bysession AS (
       SELECT sid, kind, NULL AS body FROM titled WHERE kind = 's'
       UNION ALL
       SELECT sa."sessionId", 'a', NULL FROM titled JOIN "SessionArtifact" sa ON sa."artifactId" = titled.ref WHERE titled.kind = 'a'
       UNION ALL
       SELECT d."sessionId", 'm', d."body" FROM msgs JOIN "SearchDoc" d ON d."docId" = msgs.r
     )
     SELECT s."id" AS id, MAX(b.kind = 's') AS t, MAX(b.kind = 'a') AS a, MAX(b.kind = 'm') AS m, MAX(b.body) AS excerpt
     FROM bysession b JOIN "WorkflowSession" s ON s."id" = b.sid
     WHERE s."userId" = ? AND s."enterpriseId" = ? AND s."appId" = ?
     GROUP BY s."id"
     ORDER BY MAX(s."status" = 'IN_PROGRESS' AND s."runState" = 'waiting_input') DESC, t DESC, a DESC, m DESC, MAX(s."lastActivityAt") DESC, s."id"
     LIMIT ?`;

/**
 * SQLite, in one statement. Titles and artifacts (a small index) are matched in full. Messages
 * are read from the index newest first, at most MESSAGE_MATCH_CAP of this owner's (the owner
 * token makes the index itself skip everyone else's rows), so a word in thousands of messages
 * costs little more than a rare one. Only when that cap is reached are the sessions that need
 * the user and were not among those matches searched through their session tokens, so none of
 * them is missed however old its matching message.
 * Ranking (as on PostgreSQL): needing the user, then title, artifact, message, then the
 * newest activity. A MATCH built from nothing ('own : x0') matches nothing.
 */
async function sqliteHits(db: Db, owner: ReturnType<typeof scopeWhere>, terms: string[], limit: number): Promise<HitRow[]> {
  const key = `${owner.enterpriseId}\u001f${owner.appId}\u001f${owner.userId}`;
  const match = bodyTerms(terms);
  // Positional parameters, in the order they appear.
  return db.$queryRawUnsafe<HitRow[]>(
    SQLITE_SEARCH,
    key,
    owner.userId,
    owner.enterpriseId,
    owner.appId,
    match,
    match,
    MESSAGE_MATCH_CAP,
    MESSAGE_MATCH_CAP,
    match,
    MESSAGE_MATCH_CAP,
    owner.userId,
    owner.enterpriseId,
    owner.appId,
    limit,
  );
}

// Ranking as on SQLite: needing the user, then title, artifact, message, then the newest activity.
async function postgresHits(database: Pick<Database, "config">, db: Db, owner: ReturnType<typeof scopeWhere>, terms: string[], limit: number): Promise<HitRow[]> {
  const config = database.config;
  const q = config.provider === "postgresql" && config.schema ? `"${config.schema.replaceAll('"', '""')}".` : "";
  // The tsvector expressions are exactly those of the GIN indexes, so the planner uses them.
  // Messages are matched through SessionSearch (one row per session), never message by message.
  const rows = await db.$queryRawUnsafe<HitRow[]>(
    `WITH bysession AS MATERIALIZED (
       SELECT s."id" AS sid, 's' AS kind FROM ${q}"WorkflowSession" s
       WHERE to_tsvector('simple'::regconfig, s."title") @@ to_tsquery('simple'::regconfig, $1)
         AND s."userId" = $2 AND s."enterpriseId" = $3 AND s."appId" = $4
       UNION ALL
       SELECT sa."sessionId", 'a' FROM ${q}"ArtifactInstance" a JOIN ${q}"SessionArtifact" sa ON sa."artifactId" = a."id"
       WHERE (to_tsvector('simple'::regconfig, a."title") || jsonb_to_tsvector('simple'::regconfig, a."state", '["string"]')) @@ to_tsquery('simple'::regconfig, $1)
         AND a."userId" = $2 AND a."enterpriseId" = $3 AND a."appId" = $4
       UNION ALL
       SELECT w."sessionId", 'm' FROM ${q}"SessionSearch" w
       WHERE w."words" @@ to_tsquery('simple'::regconfig, $1) AND w."userId" = $2 AND w."enterpriseId" = $3 AND w."appId" = $4
     )
     , found AS MATERIALIZED (
       SELECT sid, bool_or(kind = 's') AS t, bool_or(kind = 'a') AS a, bool_or(kind = 'm') AS m FROM bysession GROUP BY sid
     )
     -- Both CTEs are computed once: a fresh table without statistics otherwise got a plan that
     -- ran the whole union again for every session (measured: 22 s instead of a few ms).
     -- and the sessions are looked up by key (LATERAL; OFFSET 0 keeps it from being flattened).
     SELECT s."id" AS id, f.t, f.a, f.m, NULL AS excerpt
     FROM found f CROSS JOIN LATERAL (
       SELECT x."id", x."status", x."runState", x."lastActivityAt", x."userId", x."enterpriseId", x."appId"
       FROM ${q}"WorkflowSession" x WHERE x."id" = f.sid
       OFFSET 0
     ) s
     WHERE s."userId" = $2 AND s."enterpriseId" = $3 AND s."appId" = $4
     ORDER BY (s."status" = 'IN_PROGRESS' AND s."runState" = 'waiting_input') DESC, f.t DESC, f.a DESC, f.m DESC, s."lastActivityAt" DESC, s."id"
     LIMIT $5`,
    tsQuery(terms),
    owner.userId,
    owner.enterpriseId,
    owner.appId,
    limit,
  );
  // The excerpt: the newest of a session's last 20 user messages in which every term starts a
  // word (read backwards along the (sessionId, seq) key: no per-message index is needed).
  const byMessage = rows.filter((r) => !r.t && !r.a && r.m).map((r) => r.id);
  if (byMessage.length > 0) {
    const recent = await db.$queryRawUnsafe<{ sid: string; text: string | null }[]>(
      `SELECT x.sid, t.text FROM unnest($1::text[]) AS x(sid)
       CROSS JOIN LATERAL (
         SELECT m."content"->>'text' AS text FROM ${q}"Message" m
         WHERE m."sessionId" = x.sid AND m."role" = 'user' AND m."kind" = 'text'
         ORDER BY m."seq" DESC LIMIT 20
       ) t`,
      byMessage,
    );
    const excerpts = new Map<string, string>();
    for (const r of recent) {
      if (excerpts.has(r.sid) || !r.text) continue;
      const words = r.text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      if (terms.every((t) => words.some((w) => w.startsWith(t)))) excerpts.set(r.sid, r.text);
    }
    for (const r of rows) r.excerpt = excerpts.get(r.id) ?? null;
  }
  return rows;
}
