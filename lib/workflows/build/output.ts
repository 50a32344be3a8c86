import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { zipSync } from "fflate";
import { appSpecState } from "../../artifacts/schemas.ts";
import { buildBlocker, type ProjectFile } from "./project.ts";

/**
 * The file-system side of a build: where its output lives, writing, checking and packaging it.
 * Each attempt has its own folder, so a retry never mixes with the failed attempt's files.
 */
export interface BuildPaths {
  sessionDir: string;
  attemptDir: string;
  projectDir: string;
  zipPath: string;
}

export function buildPaths(dataDir: string, sessionId: string, attempt: number, slug: string): BuildPaths {
  if (!/^[\w-]+$/.test(sessionId)) throw new Error("unsafe session id for a build folder");
  const sessionDir = path.join(dataDir, "builds", sessionId);
  const attemptDir = path.join(sessionDir, `attempt-${attempt}`);
  return { sessionDir, attemptDir, projectDir: path.join(attemptDir, slug), zipPath: path.join(attemptDir, `${slug}.zip`) };
}

export async function writeProjectFile(projectDir: string, file: ProjectFile): Promise<number> {
  const target = path.join(projectDir, file.path);
  if (!target.startsWith(projectDir + path.sep)) throw new Error(`refusing to write outside the project: ${file.path}`);
  await mkdir(path.dirname(target), { recursive: true });
  const body = file.render();
  await writeFile(target, body);
  return Buffer.byteLength(body);
}

/** Every planned file is there and not empty; the SQL schema really runs; the spec re-parses. */
export async function checkProject(projectDir: string, files: ProjectFile[]): Promise<{ path: string; bytes: number }[]> {
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
  const db = new Sqlite(":memory:");
  try {
    db.exec(await readFile(path.join(projectDir, "schema.sql"), "utf8"));
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").get() as { n: number };
    if (tables.n !== spec.data.entities.length) throw new Error(`schema.sql creates ${tables.n} tables for ${spec.data.entities.length} entities`);
  } catch (err) {
    throw new Error(`schema.sql does not run: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  return out;
}

export async function packageProject(projectDir: string, files: ProjectFile[], zipPath: string, folderName: string): Promise<number> {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[`${folderName}/${f.path}`] = await readFile(path.join(projectDir, f.path));
  const zip = zipSync(entries, { level: 6, mtime: new Date("2026-01-01T00:00:00Z") });
  await writeFile(zipPath, zip);
  return zip.byteLength;
}

/** Removes a build's output: one attempt, or every attempt of the session. */
export async function removeBuildOutput(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
