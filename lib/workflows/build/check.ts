import { spawnSync } from "node:child_process";
import { cp, mkdir, readFile, rm, stat, symlink } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { appSpecState } from "../../artifacts/schemas.ts";
import type { AppSchema, EntityDef } from "./app-template/lib/schema-types.ts";
import { sampleInput, seedOrder } from "./app-template/lib/samples.ts";
import { migrationStatements } from "./app-template/lib/sql.ts";
import { APP_DEPENDENCIES, APP_DEV_DEPENDENCIES, buildBlocker, type ProjectFile } from "./project.ts";
import { freeLoopbackPort, lastLines, lockDownDataDir, prepareSandboxDir, runInSandbox, startInSandbox, type SandboxResult, type SandboxServer } from "./sandbox.ts";

/**
 * The Build's check of a generated project. The quick part (every file written, the spec and
 * schema re-parse, the migrations run on an empty SQLite database) always runs; the real part
 * (BUILD_VERIFY, on by default) runs the project in the sandbox: install, type-check, production
 * build, start, every page, create/edit/delete of every entity through its JSON API, its own
 * tests, stop. Each real step is reported through `onStep` with its time.
 */
export const CHECK_STEPS = ["install", "typecheck", "build", "start", "pages", "crud", "forms", "stop", "test"] as const;
export type CheckStep = (typeof CHECK_STEPS)[number];

export const CHECK_STEP_LABELS: Record<CheckStep, string> = {
  install: "installing dependencies",
  typecheck: "type-checking",
  build: "production build",
  start: "starting the app",
  pages: "requesting every page",
  crud: "create, edit, delete of every entity",
  forms: "the forms: create, validation, edit, delete",
  test: "running the app's tests",
  stop: "stopping the app",
};

/** off: only the quick check; typecheck: install and type-check; full: every step. */
export type BuildVerify = "off" | "typecheck" | "full";

export function checkStepsFor(verify: BuildVerify): CheckStep[] {
  return verify === "off" ? [] : verify === "typecheck" ? ["install", "typecheck"] : [...CHECK_STEPS];
}

export class CheckFailure extends Error {
  constructor(
    readonly step: CheckStep,
    message: string,
  ) {
    super(message);
  }
}

/** The quick check: files, spec, schema; returns the files with their sizes. */
export async function quickCheck(projectDir: string, files: ProjectFile[]): Promise<{ path: string; bytes: number }[]> {
  const out: { path: string; bytes: number }[] = [];
  for (const f of files) {
    const s = await stat(path.join(projectDir, f.path)).catch(() => undefined);
    if (!s || !s.isFile()) throw new Error(`${f.path} was not written`);
    if (s.size === 0) throw new Error(`${f.path} is empty`);
    out.push({ path: f.path, bytes: s.size });
  }
  const spec = appSpecState.safeParse(JSON.parse(await readFile(path.join(projectDir, "spec.json"), "utf8")));
  if (!spec.success) throw new Error("spec.json does not hold a valid app spec");
  const blocker = buildBlocker(spec.data);
  if (blocker) throw new Error(blocker);
  const schema = JSON.parse(await readFile(path.join(projectDir, "lib", "app-schema.json"), "utf8")) as AppSchema;
  const db = new Sqlite(":memory:");
  try {
    db.pragma("foreign_keys = ON");
    for (const statement of migrationStatements(schema)) db.exec(statement);
  } catch (err) {
    throw new Error(`the app's migrations do not run: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  return out;
}

/** Tabflow's own folder (the one whose node_modules has next); found when first needed. */
function tabflowRoot(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(path.dirname(path.dirname(require.resolve("next/package.json"))));
}

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin?: string | Record<string, string>;
  name?: string;
}

function readPackage(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

/** Tabflow's installed packages the project needs: its dependencies and everything they need. */
export function toolchainPackages(): string[] {
  const TABFLOW_ROOT = tabflowRoot();
  const top = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    // Node's lookup: the nearest node_modules/<name> from the requiring package up to the root.
    for (let dir = fromDir; dir.startsWith(TABFLOW_ROOT); dir = path.dirname(dir)) {
      const candidate = path.join(dir, "node_modules", name);
      if (!existsSync(path.join(candidate, "package.json"))) {
        if (dir === TABFLOW_ROOT) return;
        continue;
      }
      if (seen.has(candidate)) return;
      seen.add(candidate);
      if (dir === TABFLOW_ROOT) top.add(name);
      const pkg = readPackage(candidate);
      for (const dep of Object.keys({ ...pkg?.dependencies, ...pkg?.optionalDependencies, ...pkg?.peerDependencies })) visit(dep, candidate);
      return;
    }
  };
  for (const name of [...APP_DEPENDENCIES, ...APP_DEV_DEPENDENCIES]) visit(name, TABFLOW_ROOT);
  return [...top].sort();
}

/**
 * Dependencies without network: hard-link copies (`cp -al`) of Tabflow's own installed packages,
 * same versions, better-sqlite3 already compiled. Real files inside the project (Turbopack does
 * not follow a symlinked node_modules out of the project root); a plain copy when the data
 * folder is on another file system.
 */
async function installFromToolchain(checkDir: string): Promise<number> {
  const modules = path.join(checkDir, "node_modules");
  await mkdir(path.join(modules, ".bin"), { recursive: true });
  const packages = toolchainPackages();
  const TABFLOW_MODULES = path.join(tabflowRoot(), "node_modules");
  for (const name of packages) {
    const dest = path.join(modules, name);
    await mkdir(path.dirname(dest), { recursive: true });
    const linked = spawnSync("cp", ["-al", path.join(TABFLOW_MODULES, name), dest], { encoding: "utf8" });
    if (linked.status !== 0) await cp(path.join(TABFLOW_MODULES, name), dest, { recursive: true, verbatimSymlinks: true });
    const pkg = readPackage(dest);
    const bins = typeof pkg?.bin === "string" ? { [name.split("/").pop()!]: pkg.bin } : (pkg?.bin ?? {});
    for (const [bin, target] of Object.entries(bins)) {
      if (!/^[\w.-]+$/.test(bin)) continue;
      await symlink(path.join("..", name, target), path.join(modules, ".bin", bin)).catch(() => {});
    }
  }
  return packages.length;
}

/** The first lines of a failed command's real error (a compiler's message, a stack). */
export function errorExcerpt(result: SandboxResult, lines = 15): string {
  if (result.timedOut) return `timed out; last output:\n${lastLines(result.stderr || result.stdout, 8)}`;
  if (result.outOfMemory) return `stopped: over its memory limit; last output:\n${lastLines(result.stderr || result.stdout, 8)}`;
  const text = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, "");
  const all = text.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim());
  const first = all.findIndex((l) => /error|failed|not ok|cannot|exception/i.test(l));
  const picked = (first >= 0 ? all.slice(first, first + lines) : all.slice(-lines)).join("\n");
  return picked.slice(0, 1500) || `exited with code ${result.code}`;
}

export interface CheckOptions {
  projectDir: string;
  /** Where the check works (a copy of the project, its node_modules, .next, data). */
  checkDir: string;
  dataDir: string;
  verify: BuildVerify;
  signal: AbortSignal;
  onStep(step: CheckStep, status: "running" | "done" | "failed", elapsedMs: number, detail?: string): Promise<void>;
}

async function request(url: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: await res.text() };
}

/** Runs the real check; throws CheckFailure naming the step and the first lines of its error. */
export async function verifyProject(options: CheckOptions): Promise<void> {
  const steps = checkStepsFor(options.verify);
  if (!steps.length) return;
  const { checkDir } = options;
  const schema = JSON.parse(await readFile(path.join(options.projectDir, "lib", "app-schema.json"), "utf8")) as AppSchema;
  const node = process.execPath;
  const bin = (pkg: string, file: string) => path.join(checkDir, "node_modules", pkg, file);
  let server: SandboxServer | undefined;

  const step = async <T>(name: CheckStep, run: () => Promise<T>): Promise<T> => {
    if (options.signal.aborted) throw options.signal.reason ?? new Error("stopped");
    const started = Date.now();
    await options.onStep(name, "running", 0);
    try {
      const value = await run();
      await options.onStep(name, "done", Date.now() - started);
      return value;
    } catch (err) {
      if (options.signal.aborted) throw options.signal.reason ?? err;
      const message = err instanceof CheckFailure ? err.message : (err as Error).message;
      await options.onStep(name, "failed", Date.now() - started, message);
      throw err instanceof CheckFailure ? err : new CheckFailure(name, message);
    }
  };
  const sandboxed = async (name: CheckStep, command: string, args: string[], timeoutMs: number, env?: Record<string, string>) => {
    const result = await runInSandbox(command, args, { cwd: checkDir, timeoutMs, env, signal: options.signal });
    if (result.code !== 0) throw new CheckFailure(name, errorExcerpt(result));
    return result;
  };

  try {
    await step("install", async () => {
      await rm(checkDir, { recursive: true, force: true });
      await cp(options.projectDir, checkDir, { recursive: true });
      await installFromToolchain(checkDir);
      await mkdir(path.join(checkDir, ".home", "tmp"), { recursive: true });
      await lockDownDataDir(options.dataDir);
      await prepareSandboxDir(checkDir, options.dataDir);
    });
    await step("typecheck", () => sandboxed("typecheck", node, [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."], 240_000));
    if (!steps.includes("build")) return;
    await step("build", () => sandboxed("build", node, [bin("next", "dist/bin/next"), "build"], 480_000, { APP_BUILD_SKIP_TYPECHECK: "1" }));
    server = await step("start", async () => {
      const port = await freeLoopbackPort();
      return startInSandbox(node, [bin("next", "dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: checkDir, port, timeoutMs: 90_000, readyPath: "/" });
    });
    const base = server.url;
    await step("pages", async () => {
      const paths = ["/"];
      for (const e of schema.entities) {
        const list = JSON.parse((await request(`${base}/api/${e.key}`)).body) as { items: { id: number }[] };
        paths.push(`/${e.key}`, `/${e.key}?sort=${encodeURIComponent(e.fields[0]?.key ?? "id")}&dir=desc`, `/${e.key}?q=a`, `/${e.key}/new`);
        const first = list.items[0];
        if (!first) throw new Error(`/api/${e.key} lists no rows: the seed rows are missing`);
        paths.push(`/${e.key}/${first.id}`, `/${e.key}/${first.id}/edit`);
      }
      for (const p of paths) {
        const res = await request(`${base}${p}`);
        if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${res.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
      }
    });
    await step("crud", () => crudEveryEntity(base, schema));
    await step("forms", () => formsOfEveryEntity(base, schema));
    await step("stop", async () => {
      const s = server!;
      server = undefined;
      await s.stop();
    });
    await step("test", () => sandboxed("test", "npm", ["test", "--offline"], 240_000, { NODE_ENV: "test" }));
  } finally {
    await server?.stop();
  }
}

/** One row of every entity created (targets first), read, edited and deleted through the JSON API. */
async function crudEveryEntity(base: string, schema: AppSchema): Promise<void> {
  const created = new Map<string, number>();
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await request(`${base}${p}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    let json: unknown;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      json = res.body.slice(0, 300);
    }
    return { status: res.status, json: json as Record<string, unknown> };
  };
  const ids = async (key: string) => (created.has(key) ? [created.get(key)!] : ((await api("GET", `/api/${key}`)).json.items as { id: number }[]).map((r) => r.id));
  const order = seedOrder(schema);
  const targets = new Map<string, number[]>();
  for (const e of schema.entities) targets.set(e.key, await ids(e.key));
  for (const entity of order) {
    const input = sampleInput(entity, 3, (key) => (created.has(key) ? [created.get(key)!] : targets.get(key)!));
    const res = await api("POST", `/api/${entity.key}`, input);
    if (res.status !== 201) throw new Error(`POST /api/${entity.key} answered ${res.status}: ${JSON.stringify(res.json).slice(0, 400)}`);
    created.set(entity.key, Number(res.json.id));
    if (entity.fields.some((f) => f.required && f.type !== "boolean" && !f.many)) {
      const bad = await api("POST", `/api/${entity.key}`, {});
      if (bad.status !== 400 || typeof bad.json?.errors !== "object") throw new Error(`POST /api/${entity.key} with no fields answered ${bad.status}, not 400 with errors`);
    }
  }
  for (const entity of order) {
    const id = created.get(entity.key)!;
    const got = await api("GET", `/api/${entity.key}/${id}`);
    if (got.status !== 200) throw new Error(`GET /api/${entity.key}/${id} answered ${got.status}`);
    const patch = editOf(entity, (key) => (created.has(key) ? [created.get(key)!] : targets.get(key)!));
    const res = await api("PATCH", `/api/${entity.key}/${id}`, patch);
    if (res.status !== 200) throw new Error(`PATCH /api/${entity.key}/${id} answered ${res.status}: ${JSON.stringify(res.json).slice(0, 400)}`);
    for (const [k, v] of Object.entries(patch)) {
      if (JSON.stringify(res.json[k]) !== JSON.stringify(v)) throw new Error(`PATCH /api/${entity.key}/${id} did not store ${k} (sent ${JSON.stringify(v)}, got ${JSON.stringify(res.json[k])})`);
    }
  }
  for (const entity of [...order].reverse()) {
    const id = created.get(entity.key)!;
    const res = await api("DELETE", `/api/${entity.key}/${id}`);
    if (res.status !== 204) throw new Error(`DELETE /api/${entity.key}/${id} answered ${res.status}: ${JSON.stringify(res.json).slice(0, 400)}`);
    const gone = await api("GET", `/api/${entity.key}/${id}`);
    if (gone.status !== 404) throw new Error(`GET /api/${entity.key}/${id} after DELETE answered ${gone.status}, not 404`);
  }
}

/** A change to one field of the entity (the first that is not a reference), or {} when it has none. */
function editOf(entity: EntityDef, targetIds: (key: string) => number[]): Record<string, unknown> {
  const field = entity.fields.find((f) => f.type !== "reference") ?? entity.fields[0];
  if (!field) return {};
  const input = sampleInput(entity, 4, targetIds);
  return { [field.key]: input[field.key] };
}

const ENTITIES: Record<string, string> = { "&quot;": '"', "&#x27;": "'", "&lt;": "<", "&gt;": ">", "&amp;": "&" };

/** The hidden fields of the page's first form (a server action's id and bound arguments). */
async function formOf(url: string): Promise<[string, string][]> {
  const res = await request(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const start = res.body.indexOf("<form");
  const form = start < 0 ? "" : res.body.slice(start, res.body.indexOf("</form>", start));
  const hidden = [...form.matchAll(/<input type="hidden" name="([^"]*)"(?: value="([^"]*)")?\/>/g)].map((m): [string, string] => [m[1]!, (m[2] ?? "").replace(/&(quot|#x27|lt|gt|amp);/g, (e) => ENTITIES[e]!)]);
  if (!hidden.some(([k]) => k.startsWith("$ACTION"))) throw new Error(`${url} has no working form`);
  return hidden;
}

/** Submits a form as a browser without JavaScript would (the server action's no-JS path). */
async function submit(base: string, pagePath: string, values: Record<string, unknown>): Promise<{ status: number; location: string | null; body: string }> {
  const body = new FormData();
  for (const [k, v] of await formOf(`${base}${pagePath}`)) body.append(k, v);
  for (const [k, v] of Object.entries(values)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item === null || item === undefined || item === false) continue;
      body.append(k, item === true ? "on" : String(item));
    }
  }
  const res = await fetch(`${base}${pagePath}`, { method: "POST", body, redirect: "manual", headers: { origin: base }, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

/** Every entity through its pages' forms: a refused empty form, a create, an edit, a delete. */
export async function formsOfEveryEntity(base: string, schema: AppSchema): Promise<void> {
  const rows = new Map<string, number[]>();
  for (const e of schema.entities) {
    const list = JSON.parse((await request(`${base}/api/${e.key}`)).body) as { items: { id: number }[] };
    rows.set(e.key, list.items.map((r) => r.id));
  }
  for (const entity of seedOrder(schema)) {
    if (entity.fields.some((f) => f.required && f.type !== "boolean")) {
      const empty = await submit(base, `/${entity.key}/new`, {});
      if (empty.status !== 200 || !empty.body.includes('role="alert"')) throw new Error(`an empty "New" form of ${entity.key} answered ${empty.status} without an error message`);
    }
    const created = await submit(base, `/${entity.key}/new`, sampleInput(entity, 5, (key) => rows.get(key)!));
    const id = /^\/[a-z0-9-]+\/(\d+)$/.exec(created.location ?? "")?.[1];
    if (created.status !== 303 || !id) throw new Error(`the "New" form of ${entity.key} answered ${created.status} ${created.location ?? ""}: ${created.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
    const edited = await submit(base, `/${entity.key}/${id}/edit`, sampleInput(entity, 6, (key) => rows.get(key)!));
    if (edited.status !== 303 || edited.location !== `/${entity.key}/${id}`) throw new Error(`the "Edit" form of ${entity.key} ${id} answered ${edited.status} ${edited.location ?? ""}`);
    const deleted = await submit(base, `/${entity.key}/${id}`, {});
    if (deleted.status !== 303 || deleted.location !== `/${entity.key}`) throw new Error(`"Delete" of ${entity.key} ${id} answered ${deleted.status} ${deleted.location ?? ""}`);
    if ((await request(`${base}/api/${entity.key}/${id}`)).status !== 404) throw new Error(`${entity.key} ${id} is still there after "Delete"`);
  }
}
