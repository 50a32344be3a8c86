import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import { parseLegacyDump } from "../legacy/parse.ts";
import { isTabflowError } from "../errors.ts";
import { guard, isUniqueViolation } from "./prisma-errors.ts";
import { TX_OPTIONS } from "./sessions.ts";

export interface LegacyImportReport {
  imported: number;
  /** Already imported earlier (same legacy id): nothing written. */
  skipped: number;
  invalid: number;
  problems: { where: string; reason: string }[];
}

/**
 * Imports a dump of the older system's sessions. Each session and its messages are written
 * in one transaction (never half-imported); a session whose legacy id is already in the
 * store is skipped, so running the import twice imports nothing twice.
 */
export async function importLegacySessions(db: Db, dumpText: string): Promise<LegacyImportReport> {
  const parsed = parseLegacyDump(dumpText);
  const report: LegacyImportReport = {
    imported: 0,
    skipped: 0,
    invalid: parsed.invalid.length,
    problems: [...parsed.invalid],
  };
  for (const { where, session: s } of parsed.records) {
    const exists = await guard(() => db.workflowSession.findUnique({ where: { legacyId: s.legacyId }, select: { id: true } }));
    if (exists) {
      report.skipped++;
      continue;
    }
    const id = randomUUID();
    try {
      await guard(() =>
        db.$transaction(async (tx) => {
          await tx.workflowSession.create({
            data: {
              id,
              legacyId: s.legacyId,
              enterpriseId: s.enterpriseId,
              appId: s.appId,
              userId: s.userId,
              workflowName: s.workflowName,
              title: s.title,
              status: s.status,
              lastSeq: s.messages.length,
              lastActivityAt: s.updatedAt,
              createdAt: s.createdAt,
              updatedAt: s.updatedAt,
              completedAt: s.status === "IN_PROGRESS" ? null : s.updatedAt,
              archivedAt: s.status === "ARCHIVED" ? s.updatedAt : null,
            },
          });
          if (s.messages.length) {
            await tx.message.createMany({
              data: s.messages.map((m) => ({
                sessionId: id,
                seq: m.seq,
                role: m.role,
                kind: "text",
                content: m.content as object,
                createdAt: m.createdAt,
              })),
            });
          }
        }, TX_OPTIONS),
      );
      report.imported++;
    } catch (err) {
      // Another import of the same dump got there first.
      if (isUniqueViolation((err as { cause?: unknown }).cause) || isUniqueViolation(err)) {
        report.skipped++;
        continue;
      }
      // A database that is down aborts the import; rows already imported stay, and a rerun skips them.
      if (isTabflowError(err, "unavailable")) throw err;
      report.invalid++;
      report.problems.push({ where, reason: (err as Error).message });
    }
  }
  return report;
}
