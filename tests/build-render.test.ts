/**
 * Injection-proof rendering: hostile specs (SQL, newlines, \r, backticks, ${…}, comment closers,
 * </script>, quotes, NUL, reserved words) produce a project whose code is the fixed templates byte
 * for byte, whose spec text sits only in JSON data and escaped Markdown, whose SQL quotes every
 * identifier and carries no spec text, and which still type-checks and passes its own tests.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import { appSpecState, type AppSpec } from "../lib/artifacts/schemas.ts";
import { migrationStatements } from "../lib/workflows/build/app-template/lib/sql.ts";
import { quickCheck, verifyProject } from "../lib/workflows/build/check.ts";
import { writeProjectFile } from "../lib/workflows/build/output.ts";
import { appSchemaOf, buildBlocker, markdownText, planProject, templateFiles } from "../lib/workflows/build/project.ts";
import { runInSandbox } from "../lib/workflows/build/sandbox.ts";

const ATTACK_SQL = "x');\nATTACH DATABASE '/tmp/tabflow-pwned.db' AS t; CREATE TABLE t.owned(x); --";
const PAYLOADS = [
  ATTACK_SQL,
  'name"\r\ngenerator client { provider = "sh -c \'touch /tmp/tabflow-pwned\'" }\r\n',
  "`${process.exit(7)}` `rm -rf /`",
  "*/ process.exit(8); /*",
  "</script><script>alert(1)</script>",
  "it's \"quoted\" \\ back\\slash",
  "nul\u0000byte and \u2028 line separator",
  "# heading\n- [link](javascript:alert(1)) <img src=x onerror=alert(1)> | cell |",
  "{{ constructor.constructor('return process')().exit() }}",
];
const HOSTILE_TEXT = PAYLOADS.join(" ");
/** Pieces of the payloads that must never appear in code, SQL or raw in Markdown. */
const MARKERS = ["ATTACH DATABASE", "tabflow-pwned", "process.exit(", "<script>", "onerror=", "javascript:", "\u0000", "\r"];

const oneLine = (s: string, max = 120) => s.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, max).trim() || "x";

function hostileSpec(): AppSpec {
  return appSpecState.parse({
    name: HOSTILE_TEXT.slice(0, 120),
    summary: HOSTILE_TEXT.slice(0, 2000),
    features: PAYLOADS.map((p) => oneLine(p, 300)),
    entities: [
      {
        name: "Order",
        label: oneLine(PAYLOADS[4]!),
        pluralLabel: oneLine(PAYLOADS[2]!),
        description: ATTACK_SQL,
        fields: [
          { name: "select", label: oneLine(PAYLOADS[3]!), type: "string", required: true },
          { name: "from", label: oneLine(PAYLOADS[5]!), type: "enum", values: ["drop-table", "x_y"], required: true },
          { name: "default", type: "money", currency: "EUR", required: false },
          { name: "constructor", type: "integer", unit: "`${x}` */ ' \"", required: false },
          { name: "group", type: "reference", references: "Group", required: true },
          { name: "where", type: "reference", references: "Table", cardinality: "many-to-many", required: false },
          { name: "id", type: "string", required: false },
        ],
      },
      {
        name: "Group",
        description: PAYLOADS[1],
        fields: [
          { name: "table", label: oneLine(PAYLOADS[6]!), type: "string", required: true },
          { name: "hasOwnProperty", type: "boolean", required: true },
          { name: "order", type: "reference", references: "Order", required: true },
        ],
      },
      {
        name: "Table",
        pluralLabel: oneLine(PAYLOADS[2]!),
        description: PAYLOADS[7],
        fields: [
          { name: "author", type: "reference", references: "Group", required: false },
          { name: "authorId", label: oneLine(PAYLOADS[8]!), type: "string", required: false },
          { name: "toString", type: "date", required: false },
          { name: "valueOf", type: "email", required: false },
        ],
      },
      { name: "SqliteMaster", pluralLabel: "Api", fields: [{ name: "select", type: "text", required: false }] },
    ],
    pages: [],
  });
}

const DATA_FILES = new Set(["README.md", "package.json", "spec.json", "lib/app-schema.json"]);

describe("generated projects from hostile specs", () => {
  const spec = hostileSpec();
  const files = planProject(spec);
  const rendered = new Map(files.map((f) => [f.path, f.render()]));
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("writes every code file exactly as its template: spec text never reaches code", () => {
    const templates = new Map(templateFiles().map((t) => [t.path, t.body]));
    for (const [p, body] of rendered) {
      if (DATA_FILES.has(p)) continue;
      assert.equal(body, templates.get(p), `${p} differs from its template`);
      for (const m of ["tabflow-pwned", "\u0000", "\r"]) assert.ok(!body.includes(m), `${p} contains ${JSON.stringify(m)}`);
    }
    assert.deepEqual(new Set(rendered.keys()), new Set([...DATA_FILES, ...templates.keys()]));
  });

  it("keeps spec text in JSON data that parses back to exactly what was given", () => {
    assert.deepEqual(JSON.parse(rendered.get("spec.json")!), spec);
    const schema = JSON.parse(rendered.get("lib/app-schema.json")!);
    assert.deepEqual(schema, JSON.parse(JSON.stringify(appSchemaOf(spec))));
    assert.equal(schema.name, spec.name);
    assert.equal(schema.entities[0].description, ATTACK_SQL);
    for (const body of [rendered.get("spec.json")!, rendered.get("lib/app-schema.json")!]) {
      assert.ok(!body.includes("\u0000") && !body.includes("\r"), "control characters are escaped in JSON");
    }
    const pkg = JSON.parse(rendered.get("package.json")!);
    assert.match(pkg.name, /^[a-z0-9-]+$/);
    assert.deepEqual(Object.keys(pkg.scripts), ["dev", "build", "start", "typecheck", "test"]);
    const { name: _slug, ...rest } = pkg;
    assert.ok(!JSON.stringify(rest).includes("pwned"), "only the name (a slug) comes from the spec");
  });

  it("escapes Markdown: no HTML, no links, no new lines or headings from spec text", () => {
    const readme = rendered.get("README.md")!;
    for (const m of ["<script", "<img", "](javascript", "\u0000", "\r", "ATTACH DATABASE '"]) assert.ok(!readme.includes(m), `README contains ${JSON.stringify(m)}`);
    assert.equal(readme.split("\n")[0], `# ${markdownText(spec.name)}`);
    for (const payload of PAYLOADS) assert.ok(!/[\n\r<>]/.test(markdownText(payload)));
    // Spec text never starts a line (a heading, a list item, a fence) of its own.
    for (const line of readme.split("\n")) assert.ok(!/^(#+ )?(heading|- \[link|x'\)|`\$\{)/.test(line), line);
  });

  it("quotes every SQL identifier, keeps spec text out of SQL, and resolves renamed collisions", () => {
    const schema = appSchemaOf(spec);
    const statements = migrationStatements(schema);
    for (const s of statements) {
      for (const m of MARKERS) assert.ok(!s.includes(m), `SQL contains ${JSON.stringify(m)}`);
      assert.ok(!s.includes("--") && !s.includes("/*"), "no comments in SQL");
    }
    const db = new Sqlite(":memory:");
    db.pragma("foreign_keys = ON");
    for (const s of statements) db.exec(s);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    assert.deepEqual(tables, ["group", "order", "order__where", "t_sqlite_master", "table"].sort());
    assert.deepEqual((db.prepare("PRAGMA database_list").all() as { name: string }[]).map((d) => d.name), ["main"], "nothing attached");
    db.close();

    const order = schema.entities[0]!;
    assert.ok(!order.fields.some((f) => f.key === "id"), "a spec field named id is the built-in id");
    const table = schema.entities.find((e) => e.name === "Table")!;
    const columns = table.fields.map((f) => f.column);
    assert.equal(new Set(columns).size, columns.length, `author / authorId: ${columns.join(", ")}`);
    const keys = schema.entities.map((e) => e.key);
    assert.equal(new Set(keys).size, keys.length, `two entities with one plural label get distinct URLs: ${keys.join(", ")}`);
    assert.ok(!keys.includes("api"), "an entity never takes the API's URL");
    // A required reference cycle (Order → Group → Order) cannot get a first row: one side is optional.
    const groupRef = order.fields.find((f) => f.key === "group")!;
    const orderRef = schema.entities[1]!.fields.find((f) => f.key === "order")!;
    assert.ok(!(groupRef.required && orderRef.required));
  });

  it("refuses, with a reason, what cannot become a safe name", () => {
    const base = { name: "A", summary: "", features: [], pages: [] };
    const bad = [
      { ...base, entities: [{ name: "Book", fields: [{ name: "title", type: "string" }, { name: "Title", type: "string" }] }] },
      { ...base, entities: [{ name: "Book", fields: [{ name: "__proto__", type: "string" }] }] },
      { ...base, entities: [{ name: "Book", fields: [{ name: "x".repeat(10_000), type: "string" }] }] },
      { ...base, name: "n".repeat(10_000), entities: [{ name: "Book", fields: [{ name: "title", type: "string" }] }] },
      { ...base, entities: [{ name: "drop table", fields: [{ name: "title", type: "string" }] }] },
    ];
    for (const candidate of bad) {
      const parsed = appSpecState.safeParse(candidate);
      assert.ok(!parsed.success, JSON.stringify(candidate).slice(0, 100));
      assert.ok(parsed.error.issues[0]!.message.length > 5);
    }
    assert.match(buildBlocker({ ...base, entities: [] }) ?? "", /no data entities/);
  });

  it("type-checks, and passes the generated app's own tests (seed, CRUD, validation) on the hostile schema", { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-render-"));
    dirs.push(dataDir);
    const attempt = path.join(dataDir, "builds", "s", "attempt-1");
    const projectDir = path.join(attempt, "hostile");
    for (const f of files) await writeProjectFile(projectDir, f);
    await quickCheck(projectDir, files);
    const checkDir = path.join(attempt, "check");
    await verifyProject({ projectDir, checkDir, dataDir, verify: "typecheck", signal: new AbortController().signal, onStep: async () => {} });
    const tests = await runInSandbox("npm", ["test"], { cwd: checkDir, timeoutMs: 180_000, env: { NODE_ENV: "test" } });
    assert.equal(tests.code, 0, tests.stdout + tests.stderr);
    assert.match(tests.stdout, /# fail 0/);
    assert.ok(!(await readFile("/tmp/tabflow-pwned.db").catch(() => undefined)), "no database was attached");
  });
});
