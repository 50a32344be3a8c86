import { spawn } from "node:child_process";
import path from "node:path";

/**
 * Runs generated code away from Tabflow: an environment with nothing of Tabflow's (no secret,
 * no DATABASE_URL, no AGENT_*), its own working directory, a time limit that kills its whole
 * process group, a memory limit (V8's heap limit through NODE_OPTIONS), an unprivileged user
 * when Tabflow runs as root, and servers told to bind 127.0.0.1.
 *
 * This is the runtime branch's minimal stand-in with the agreed API; the check-stage branch
 * brings the full sandbox (memory watchdog, folder preparation), which replaces this file.
 */
export interface SandboxOptions {
  cwd: string;
  timeoutMs: number;
  /** Memory limit (default 2048 MB). */
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
/** nobody:nogroup on Debian. */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

function minimalEnv(cwd: string, memoryMb: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: [path.join(cwd, "node_modules", ".bin"), path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: cwd,
    LANG: "C.UTF-8",
    NODE_OPTIONS: `--max-old-space-size=${memoryMb}`,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
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
  const env = minimalEnv(options.cwd, memoryMb, { ...(options.port ? { PORT: String(options.port), HOSTNAME: "127.0.0.1" } : {}), ...options.env });
  const asRoot = process.getuid?.() === 0;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: env as NodeJS.ProcessEnv,
    detached: true, // its own process group: a timeout kills everything it started
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? UNPRIVILEGED : {}),
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
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  const onAbort = () => killGroup(child.pid);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const exited = new Promise<SandboxResult>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      killGroup(child.pid); // anything it left running in its group goes with it
      resolve({ code, signal, stdout, stderr, timedOut });
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
    const force = setTimeout(() => killGroup(child.pid), 3000);
    await exited;
    clearTimeout(force);
  };
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited before it answered (code ${gone.code}): ${lastLines(gone.stderr || gone.stdout)}`);
    const ok = await fetch(`${url}${options.readyPath ?? "/"}`, { signal: AbortSignal.timeout(5000), redirect: "manual" })
      .then((r) => r.status < 500)
      .catch(() => false);
    if (ok) return { port: options.port, url, stop, exited };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  const r = await exited;
  throw new Error(`the server did not answer within ${Math.round(options.timeoutMs / 1000)} s: ${lastLines(r.stderr || r.stdout)}`);
}

export function lastLines(text: string, lines = 12): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
