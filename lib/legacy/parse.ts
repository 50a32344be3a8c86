import { z } from "zod";
import type { JsonObject, MessageRole, SessionStatus } from "../store/records.ts";

/**
 * Reads a dump of the older system's WorkflowSessions: a JSON array, or JSON lines as
 * `mongoexport` writes them (Extended JSON such as {"$oid": …} and {"$date": …} included).
 * Each record is normalised or reported with its line (JSON lines) or index (array).
 * The older system's PAUSED becomes IN_PROGRESS: the migration its design note describes.
 */
export const DEFAULT_ENTERPRISE_ID = "default";
export const DEFAULT_APP_ID = "default";

export interface LegacyMessage {
  seq: number;
  role: MessageRole;
  content: JsonObject;
  createdAt: Date;
}

export interface LegacySession {
  legacyId: string;
  status: SessionStatus;
  workflowName: string;
  title: string;
  enterpriseId: string;
  appId: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
  messages: LegacyMessage[];
}

export interface ParsedDump {
  records: { where: string; session: LegacySession }[];
  invalid: { where: string; reason: string }[];
}

/** Undoes MongoDB Extended JSON wrappers ({"$oid"}, {"$date"}, {"$numberLong"}, …). */
export function unwrapExtendedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapExtendedJson);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const k = keys[0]!;
      const v = obj[k];
      if (k === "$oid" && typeof v === "string") return v;
      if (k === "$date") {
        const inner = unwrapExtendedJson(v);
        return typeof inner === "number" || typeof inner === "string" ? new Date(inner).toISOString() : inner;
      }
      if ((k === "$numberLong" || k === "$numberInt" || k === "$numberDouble") && typeof v === "string") return Number(v);
    }
    return Object.fromEntries(keys.map((k) => [k, unwrapExtendedJson(obj[k])]));
  }
  return value;
}

const STATUS_MAP: Record<string, SessionStatus> = {
  IN_PROGRESS: "IN_PROGRESS",
  INPROGRESS: "IN_PROGRESS",
  PAUSED: "IN_PROGRESS",
  COMPLETED: "COMPLETED",
  ARCHIVED: "ARCHIVED",
};

const ROLE_MAP: Record<string, MessageRole> = {
  user: "user",
  human: "user",
  agent: "agent",
  assistant: "agent",
  ai: "agent",
  system: "system",
};

const text = z.string().trim().min(1).max(200);
const dateLike = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: `not a date: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return d;
});

const legacyMessage = z.object({
  role: z.string().transform((r, ctx) => {
    const role = ROLE_MAP[r.toLowerCase()];
    if (!role) {
      ctx.addIssue({ code: "custom", message: `unknown message role ${JSON.stringify(r)}` });
      return z.NEVER;
    }
    return role;
  }),
  content: z.union([z.string().transform((t) => ({ text: t }) as JsonObject), z.record(z.string(), z.json())]),
  sequence: z.number().int().optional(),
  timestamp: dateLike.optional(),
});

const legacySession = z
  .object({
    _id: z.union([text, z.number()]).optional(),
    chat_id: z.union([text, z.number()]).optional(),
    status: z.union([z.string(), z.number()]).transform((s, ctx) => {
      const status = typeof s === "number" ? ({ 0: "IN_PROGRESS", 1: "COMPLETED" } as const)[s] : STATUS_MAP[s.trim().toUpperCase()];
      if (!status) {
        ctx.addIssue({ code: "custom", message: `unknown status ${JSON.stringify(s)}` });
        return z.NEVER;
      }
      return status as SessionStatus;
    }),
    workflow_name: text,
    title: z.string().trim().min(1).max(200).optional(),
    enterprise_id: z.union([text, z.number()]).optional(),
    app_id: z.union([text, z.number()]).optional(),
    user_id: z.union([text, z.number()]),
    created_at: dateLike.optional(),
    updated_at: dateLike.optional(),
    messages: z.array(legacyMessage).max(100_000).optional(),
  })
  .refine((r) => r._id !== undefined || r.chat_id !== undefined, { message: "has neither _id nor chat_id" });

function normaliseWorkflowName(name: string): string {
  const n = name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
  return n.slice(0, 64) || "legacy";
}

export function normaliseLegacySession(raw: unknown): LegacySession {
  const parsed = legacySession.safeParse(unwrapExtendedJson(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`);
  }
  const r = parsed.data;
  const createdAt = r.created_at ?? r.updated_at ?? new Date();
  const withOrder = (r.messages ?? []).map((m, i) => ({ ...m, order: m.sequence ?? i }));
  const seen = new Set<number>();
  for (const m of withOrder) {
    if (seen.has(m.order)) throw new Error(`messages: sequence ${m.order} appears twice`);
    seen.add(m.order);
  }
  withOrder.sort((a, b) => a.order - b.order);
  const messages = withOrder.map((m, i) => ({
    seq: i + 1,
    role: m.role,
    content: m.content as JsonObject,
    createdAt: m.timestamp ?? createdAt,
  }));
  const lastMessageAt = messages.reduce((t, m) => (m.createdAt > t ? m.createdAt : t), createdAt);
  const updatedAt = r.updated_at ?? lastMessageAt;
  return {
    legacyId: String(r.chat_id ?? r._id),
    status: r.status,
    workflowName: normaliseWorkflowName(r.workflow_name),
    title: r.title ?? r.workflow_name,
    enterpriseId: String(r.enterprise_id ?? DEFAULT_ENTERPRISE_ID),
    appId: String(r.app_id ?? DEFAULT_APP_ID),
    userId: String(r.user_id),
    createdAt,
    updatedAt: updatedAt > lastMessageAt ? updatedAt : lastMessageAt,
    messages,
  };
}

/** Splits a dump into records; a record that cannot be read is reported, never guessed at. */
export function parseLegacyDump(textContent: string): ParsedDump {
  const out: ParsedDump = { records: [], invalid: [] };
  const trimmed = textContent.trim();
  let items: { where: string; raw: unknown; error?: string }[];
  if (trimmed.startsWith("[")) {
    let array: unknown;
    try {
      array = JSON.parse(trimmed);
    } catch (err) {
      out.invalid.push({ where: "file", reason: `not valid JSON: ${(err as Error).message}` });
      return out;
    }
    items = (array as unknown[]).map((raw, i) => ({ where: `index ${i}`, raw }));
  } else {
    items = [];
    textContent.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        items.push({ where: `line ${i + 1}`, raw: JSON.parse(line) });
      } catch (err) {
        items.push({ where: `line ${i + 1}`, raw: undefined, error: `not valid JSON: ${(err as Error).message}` });
      }
    });
  }
  for (const item of items) {
    if (item.error) {
      out.invalid.push({ where: item.where, reason: item.error });
      continue;
    }
    try {
      out.records.push({ where: item.where, session: normaliseLegacySession(item.raw) });
    } catch (err) {
      out.invalid.push({ where: item.where, reason: (err as Error).message });
    }
  }
  return out;
}
