import { spawn, spawnSync } from "node:child_process";
import { chmod, chown, lstat, readdir, readFile, stat } from "node:fs/promises";
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/**
 * Runs generated code (a build's project: its compiler, its server, its tests) away from Tabflow:
 *
 * - an EMPTY environment but for what a Node toolchain needs (PATH, HOME inside the sandbox
 *   folder, NODE_ENV, PORT, HOSTNAME=127.0.0.1, NEXT_TELEMETRY_DISABLED=1, NODE_OPTIONS with a heap
 *   limit) and what the caller passes: never Tabflow's secret, DATABASE_URL, AGENT_*, REDIS_URL;
 * - its own working directory (under the build's folder);
 * - a time limit, after which its whole process group is killed;
 * - a memory limit: the V8 heap limit, plus a watchdog that kills the group when the resident
 *   memory of all its processes passes the limit (Turbopack and SWC allocate outside the heap);
 * - loopback only: servers are started on 127.0.0.1;
 * - when Tabflow runs as root (servers, CI): the child runs as the unprivileged `nobody` user,
 *   which owns only the sandbox folder; Tabflow's DATA_DIR is 0711 (not listable) and its
 *   database and secret files are 0600 (see lockDownDataDir), so the child cannot open them.
 *   When Tabflow is not root, it cannot switch users: the first use logs one warning that the
 *   sandbox is weaker (environment, folder, limits only).
 */
export interface SandboxOptions {
  cwd: string;
  timeoutMs: number;
  /** Memory limit of the whole process group (default 2048 MB). */
  memoryMb?: number;
  /** Extra environment variables (on top of the minimal set). */
  env?: Record<string, string>;
  signal?: AbortSignal;
}

export interface SandboxResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The memory watchdog stopped it. */
  outOfMemory?: boolean;
}

export interface StartOptions extends Omit<SandboxOptions, "signal"> {
  port: number;
  /** A path that answers (any status below 500) once the server is ready; default "/". */
  readyPath?: string;
}

export interface SandboxServer {
  port: number;
  url: string;
  /** Stops the server and every process it started. */
  stop(): Promise<void>;
  /** Resolves when the server exits, with what it printed. */
  exited: Promise<SandboxResult>;
}

const DEFAULT_MEMORY_MB = 2048;
const OUTPUT_LIMIT = 200_000;

interface Identity {
  uid: number;
  gid: number;
}

let identityCache: Identity | null | undefined;

/** The unprivileged user children run as, or null when Tabflow is not root (and cannot switch). */
export function sandboxIdentity(): Identity | null {
  if (identityCache !== undefined) return identityCache;
  identityCache = null;
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    const uid = Number(spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim());
    identityCache = Number.isInteger(uid) && uid > 0 && Number.isInteger(gid) && gid > 0 ? { uid, gid } : { uid: 65534, gid: 65534 };
  }
  return identityCache;
}

let warned = false;
/** Logs once when the sandbox cannot switch to an unprivileged user. */
export function sandboxWarning(log: (message: string) => void = (m) => console.warn(m)): string | undefined {
  if (sandboxIdentity()) return undefined;
  const message =
    "build sandbox is weaker: Tabflow is not running as root, so generated projects run as the same user (empty environment, own folder, time and memory limits, loopback only, but file permissions do not keep them from Tabflow's data folder)";
  if (!warned) {
    warned = true;
    log(message);
  }
  return message;
}

function minimalEnv(cwd: string, memoryMb: number, extra: Record<string, string> = {}): Record<string, string> {
  const nodeDir = path.dirname(process.execPath);
  return {
    PATH: [path.join(cwd, "node_modules", ".bin"), nodeDir, "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: path.join(cwd, ".home"),
    TMPDIR: path.join(cwd, ".home", "tmp"),
    NODE_ENV: "production",
    HOSTNAME: "127.0.0.1",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: `--max-old-space-size=${Math.max(128, Math.floor(memoryMb * 0.75))}`,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_offline: "true",
    ...extra,
  };
}

/** Resident memory (bytes) of every process in a process group (Linux /proc; 0 elsewhere). */
async function groupRss(pgid: number): Promise<number> {
  let total = 0;
  const pids = await readdir("/proc").catch(() => [] as string[]);
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ": state ppid pgrp … rss is field 24 overall, index 21 here.
    if (Number(rest[2]) === pgid) total += Number(rest[21] ?? 0) * 4096;
  }
  return total;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function launch(command: string, args: string[], options: SandboxOptions & { port?: number }) {
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const env = minimalEnv(options.cwd, memoryMb, { ...(options.port ? { PORT: String(options.port) } : {}), ...options.env });
  const id = sandboxIdentity();
  sandboxWarning();
  mkdirSync(path.join(options.cwd, ".home", "tmp"), { recursive: true });
  if (id) {
    chownSync(path.join(options.cwd, ".home"), id.uid, id.gid);
    chownSync(path.join(options.cwd, ".home", "tmp"), id.uid, id.gid);
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: env as NodeJS.ProcessEnv,
    detached: true, // its own process group: a timeout kills everything it started
    stdio: ["ignore", "pipe", "pipe"],
    ...(id ? { uid: id.uid, gid: id.gid } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    if (stdout.length < OUTPUT_LIMIT) stdout += d.toString("utf8");
  });
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < OUTPUT_LIMIT) stderr += d.toString("utf8");
  });
  let timedOut = false;
  let outOfMemory = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  const watchdog = setInterval(() => {
    if (!child.pid) return;
    void groupRss(child.pid).then((rss) => {
      if (rss > memoryMb * 1024 * 1024) {
        outOfMemory = true;
        killGroup(child.pid);
      }
    });
  }, 1000);
  const onAbort = () => killGroup(child.pid);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const exited = new Promise<SandboxResult>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      options.signal?.removeEventListener("abort", onAbort);
      // Anything it left running in its group goes with it.
      killGroup(child.pid);
      resolve({ code, signal, stdout, stderr, timedOut, ...(outOfMemory ? { outOfMemory } : {}) });
    };
    child.once("error", (err) => {
      stderr += `\n${err.message}`;
      done(null, null);
    });
    child.once("close", done);
  });
  return { child, exited };
}

/** Runs a command in the sandbox to its end (or its time limit). */
export async function runInSandbox(command: string, args: string[], options: SandboxOptions): Promise<SandboxResult> {
  if (options.signal?.aborted) return { code: null, signal: null, stdout: "", stderr: "aborted", timedOut: false };
  return launch(command, args, options).exited;
}

/** Starts a server in the sandbox on 127.0.0.1:port; resolves once `readyPath` answers. */
export async function startInSandbox(command: string, args: string[], options: StartOptions): Promise<SandboxServer> {
  const { child, exited } = launch(command, args, options);
  const url = `http://127.0.0.1:${options.port}`;
  let gone: SandboxResult | undefined;
  void exited.then((r) => (gone = r));
  const stop = async () => {
    killGroup(child.pid, "SIGTERM");
    const t = setTimeout(() => killGroup(child.pid), 3000);
    await exited;
    clearTimeout(t);
  };
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited before it answered (code ${gone.code}): ${lastLines(gone.stderr || gone.stdout)}`);
    const ok = await fetch(`${url}${options.readyPath ?? "/"}`, { signal: AbortSignal.timeout(5000), redirect: "manual" })
      .then((r) => r.status < 500)
      .catch(() => false);
    if (ok) return { port: options.port, url, stop, exited };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  const r = await exited;
  throw new Error(`the server did not answer within ${Math.round(options.timeoutMs / 1000)} s: ${lastLines(r.stderr || r.stdout)}`);
}

/** The last lines of a process's output, for an error message. */
export function lastLines(text: string, lines = 12): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Gives the sandbox user its folder (not node_modules: those files are hard links to
 * Tabflow's own and must stay root's, read-only for the child) and lets it traverse, but not
 * list, the folders above it up to the data folder.
 */
export async function prepareSandboxDir(dir: string, dataDir: string): Promise<void> {
  const id = sandboxIdentity();
  if (!id) return;
  const own = async (p: string): Promise<void> => {
    const s = await lstat(p);
    await chown(p, id.uid, id.gid);
    if (s.isDirectory()) {
      for (const entry of await readdir(p)) {
        if (p === dir && entry === "node_modules") {
          await chown(path.join(p, entry), id.uid, id.gid); // its .bin links; the packages stay root's
          continue;
        }
        await own(path.join(p, entry));
      }
    }
  };
  await own(dir);
  await chmod(dir, 0o700);
  const root = path.resolve(dataDir);
  // The folders above the data folder are not Tabflow's to change: they must let others pass.
  for (let p = path.dirname(root); ; p = path.dirname(p)) {
    const s = await stat(p);
    if ((s.mode & 0o001) === 0 && !(s.uid === id.uid)) {
      throw new Error(
        `the build sandbox runs generated code as the unprivileged user "nobody", who cannot reach ${dir}: ${p} is not searchable by others. Put DATA_DIR under a folder others may traverse (e.g. /var/lib/tabflow), or run with BUILD_VERIFY=off`,
      );
    }
    if (p === path.dirname(p)) break;
  }
  for (let p = path.dirname(path.resolve(dir)); p.startsWith(root) && p.length >= root.length; p = path.dirname(p)) {
    await chmod(p, 0o711);
    if (p === root) break;
  }
}

/**
 * Keeps everything in Tabflow's data folder away from sandboxed children: the folder itself can
 * be traversed (to reach a build's sandbox) but not listed, and every other entry (the SQLite
 * database with its -wal/-shm, the secret) is readable by its owner only.
 */
export async function lockDownDataDir(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  await chmod(dataDir, 0o711);
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    const p = path.join(dataDir, entry.name);
    if (entry.name === "builds" && entry.isDirectory()) await chmod(p, 0o711);
    else if (entry.isDirectory()) await chmod(p, 0o700);
    else if (entry.isFile()) await chmod(p, 0o600);
  }
}

/** A port free on 127.0.0.1 right now, for a sandboxed server to listen on. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
