/**
 * Accounts as the rest of Tabflow sees them: which enterprise and app a user works in (their
 * scope), and whether Better Auth sessions are still alive (for disconnecting sockets). The
 * user, session, account and verification rows themselves are written by Better Auth through
 * its Prisma adapter on the same client; everything else about accounts is here.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import { TabflowError } from "../errors.ts";
import { guard } from "./prisma-errors.ts";
import type { Scope } from "./scope.ts";

export const DEFAULT_APP_NAME = "Default app";

async function scopeOf(db: Db, userId: string): Promise<Scope | undefined> {
  const membership = await db.membership.findUnique({ where: { userId }, select: { enterpriseId: true } });
  if (!membership) return undefined;
  const app = await db.app.findFirst({ where: { enterpriseId: membership.enterpriseId, isDefault: true }, select: { id: true } });
  if (!app) return undefined;
  return { enterpriseId: membership.enterpriseId, appId: app.id, userId };
}

/**
 * The user's scope; on first use (sign-up) their own enterprise and its default app are created
 * with the membership, in one transaction. Safe to call twice or concurrently: the membership
 * is unique per user, so a racing second call reads the first one's result.
 */
export async function ensureAccountScope(db: Db, user: { id: string; email?: string | null }): Promise<Scope> {
  if (!user?.id || typeof user.id !== "string") throw new TabflowError("invalid_payload", "a user id is required");
  return guard(async () => {
    const existing = await scopeOf(db, user.id);
    if (existing) return existing;
    const enterpriseId = randomUUID();
    const appId = randomUUID();
    const name = (user.email ?? "").split("@")[0]?.slice(0, 100) || "My enterprise";
    try {
      await db.$transaction([
        db.enterprise.create({ data: { id: enterpriseId, name } }),
        db.app.create({ data: { id: appId, enterpriseId, name: DEFAULT_APP_NAME, isDefault: true } }),
        db.membership.create({ data: { id: randomUUID(), userId: user.id, enterpriseId, role: "owner" } }),
      ]);
      return { enterpriseId, appId, userId: user.id };
    } catch (err) {
      const raced = await scopeOf(db, user.id);
      if (raced) return raced;
      throw err;
    }
  });
}

/** The scope of an existing user, or not_found (a user row without a membership is not signed up). */
export async function getAccountScope(db: Db, userId: string): Promise<Scope> {
  const scope = await guard(() => scopeOf(db, userId));
  if (!scope) throw new TabflowError("not_found", "no such account");
  return scope;
}

/** Of the given Better Auth session ids, those that exist and have not expired. */
export async function liveAuthSessions(db: Db, ids: readonly string[], now = new Date()): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await guard(() => db.session.findMany({ where: { id: { in: [...new Set(ids)] }, expiresAt: { gt: now } }, select: { id: true } }));
  return new Set(rows.map((r) => r.id));
}

/** Whether anyone has signed up yet (a fresh install sends its first visitor to Sign up). A read. */
export async function hasAnyAccount(db: Db): Promise<boolean> {
  return guard(async () => (await db.user.findFirst({ select: { id: true } })) !== null);
}
