/**
 * `npm run import:legacy -- <file>`: imports a dump of the older system's sessions (a JSON
 * array, or JSON lines as mongoexport writes them). PAUSED sessions become IN_PROGRESS.
 * Safe to run again: sessions already imported are skipped. Exit code 2 when some records
 * were invalid (they are listed), 1 when the import could not run.
 */
import { readFileSync } from "node:fs";
import { describeDatabase, loadConfig } from "../lib/config.ts";
import { openDatabase } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createStore } from "../lib/store/index.ts";

const file = process.argv[2];
if (!file || file === "--help" || file === "-h") {
  console.error("usage: npm run import:legacy -- <dump.json | dump.jsonl>");
  process.exit(file ? 0 : 1);
}

let text: string;
try {
  text = readFileSync(file, "utf8");
} catch (err) {
  console.error(`tabflow import:legacy: cannot read ${file}: ${(err as Error).message}`);
  process.exit(1);
}

try {
  const config = loadConfig();
  await migrate(config.database);
  const database = await openDatabase(config.database);
  try {
    const report = await createStore(database).importLegacySessions(text);
    for (const p of report.problems) console.error(`  skipped ${p.where}: ${p.reason}`);
    console.log(
      `${describeDatabase(config.database)}: imported ${report.imported}, skipped ${report.skipped} (already imported), invalid ${report.invalid}`,
    );
    process.exitCode = report.invalid > 0 ? 2 : 0;
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(`tabflow import:legacy: ${(err as Error).message}`);
  process.exit(1);
}
