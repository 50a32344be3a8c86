// Prisma CLI configuration for the embedded SQLite schema. The JS engine with a driver
// adapter lets every CLI command we use run offline (no engine binary download).
// The PostgreSQL twin lives in prisma.postgresql.config.ts.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations", "sqlite") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.PRISMA_CLI_SQLITE_URL ?? "file:./data/tabflow.db" });
  },
});
