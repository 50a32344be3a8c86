import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appSpecState, type AppSpec } from "../../artifacts/schemas.ts";
import type { AppSchema, EntityDef, FieldDef } from "./app-template/lib/schema-types.ts";

/**
 * What a Build produces from an app spec: a Next.js + better-sqlite3 CRUD app. The app's code is
 * a set of fixed files (./app-template, copied byte for byte); the spec reaches the project only
 * as data: lib/app-schema.json and spec.json (JSON.stringify), package.json (JSON.stringify) and
 * README.md (Markdown-escaped). Every name that becomes an SQL identifier, a URL segment or a
 * JSON key is derived here from the spec's validated identifiers, and collisions are resolved
 * before the build starts. Pure: a resumed build regenerates exactly what it would have written.
 */
export interface ProjectFile {
  path: string;
  render(): string;
}

type Entity = AppSpec["entities"][number];
type Field = Entity["fields"][number];

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "app"
  );
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function pluralize(label: string): string {
  if (/(s|x|z|ch|sh)$/i.test(label)) return `${label}es`;
  if (/[^aeiou]y$/i.test(label)) return `${label.slice(0, -1)}ies`;
  return `${label}s`;
}

/** Spec fields that are the columns every table already has. */
const BUILT_IN_FIELD = /^(id|created_?at)$/i;
/** First URL segments the app itself uses. */
const RESERVED_KEYS = new Set(["api", "_next", "favicon-ico"]);
const LABEL_NAMES = /^(name|title|label|full_?name|display_?name|subject|headline)$/i;
const TEXTUAL = new Set(["string", "email", "phone", "url", "date", "datetime", "time", "enum"]);

function unique(wanted: string, taken: Set<string>, join = "_"): string {
  let candidate = wanted;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${wanted}${join}${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The spec as the generated app's schema: safe identifiers, labels, collisions resolved. */
export function appSchemaOf(spec: AppSpec): AppSchema {
  const keys = new Set<string>(RESERVED_KEYS);
  const tables = new Set<string>();
  const byName = new Map<string, EntityDef>();
  const entities: EntityDef[] = spec.entities.map((e) => {
    const label = e.label ?? humanize(e.name);
    const pluralLabel = e.pluralLabel ?? pluralize(label);
    let table = snake(e.name);
    if (table.startsWith("sqlite_")) table = `t_${table}`;
    const def: EntityDef = {
      key: unique(slugify(pluralLabel) === "app" && !/app/i.test(pluralLabel) ? slugify(pluralize(snake(e.name))) : slugify(pluralLabel), keys, "-"),
      name: e.name,
      table: unique(table, tables),
      label,
      pluralLabel,
      description: e.description ?? "",
      labelField: null,
      fields: [],
    };
    byName.set(e.name, def);
    return def;
  });
  spec.entities.forEach((e, i) => {
    const def = entities[i]!;
    const columns = new Set<string>(["id", "created_at"]);
    def.fields = e.fields
      .filter((f) => !BUILT_IN_FIELD.test(f.name))
      .map((f: Field): FieldDef => {
        const many = f.type === "reference" && f.cardinality === "many-to-many";
        const base = snake(f.name);
        const column = unique(f.type === "reference" && !many ? `${base}_id` : base, columns);
        const field: FieldDef = { key: f.name, column, label: f.label ?? humanize(f.name), type: f.type, required: f.required };
        if (f.type === "enum") field.values = f.values;
        if (f.type === "money") field.currency = f.currency ?? "USD";
        if (f.unit) field.unit = f.unit;
        if (f.type === "reference") {
          field.references = byName.get(f.references!)!.key;
          if (many) {
            field.many = true;
            field.joinTable = `${def.table}__${column}`;
          }
        }
        return field;
      });
    const plain = def.fields.filter((f) => TEXTUAL.has(f.type));
    def.labelField = (plain.find((f) => LABEL_NAMES.test(f.key)) ?? plain.find((f) => /name|title/i.test(f.key)) ?? plain.find((f) => f.type === "string" && f.required) ?? plain.find((f) => f.type === "string") ?? null)?.key ?? null;
  });
  breakRequiredCycles(entities);
  return { name: spec.name, summary: spec.summary, entities };
}

/**
 * Rows are created one at a time, so a required reference that leads back to its own entity
 * (directly or through others) could never be satisfied by a first row: such references are
 * made optional (the README says so).
 */
function breakRequiredCycles(entities: EntityDef[]): void {
  const done = new Set<string>();
  const remaining = () => entities.filter((e) => !done.has(e.key));
  for (const e of entities) for (const f of e.fields) if (f.type === "reference" && f.required && f.references === e.key) f.required = false;
  while (done.size < entities.length) {
    const ready = remaining().find((e) => e.fields.every((f) => f.type !== "reference" || !f.required || done.has(f.references!)));
    if (ready) {
      done.add(ready.key);
      continue;
    }
    const stuck = remaining()[0]!;
    for (const f of stuck.fields) if (f.type === "reference" && f.required && !done.has(f.references!)) f.required = false;
    done.add(stuck.key);
  }
}

/** Markdown text: no markup, no HTML, one line (for headings and table cells). */
export function markdownText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+\-.!|~"'$=:]/g, (c) => `\\${c}`)
    .trim();
}

function renderReadme(spec: AppSpec, schema: AppSchema): string {
  const ref = (key: string) => schema.entities.find((e) => e.key === key)!;
  const entities = schema.entities
    .map((e) => {
      const rows = e.fields.map((f) => {
        let type: string = f.type;
        if (f.type === "reference") type = `${f.many ? "many" : "one"} ${markdownText(ref(f.references!).label)}`;
        if (f.type === "enum") type = `one of ${f.values!.map(markdownText).join(", ")}`;
        if (f.type === "money") type = `money (${f.currency})`;
        if (f.unit) type += ` (${markdownText(f.unit)})`;
        return `| ${markdownText(f.label)} | \`${f.key}\` | ${type} | ${f.required ? "yes" : "no"} |`;
      });
      const dropped = spec.entities.find((s) => s.name === e.name)!.fields.filter((f) => BUILT_IN_FIELD.test(f.name)).map((f) => `\`${f.name}\``);
      return [
        `### ${markdownText(e.pluralLabel)}`,
        "",
        e.description ? `${markdownText(e.description)}\n` : "",
        `Pages: \`/${e.key}\`, \`/${e.key}/new\`, \`/${e.key}/<id>\`, \`/${e.key}/<id>/edit\`. API: \`/api/${e.key}\`, \`/api/${e.key}/<id>\`.`,
        "",
        "| field | API name | type | required |",
        "| --- | --- | --- | --- |",
        ...rows,
        dropped.length ? `\nEvery record has a built-in \`id\` and \`createdAt\`; the spec's ${dropped.join(", ")} is that one.` : "",
      ].join("\n");
    })
    .join("\n\n");
  const features = spec.features.map((f) => `- ${markdownText(f)}`).join("\n") || "- (none listed)";
  return `# ${markdownText(spec.name)}

${markdownText(spec.summary)}

A Next.js (App Router) app with a SQLite database, generated by Tabflow from the app spec in
\`spec.json\`. Every entity has a list (sortable, with search), a detail page, and create, edit
and delete forms with validation on the server; a JSON API serves the same data.

## Commands

\`\`\`sh
npm install
npm run build
npm start            # http://localhost:3000 (set PORT to change it)
npm run dev          # development mode
npm test             # the app's own tests (validation and the data layer, on a temporary database)
npm run typecheck
\`\`\`

The database is \`data/app.db\` (set \`DATABASE_FILE\` to use another file). It is created on the
first start, with a few sample rows per entity. Delete it to start again.

## JSON API

\`GET /api/<entity>\` (list; \`?q=\` searches, \`?sort=<field>&dir=desc\` sorts), \`POST /api/<entity>\`
(create), \`GET\`, \`PATCH\` (change some fields) and \`DELETE /api/<entity>/<id>\`. Bodies are JSON
objects keyed by the API names below; references are ids, many-to-many references lists of ids.
Invalid input answers 400 with \`{ "errors": { "<field>": "<message>" } }\`.

## How it is made

- \`lib/app-schema.json\`: the entities and fields. The tables (\`lib/sql.ts\`, applied on start by
  \`lib/db.ts\`), the validation (\`lib/validate.ts\`), the seed rows (\`lib/seed.ts\`) and every page
  are derived from it.
- \`app/[entity]/…\`: the pages; \`app/actions.ts\`: the form actions; \`app/api/…\`: the JSON API.

## Features

${features}

## Data

${entities}
`;
}

const TEMPLATE_ROOT = (() => {
  try {
    return path.join(path.dirname(fileURLToPath(import.meta.url)), "app-template");
  } catch {
    return path.join(process.cwd(), "lib", "workflows", "build", "app-template");
  }
})();

let templateCache: { path: string; body: string }[] | undefined;

/** The app's fixed files, as they are in ./app-template. */
export function templateFiles(): { path: string; body: string }[] {
  if (!templateCache) {
    const files = readdirSync(TEMPLATE_ROOT, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(TEMPLATE_ROOT, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
      .sort();
    templateCache = files.map((p) => ({ path: p === "gitignore.txt" ? ".gitignore" : p, body: readFileSync(path.join(TEMPLATE_ROOT, p), "utf8") }));
  }
  return templateCache;
}

/** The exact versions Tabflow itself has installed: the project is built with the same toolchain. */
export const APP_DEPENDENCIES = ["next", "react", "react-dom", "better-sqlite3"] as const;
export const APP_DEV_DEPENDENCIES = ["typescript", "tsx", "@types/node", "@types/react", "@types/react-dom", "@types/better-sqlite3"] as const;

let versionCache: Record<string, string> | undefined;
export function toolchainVersions(): Record<string, string> {
  if (!versionCache) {
    const require = createRequire(import.meta.url);
    versionCache = {};
    for (const name of [...APP_DEPENDENCIES, ...APP_DEV_DEPENDENCIES]) {
      versionCache[name] = (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
    }
  }
  return versionCache;
}

function renderPackageJson(spec: AppSpec): string {
  const v = toolchainVersions();
  const pick = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, v[n]!]));
  return `${JSON.stringify(
    {
      name: slugify(spec.name),
      version: "0.1.0",
      private: true,
      type: "module",
      engines: { node: ">=20.9" },
      scripts: {
        dev: "next dev",
        build: "next build",
        start: "next start",
        typecheck: "tsc --noEmit",
        test: "node --import tsx --test --test-concurrency=1 tests/*.test.ts",
      },
      dependencies: pick(APP_DEPENDENCIES),
      devDependencies: pick(APP_DEV_DEPENDENCIES),
    },
    null,
    2,
  )}\n`;
}

/** The files a build writes, in the order it writes them. */
export function planProject(spec: AppSpec): ProjectFile[] {
  const schema = appSchemaOf(spec);
  const files: ProjectFile[] = [
    { path: "README.md", render: () => renderReadme(spec, schema) },
    { path: "package.json", render: () => renderPackageJson(spec) },
    { path: "spec.json", render: () => `${JSON.stringify(spec, null, 2)}\n` },
    { path: "lib/app-schema.json", render: () => `${JSON.stringify(schema, null, 2)}\n` },
  ];
  for (const t of templateFiles()) files.push({ path: t.path, render: () => t.body });
  return files;
}

/** Why a spec cannot be built, or undefined when it can (checked before a build starts). */
export function buildBlocker(spec: AppSpec): string | undefined {
  const parsed = appSpecState.safeParse(spec);
  if (!parsed.success) return `the spec is not valid: ${parsed.error.issues[0]?.message ?? "unknown problem"}`;
  if (spec.entities.length === 0) return "the spec has no data entities yet: describe what the app stores first";
  return undefined;
}
