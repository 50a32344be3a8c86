/**
 * `npm run db:migration:new -- <name>`: after editing prisma/schema.prisma, writes the SQL that
 * takes both databases from the last migration to the new schema, and re-derives the
 * PostgreSQL schema. It diffs schema to schema (`prisma migrate diff`) against
 * prisma/migrations/schema.snapshot.prisma, the schema the newest migrations were made from,
 * so it needs no database (`migrate dev` cannot run offline with driver adapters).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { derivePgSchema, derivedPath, sourcePath } from "./derive-pg-schema.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const snapshotPath = path.join(root, "prisma", "migrations", "schema.snapshot.prisma");

function diff(configFile: string, from: string, to: string, scratchDir: string): string {
  // Prisma 6.19's CLI insists that a query-engine library exists before a schema-to-schema
  // diff, then never loads it (the diff runs on the wasm schema engine). Offline it would try
  // to download one, so it is pointed at an empty placeholder file.
  const placeholder = path.join(scratchDir, "libquery_engine-placeholder.so.node");
  writeFileSync(placeholder, "");
  return execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--config", configFile, "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: placeholder } },
  );
}

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration:new -- <snake_case_name>");
  process.exit(1);
}
const source = readFileSync(sourcePath, "utf8");
writeFileSync(derivedPath, derivePgSchema(source));

const scratch = mkdtempSync(path.join(tmpdir(), "tabflow-migration-"));
try {
  const snapshot = readFileSync(snapshotPath, "utf8");
  const pgFrom = path.join(scratch, "from.pg.prisma");
  writeFileSync(pgFrom, derivePgSchema(snapshot));
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = `${stamp}_${name}`;
  const outputs = {
    sqlite: diff("prisma.config.ts", snapshotPath, sourcePath, scratch),
    postgresql: diff("prisma.postgresql.config.ts", pgFrom, derivedPath, scratch),
  };
  if (!Object.values(outputs).some((sql) => /\b(CREATE|ALTER|DROP|INSERT|UPDATE)\b/.test(sql))) {
    console.log("prisma/schema.prisma has no changes since the last migration; nothing written");
    process.exit(0);
  }
  for (const [provider, sql] of Object.entries(outputs)) {
    const dir = path.join(root, "prisma", "migrations", provider, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote prisma/migrations/${provider}/${folder}/migration.sql`);
  }
  copyFileSync(sourcePath, snapshotPath);
  console.log("review the SQL (data backfills go in by hand), then run npm run db:generate and the tests");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
