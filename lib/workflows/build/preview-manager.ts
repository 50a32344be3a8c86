import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { z } from "zod";
import { TabflowError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { Scope, Store } from "../../store/index.ts";
import { buildPaths } from "./output.ts";
import { startPreviewProxy, type PreviewProxy } from "./preview-proxy.ts";
import { freeLoopbackPort, startInSandbox, type SandboxServer } from "./sandbox.ts";

/**
 * Live previews of built apps. Open starts the project folder the Build's check built (kept
 * under the build folder) in the sandbox, production mode, on a free loopback port, behind a
 * proxy on a port of its own that lets only the owner in (see preview-proxy.ts). A preview
 * stops after `idleMs` without requests, when its owner opens one more than `maxPerUser`
 * (the oldest goes), when the app exits, and when Tabflow shuts down; the next Open starts it
 * again. State is in memory only: previews belong to the process that started them.
 */
export interface PreviewStatus {
  running: boolean;
  /** The proxy's port on Tabflow's host: the preview is at http(s)://<Tabflow's hostname>:<port>/. */
  port?: number;
  startedAt?: string;
}

export interface PreviewManagerOptions {
  store: Store;
  dataDir: string;
  logger: Logger;
  /** Interface the proxies listen on (Tabflow's HOST). */
  host: string;
  idleMs: number;
  maxPerUser: number;
  identify(headers: Headers): Promise<{ scope: Scope } | null>;
  frameAncestors(req: IncomingMessage): string[];
  /** How long the app may take to answer its first request. */
  startTimeoutMs?: number;
  /** Longest a preview runs at all (the sandbox's time limit); Open starts it again. */
  maxLifetimeMs?: number;
}

interface Preview {
  key: string;
  sessionId: string;
  owner: Scope;
  startedAt: Date;
  lastRequestAt: number;
  app: SandboxServer;
  proxy: PreviewProxy;
  stopping?: Promise<void>;
}

const checkpointSlug = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/) });
const packageJson = z.object({ scripts: z.object({ start: z.string().min(1).max(2000) }) });


/**
 * The start script, made to listen on loopback only: `next start` ignores HOSTNAME and binds
 * every interface unless told with -H, which would put the app (which has no login) on the
 * network beside its proxy. Other servers get HOSTNAME and PORT in their environment.
 */
export function loopbackStartScript(script: string, port: number): string {
  return /(^|[;&|]\s*)next start(?![^;&|]*\s(-H|--hostname)\b)[^;&|]*$/.test(script.trim()) ? `${script.trim()} -H 127.0.0.1 -p ${port}` : script;
}

const ownerKey = (s: Scope) => `${s.enterpriseId}\u0000${s.appId}\u0000${s.userId}`;

export function createPreviewManager(options: PreviewManagerOptions) {
  const { store, dataDir, logger } = options;
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const maxLifetimeMs = options.maxLifetimeMs ?? 60 * 60_000;
  const previews = new Map<string, Preview>();
  const starting = new Map<string, Promise<Preview>>();
  let closed = false;

  const keyOf = (scope: Scope, sessionId: string) => `${ownerKey(scope)}\u0000${sessionId}`;

  function stopPreview(p: Preview, why: string): Promise<void> {
    p.stopping ??= (async () => {
      if (previews.get(p.key) === p) previews.delete(p.key);
      logger.info({ sessionId: p.sessionId, why }, "stopping a live preview");
      await Promise.allSettled([p.proxy.close(), p.app.stop()]);
    })();
    return p.stopping;
  }

  /** The project folder the check built for this (succeeded) build; typed errors otherwise. */
  async function projectOf(scope: Scope, sessionId: string): Promise<{ dir: string; start: string }> {
    const session = await store.getWorkflowSession(scope, sessionId);
    const cp = checkpointSlug.safeParse(session.runCheckpoint);
    if (session.workflowName !== "build" || session.runState !== "succeeded" || !cp.success) {
      throw new TabflowError("blocked", "Only a build that succeeded can be previewed.", { reason: "not_succeeded" });
    }
    // The check's folder (installed, built, owned by the sandbox user) when the check ran; else the project.
    const paths = buildPaths(dataDir, session.id, session.runAttempt, cp.data.slug);
    const dir = (await stat(path.join(paths.checkDir, ".next")).catch(() => undefined))?.isDirectory() ? paths.checkDir : paths.projectDir;
    const manifest = await readFile(path.join(dir, "package.json"), "utf8").catch(() => undefined);
    if (manifest === undefined || !(await stat(dir).catch(() => undefined))?.isDirectory()) {
      throw new TabflowError(
        "blocked",
        "This build's project folder is not on this server (it was built on another server, or it has been cleaned up), so it cannot be previewed here. Start Build again from its App spec, or download the zip and run it yourself.",
        { reason: "project_missing" },
      );
    }
    let parsed: z.infer<typeof packageJson>;
    try {
      parsed = packageJson.parse(JSON.parse(manifest));
    } catch {
      throw new TabflowError("blocked", "The built project has no start script, so it cannot be previewed.", { reason: "no_start_script" });
    }
    return { dir, start: parsed.scripts.start };
  }

  async function start(scope: Scope, sessionId: string, key: string): Promise<Preview> {
    const project = await projectOf(scope, sessionId);
    // The cap: opening one more than allowed stops this user's oldest preview.
    const mine = [...previews.values()].filter((p) => ownerKey(p.owner) === ownerKey(scope)).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    while (mine.length >= options.maxPerUser) await stopPreview(mine.shift()!, "the owner opened another preview");

    const appPort = await freeLoopbackPort();
    let app: SandboxServer;
    const launching = startInSandbox("/bin/sh", ["-c", loopbackStartScript(project.start, appPort)], {
      cwd: project.dir,
      port: appPort,
      timeoutMs: maxLifetimeMs,
      // The start script runs through sh, not npm: the project's own binaries go on PATH as npm would put them.
      env: {
        NODE_ENV: "production",
        PORT: String(appPort),
        HOSTNAME: "127.0.0.1",
        PATH: [path.join(project.dir, "node_modules", ".bin"), path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
      },
    });
    let guard: NodeJS.Timeout | undefined;
    try {
      app = await Promise.race([
        launching,
        new Promise<never>((_, reject) => {
          guard = setTimeout(() => reject(new Error(`it did not answer within ${Math.round(startTimeoutMs / 1000)} s`)), startTimeoutMs);
        }),
      ]);
    } catch (err) {
      void launching.then((late) => late.stop()).catch(() => {});
      throw new TabflowError("blocked", `The preview could not start: ${(err as Error).message.slice(0, 1500)}`, { reason: "start_failed" });
    } finally {
      clearTimeout(guard);
    }
    const preview: Preview = { key, sessionId, owner: scope, startedAt: new Date(), lastRequestAt: Date.now(), app, proxy: undefined as never };
    try {
      preview.proxy = await startPreviewProxy({
        host: options.host,
        target: appPort,
        owner: scope,
        identify: options.identify,
        frameAncestors: options.frameAncestors,
        onRequest: () => (preview.lastRequestAt = Date.now()),
        onError: (err) => logger.debug({ err, sessionId }, "preview proxy error"),
      });
    } catch (err) {
      await app.stop();
      throw err;
    }
    void app.exited.then((r) => {
      if (!preview.stopping) {
        logger.warn({ sessionId, code: r.code, signal: r.signal, timedOut: r.timedOut }, "a live preview's app exited");
        void stopPreview(preview, "the app exited");
      }
    });
    if (closed) {
      await stopPreview(preview, "the server is shutting down");
      throw new TabflowError("unavailable", "the server is shutting down");
    }
    previews.set(key, preview);
    logger.info({ sessionId, port: preview.proxy.port }, "started a live preview");
    return preview;
  }

  const idleTimer = setInterval(() => {
    const now = Date.now();
    for (const p of previews.values()) if (now - p.lastRequestAt > options.idleMs) void stopPreview(p, "idle");
  }, Math.max(250, Math.min(options.idleMs / 4, 30_000)));
  idleTimer.unref();

  const statusOf = (p: Preview | undefined): PreviewStatus => (p ? { running: true, port: p.proxy.port, startedAt: p.startedAt.toISOString() } : { running: false });

  return {
    /** Starts the preview (or returns the running one) of the caller's succeeded build. */
    async open(scope: Scope, sessionId: string): Promise<PreviewStatus> {
      if (closed) throw new TabflowError("unavailable", "the server is shutting down");
      const key = keyOf(scope, sessionId);
      const running = previews.get(key);
      if (running) {
        await store.getWorkflowSession(scope, sessionId); // still theirs
        running.lastRequestAt = Date.now();
        return statusOf(running);
      }
      let pending = starting.get(key);
      if (!pending) {
        pending = start(scope, sessionId, key).finally(() => starting.delete(key));
        starting.set(key, pending);
      }
      return statusOf(await pending);
    },
    async status(scope: Scope, sessionId: string): Promise<PreviewStatus> {
      await store.getWorkflowSession(scope, sessionId); // not_found for anyone else
      return statusOf(previews.get(keyOf(scope, sessionId)));
    },
    async stop(scope: Scope, sessionId: string): Promise<PreviewStatus> {
      await store.getWorkflowSession(scope, sessionId);
      const p = previews.get(keyOf(scope, sessionId));
      if (p) await stopPreview(p, "stopped by the owner");
      return { running: false };
    },
    /** Shutdown: every preview's app and proxy stop with the server. */
    async close(): Promise<void> {
      closed = true;
      clearInterval(idleTimer);
      await Promise.allSettled([...starting.values()]);
      await Promise.all([...previews.values()].map((p) => stopPreview(p, "the server is shutting down")));
    },
    stats: () => ({ running: previews.size, starting: starting.size }),
  };
}

export type PreviewManager = ReturnType<typeof createPreviewManager>;
