/**
 * Derives prisma/postgresql/schema.prisma from prisma/schema.prisma. Only the generator
 * output and the datasource block differ; the models are the same text, so the two
 * databases can never disagree about the data model. `--check` exits 1 on drift.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const sourcePath = path.join(root, "prisma", "schema.prisma");
export const derivedPath = path.join(root, "prisma", "postgresql", "schema.prisma");

export function derivePgSchema(source: string): string {
  const out = source
    .replace(
      /^\/\/ Source of truth[\s\S]*?drift apart\.\n/m,
      "// GENERATED from prisma/schema.prisma by `npm run db:schema:pg`. Do not edit.\n",
    )
    .replace('output     = "../generated/sqlite"', 'output     = "../../generated/postgresql"')
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./placeholder.db"', 'url      = "postgresql://placeholder@localhost:5432/placeholder"');
  if (out.includes("sqlite")) throw new Error("derive-pg-schema: a sqlite reference survived the derivation");
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const derived = derivePgSchema(readFileSync(sourcePath, "utf8"));
  if (process.argv.includes("--check")) {
    const current = readFileSync(derivedPath, "utf8");
    if (current !== derived) {
      console.error("prisma/postgresql/schema.prisma is out of date: run `npm run db:schema:pg`");
      process.exit(1);
    }
  } else {
    writeFileSync(derivedPath, derived);
    console.log(`wrote ${path.relative(root, derivedPath)}`);
  }
}
