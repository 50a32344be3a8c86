// Prisma CLI configuration for the PostgreSQL schema (derived from prisma/schema.prisma).
// Used for `prisma generate` and `prisma migrate diff` (which connects even for a
// schema-to-schema diff: DATABASE_URL, or the local server). Migrations are applied by
// lib/db/migrate.ts, because `prisma migrate deploy` through adapter-pg 6.19 fails
// (prisma/orm#27403).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "postgresql", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations", "postgresql") },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  },
});
