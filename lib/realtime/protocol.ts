/**
 * The realtime contract shared by the server and the browser: event names, payload schemas,
 * wire shapes and the ack envelope. It must stay importable in the browser, so it depends on
 * zod and on pure modules only (no node:*, no store, no Prisma).
 */
import { z } from "zod";
import type { ErrorCode } from "../errors.ts";
import type { DraftDto, DraftEvent } from "./draft.ts";
import { SESSION_STATUSES, type JsonObject, type MessageRole, type RunState, type SessionStatus } from "../store/records.ts";

export { SESSION_STATUSES };
export type { ErrorCode, JsonObject, MessageRole, RunState, SessionStatus };
export type { DraftDto, DraftEvent };

// --- Limits ---------------------------------------------------------------------------------

export const MAX_TEXT_CHARS = 20_000;
/** Most messages one join or message:list ack carries; the rest is paged with message:list. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 200;

// --- Wire shapes (dates are ISO strings: JSON has no Date) ----------------------------------

/** What a tab needs for a session it is not showing: small, sent to every socket of the user. */
export interface SessionSummary {
  id: string;
  title: string;
  workflowName: string;
  status: SessionStatus;
  lastSeq: number;
  lastActivityAt: string;
  /** When the session was created: tabs are laid out in creation order. */
  createdAt: string;
  parentSessionId: string | null;
  /** What the session's workflow is doing: running (with its step), waiting for input, failed (with why)… */
  run: { state: RunState; step: string | null; error: string | null };
  // Clients ignore fields they do not know, so adding one is not a breaking change.
}

export interface SessionDto extends SessionSummary {
  updatedAt: string;
  completedAt: string | null;
  archivedAt: string | null;
  sourceArtifactId: string | null;
}

export interface MessageDto {
  sessionId: string;
  seq: number;
  role: MessageRole;
  kind: string;
  content: JsonObject;
  clientMessageId: string | null;
  createdAt: string;
}

/** A button on an artifact card; disabled ones say why. */
export interface ArtifactActionDto {
  id: string;
  label: string;
  enabled: boolean;
  reason?: string;
}

export interface WorkflowInfo {
  name: string;
  title: string;
  description: string;
  startable: boolean;
}

export interface ArtifactDto {
  id: string;
  type: string;
  title: string;
  state: JsonObject;
  version: number;
  createdBySessionId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The actions a user viewing this session can take on it. */
  actions: ArtifactActionDto[];
}

export interface JoinResult {
  session: SessionDto;
  /** Messages with seq > afterSeq, oldest first, at most one page of them. */
  messages: MessageDto[];
  /** More messages follow the last one: fetch them with message:list. */
  hasMore: boolean;
  artifacts: ArtifactDto[];
  /** The agent reply being streamed right now (text as of its last flush), if any. */
  draft?: DraftDto | null;
  /** Which agent answers in this session ("offline", "gpt-4o-mini via api.openai.com"); null: none. */
  agent?: string | null;
}

/** One quick-switcher result: the session, where the terms were found, and a bit of the matching message. */
export interface SessionSearchHitDto {
  session: SessionSummary;
  matched: ("title" | "artifact" | "message")[];
  excerpt: string | null;
}

/** A session started from an artifact (a Build) and the artifact version it was started from. */
export interface ArtifactBuildDto {
  sessionId: string;
  title: string;
  workflowName: string;
  status: SessionStatus;
  run: { state: RunState; step: string | null };
  version: number | null;
  createdAt: string;
}

export interface ArtifactHistoryDto {
  artifactId: string;
  version: number;
  /** Oldest first. */
  versions: { version: number; createdAt: string }[];
  builds: ArtifactBuildDto[];
}

export interface ArtifactVersionDto {
  artifactId: string;
  type: string;
  version: number;
  state: JsonObject;
  createdAt: string;
  previous: { version: number; state: JsonObject; createdAt: string } | null;
}

export interface MessagePageDto {
  messages: MessageDto[];
  hasMore: boolean;
  lastSeq: number;
}

// --- The ack envelope ---------------------------------------------------------------------

export interface AckError {
  code: ErrorCode;
  message: string;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

// --- Client payloads --------------------------------------------------------------------------
// Objects strip unknown keys rather than refusing them: during a rolling deploy a newer client
// may send a field an older node does not know yet, and ignoring it is the safe reading.

// Ids are UUIDs or similar tokens; a narrow alphabet keeps odd characters away from the database.
const id = z.string().regex(/^[\w.:-]{1,100}$/, "ids are 1 to 100 letters, digits or _ . : -");
// PostgreSQL refuses NUL in text and JSON, and Prisma's query protocol refuses unpaired
// surrogates; refusing both here gives the sender invalid_payload instead of a failed write.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (s: string) => !UNSTORABLE.test(s);
const STORABLE_MESSAGE = "text cannot contain NUL characters or unpaired surrogates";
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const sessionRef = z.object({ sessionId: id });

export const requestSchemas = {
  "session:list": z
    .object({
      statuses: z.array(z.enum(SESSION_STATUSES)).min(1).max(3).optional(),
      /** A page of at most this many (default 200). */
      limit: z.number().int().min(1).max(200).optional(),
      /** The last session of the previous page: the next page starts after it. */
      before: z.object({ lastActivityAt: z.iso.datetime(), id }).optional(),
    })
    .optional()
    .transform((p) => p ?? {}),
  "session:create": z.object({
    workflowName: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "workflow names are lower-case identifiers"),
    title: z.string().trim().min(1).max(200).refine(storable, STORABLE_MESSAGE).optional(),
  }),
  "session:complete": sessionRef,
  "session:archive": sessionRef,
  "session:unarchive": sessionRef,
  "session:join": z.object({ sessionId: id, afterSeq: seq }),
  "session:leave": sessionRef,
  "message:list": z.object({ sessionId: id, afterSeq: seq, limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional() }),
  "workflow:list": z
    .unknown()
    .optional()
    .transform(() => ({})),
  "artifact:action": z.object({
    artifactId: id,
    action: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "action ids are snake_case"),
    /** The session the user clicked in (an artifact can be shown in several). */
    sessionId: id.optional(),
  }),
  "run:stop": sessionRef,
  "session:search": z.object({
    query: z.string().max(500, "search for at most 500 characters"),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  "artifact:history": z.object({ artifactId: id }),
  "artifact:version": z.object({ artifactId: id, version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  /** Makes `version` current again as a new version, if the artifact is still at expectedVersion. */
  "artifact:restore": z.object({
    artifactId: id,
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    expectedVersion: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  }),
  "message:send": z.object({
    sessionId: id,
    clientMessageId: id,
    text: z
      .string()
      .max(MAX_TEXT_CHARS, `messages are at most ${MAX_TEXT_CHARS} characters`)
      .refine((t) => t.trim().length > 0, "a message needs some text")
      .refine(storable, STORABLE_MESSAGE),
  }),
} as const;

type Schemas = typeof requestSchemas;
export type RequestName = keyof Schemas;
/** What a client sends for an event (optional fields may be left out). */
export type RequestPayload<E extends RequestName> = z.input<Schemas[E]>;
/** What a server handler receives after validation. */
export type ParsedRequest<E extends RequestName> = z.output<Schemas[E]>;

export interface RequestResults {
  "session:list": SessionSummary[];
  "session:create": SessionDto;
  "session:complete": SessionDto;
  "session:archive": SessionDto;
  "session:unarchive": SessionDto;
  "session:join": JoinResult;
  "session:leave": null;
  "message:list": MessagePageDto;
  "message:send": MessageDto;
  "workflow:list": WorkflowInfo[];
  /** sessionId: the session to show next (e.g. the Build that Start Build created). */
  "artifact:action": { sessionId: string | null };
  "run:stop": SessionDto;
  "session:search": SessionSearchHitDto[];
  "artifact:history": ArtifactHistoryDto;
  "artifact:version": ArtifactVersionDto;
  /** The new current version (its artifact:updated reaches every session showing the artifact). */
  "artifact:restore": { artifactId: string; version: number };
}
export type RequestResult<E extends RequestName> = RequestResults[E];

// --- Event maps (socket.io's typed Server / Socket use these) -------------------------------

/** Every client event is a request: a payload and an ack callback that gets an Ack. */
export type ClientToServerEvents = {
  [E in RequestName]: (payload: RequestPayload<E>, ack: (res: Ack<RequestResult<E>>) => void) => void;
};

export interface ServerToClientEvents {
  /** A session of this user changed (sent to all the user's sockets). */
  "session:updated": (summary: SessionSummary) => void;
  /** A message was stored in the session this socket is viewing. */
  "message:new": (message: MessageDto) => void;
  /** An artifact attached to the viewed session changed; keep the highest version. */
  "artifact:updated": (update: { sessionId: string; artifact: ArtifactDto }) => void;
  /** Streamed agent text of the viewed session (lib/realtime/draft.ts). Ephemeral: not stored per event. */
  "message:draft": (event: DraftEvent) => void;
}
