import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../logger.ts";
import type { Store } from "../../store/index.ts";
import { removeBuildOutput } from "./output.ts";

/**
 * Start-up clean-up of build output: folders of sessions that no longer exist, and every
 * attempt that is not the session's current, successful or still-running one. (A failing or
 * stopped build removes its own output; this catches what a crash left behind.)
 */
export async function removeOrphanedBuilds(store: Store, dataDir: string, logger: Logger): Promise<number> {
  const root = path.join(dataDir, "builds");
  const sessionDirs = await readdir(root, { withFileTypes: true }).catch(() => []);
  const ids = sessionDirs.filter((d) => d.isDirectory() && /^[\w.:-]{1,100}$/.test(d.name)).map((d) => d.name);
  const sessions = new Map((await store.listSessionsByIds(ids)).map((s) => [s.id, s]));
  let removed = 0;
  for (const d of sessionDirs) {
    if (!d.isDirectory()) continue;
    const session = sessions.get(d.name);
    const dir = path.join(root, d.name);
    if (!session) {
      await removeBuildOutput(dir);
      removed++;
      continue;
    }
    const keep = session.runState === "succeeded" || session.runState === "running" || session.runState === "queued" ? `attempt-${session.runAttempt}` : undefined;
    for (const attempt of await readdir(dir, { withFileTypes: true })) {
      if (attempt.name !== keep) {
        await removeBuildOutput(path.join(dir, attempt.name));
        removed++;
      }
    }
  }
  if (removed) logger.info({ removed }, "removed leftover build output");
  return removed;
}
