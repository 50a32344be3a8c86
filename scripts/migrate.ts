/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
import { ConfigError, describeDatabase, loadConfig } from "../lib/config.ts";
import { migrate } from "../lib/db/migrate.ts";

try {
  const config = loadConfig();
  const { applied, total } = await migrate(config.database);
  console.log(
    `${describeDatabase(config.database)}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"} (${total} migration${total === 1 ? "" : "s"} in all)`,
  );
} catch (err) {
  console.error(`tabflow db:migrate: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
  process.exit(1);
}
