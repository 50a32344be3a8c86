import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { zipSync } from "fflate";
import type { ProjectFile } from "./project.ts";

/**
 * The file-system side of a build: where its output lives, writing, checking and packaging it.
 * Each attempt has its own folder, so a retry never mixes with the failed attempt's files.
 */
export interface BuildPaths {
  sessionDir: string;
  attemptDir: string;
  projectDir: string;
  /** The sandbox's working copy: the project with node_modules, .next and data (the check, a preview). */
  checkDir: string;
  zipPath: string;
}

export function buildPaths(dataDir: string, sessionId: string, attempt: number, slug: string): BuildPaths {
  if (!/^[\w-]+$/.test(sessionId)) throw new Error("unsafe session id for a build folder");
  const sessionDir = path.join(dataDir, "builds", sessionId);
  const attemptDir = path.join(sessionDir, `attempt-${attempt}`);
  return { sessionDir, attemptDir, projectDir: path.join(attemptDir, slug), checkDir: path.join(attemptDir, "check"), zipPath: path.join(attemptDir, `${slug}.zip`) };
}

export async function writeProjectFile(projectDir: string, file: ProjectFile): Promise<number> {
  const target = path.join(projectDir, file.path);
  if (!target.startsWith(projectDir + path.sep)) throw new Error(`refusing to write outside the project: ${file.path}`);
  await mkdir(path.dirname(target), { recursive: true });
  const body = file.render();
  await writeFile(target, body);
  return Buffer.byteLength(body);
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
