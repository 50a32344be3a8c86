/**
 * TEST FIXTURES that change account rows behind the server's back, for states the product has
 * no user-facing way to reach yet (and a database dump to prove nothing else changed). They
 * open their own connection to the server's database.
 */
import type { DatabaseConfig } from "../../lib/config.ts";
import { openDatabase } from "../../lib/db/client.ts";

async function withDb<T>(config: DatabaseConfig, fn: (db: Awaited<ReturnType<typeof openDatabase>>["prisma"]) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await fn(database.prisma);
  } finally {
    await database.close();
  }
}

/**
 * FIXTURE "two users in one enterprise": there are no invitations yet, so a user is moved into
 * another user's enterprise by rewriting their membership (their own, now empty, enterprise stays).
 */
export function moveUserIntoEnterpriseOf(config: DatabaseConfig, userId: string, ofUserId: string): Promise<string> {
  return withDb(config, async (db) => {
    const target = await db.membership.findUniqueOrThrow({ where: { userId: ofUserId } });
    await db.membership.update({ where: { userId }, data: { enterpriseId: target.enterpriseId } });
    return target.enterpriseId;
  });
}

/** FIXTURE: makes every Better Auth session of a user expired (as if its time had run out). */
export function expireSessionsOf(config: DatabaseConfig, userId: string): Promise<number> {
  return withDb(config, async (db) => (await db.session.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 60_000) } })).count);
}

/** Every row of every table, in a stable order: two dumps are equal iff nothing changed. */
export function dumpDatabase(config: DatabaseConfig): Promise<string> {
  return withDb(config, async (db) => {
    const tables = {
      workflowSession: await db.workflowSession.findMany({ orderBy: { id: "asc" } }),
      message: await db.message.findMany({ orderBy: [{ sessionId: "asc" }, { seq: "asc" }] }),
      artifactInstance: await db.artifactInstance.findMany({ orderBy: { id: "asc" } }),
      sessionArtifact: await db.sessionArtifact.findMany({ orderBy: [{ sessionId: "asc" }, { artifactId: "asc" }] }),
      artifactVersion: await db.artifactVersion.findMany({ orderBy: [{ artifactId: "asc" }, { version: "asc" }] }),
      user: await db.user.findMany({ orderBy: { id: "asc" } }),
      session: await db.session.findMany({ orderBy: { id: "asc" } }),
      account: await db.account.findMany({ orderBy: { id: "asc" } }),
      verification: await db.verification.findMany({ orderBy: { id: "asc" } }),
      enterprise: await db.enterprise.findMany({ orderBy: { id: "asc" } }),
      app: await db.app.findMany({ orderBy: { id: "asc" } }),
      membership: await db.membership.findMany({ orderBy: { id: "asc" } }),
    };
    return JSON.stringify(tables);
  });
}
