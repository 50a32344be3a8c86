import { z } from "zod";
import { TabflowError } from "../errors.ts";

/**
 * Who is asking. Every store call takes one, and every query filters by all three parts,
 * so another owner's ids behave exactly like ids that do not exist.
 */
const part = z.string().trim().min(1).max(200);
export const scopeSchema = z.strictObject({ enterpriseId: part, appId: part, userId: part });
export type Scope = z.infer<typeof scopeSchema>;

export function checkScope(scope: Scope): Scope {
  const parsed = scopeSchema.safeParse(scope);
  if (!parsed.success) throw new TabflowError("invalid_payload", "the caller's scope is incomplete");
  return parsed.data;
}

export function scopeWhere(scope: Scope): { enterpriseId: string; appId: string; userId: string } {
  const s = checkScope(scope);
  return { enterpriseId: s.enterpriseId, appId: s.appId, userId: s.userId };
}

/** Parses input with a zod schema, turning a failure into a typed, readable error. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new TabflowError("invalid_payload", `invalid ${what}${where}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Only values both databases can store: PostgreSQL refuses NUL in text and JSON, and neither
 * takes a lone UTF-16 surrogate. Checked up front (strings and keys, recursively) so such input
 * is `invalid_payload`, not `internal`.
 */
export function assertStorable(value: unknown, what: string): void {
  const bad = (s: string) => s.includes("\u0000") || !s.isWellFormed();
  const visit = (v: unknown): boolean => {
    if (typeof v === "string") return bad(v);
    if (Array.isArray(v)) return v.some(visit);
    if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => bad(k) || visit(x));
    return false;
  };
  if (visit(value)) throw new TabflowError("invalid_payload", `${what} contains characters that cannot be stored (NUL or broken Unicode)`);
}
