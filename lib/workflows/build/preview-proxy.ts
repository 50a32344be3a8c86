import { createServer, request as forward, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Scope } from "../../store/index.ts";

/**
 * The front door of one live preview: its own port (its own origin, so the app gets the root
 * path it was built for and the page cannot read Tabflow's responses), which checks on every
 * request that the signed-in Tabflow user is the preview's owner, then forwards to the app
 * on its loopback port.
 *
 * - Tabflow's cookies are taken out of what reaches the app (the app is generated code: it
 *   must never get the user's Tabflow session), and cookies the app sets under Tabflow's names
 *   are dropped (cookies are per host, not per port).
 * - The answer may be framed only by Tabflow's page (`frame-ancestors`).
 * - Redirects, forms and assets pass through unchanged: the Host header is kept, so the app's
 *   absolute redirects come back to this port.
 */
const TABFLOW_COOKIE = /^(__Secure-|__Host-)?tabflow\./;
/** Headers about one connection, not the message (the two hops have their own). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "upgrade"]);

export interface PreviewProxy {
  port: number;
  close(): Promise<void>;
}

export interface PreviewProxyOptions {
  host: string;
  /** The app's loopback port. */
  target: number;
  owner: Scope;
  /** Who the request's Tabflow session cookie names (null: signed out). */
  identify(headers: Headers): Promise<{ scope: Scope } | null>;
  /** Origins allowed to frame the preview (Tabflow's own). */
  frameAncestors(req: IncomingMessage): string[];
  /** Called for every request the owner makes (keeps the preview from idling out). */
  onRequest(): void;
  onError(err: unknown): void;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
  return h;
}

/** The Cookie header without Tabflow's own cookies (undefined when nothing is left). */
export function withoutTabflowCookies(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const kept = cookie
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c && !TABFLOW_COOKIE.test(c.split("=")[0]!.trim()));
  return kept.length ? kept.join("; ") : undefined;
}

function problem(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: { code, message } }));
}

export async function startPreviewProxy(options: PreviewProxyOptions): Promise<PreviewProxy> {
  const sameOwner = (s: Scope) => s.userId === options.owner.userId && s.enterpriseId === options.owner.enterpriseId && s.appId === options.owner.appId;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const who = await options.identify(toHeaders(req.headers)).catch(() => null);
      if (!who) return problem(res, 401, "unauthorized", "sign in to Tabflow to see this preview");
      // Another user's preview looks exactly like no preview at all.
      if (!sameOwner(who.scope)) return problem(res, 404, "not_found", "no such preview");
      options.onRequest();
      const headers: IncomingHttpHeaders = { ...req.headers };
      const cookie = withoutTabflowCookies(req.headers.cookie);
      if (cookie) headers.cookie = cookie;
      else delete headers.cookie;
      headers["x-forwarded-host"] = req.headers.host;
      headers["x-forwarded-proto"] = "http";
      const upstream = forward({ host: "127.0.0.1", port: options.target, method: req.method, path: req.url, headers }, (answer) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(answer.headers)) {
          if (v === undefined || HOP_BY_HOP.has(k) || k === "x-frame-options" || k === "content-security-policy") continue;
          out[k] = v;
        }
        const cookies = answer.headers["set-cookie"]?.filter((c) => !TABFLOW_COOKIE.test(c.split("=")[0]!.trim()));
        if (cookies?.length) out["set-cookie"] = cookies;
        else delete out["set-cookie"];
        out["content-security-policy"] = `frame-ancestors ${options.frameAncestors(req).join(" ") || "'none'"}`;
        out["cache-control"] ??= "private, no-store";
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      });
      upstream.on("error", (err) => {
        options.onError(err);
        if (!res.headersSent) problem(res, 502, "unavailable", "the preview app is not answering");
        else res.destroy();
      });
      req.pipe(upstream);
    })().catch((err: unknown) => {
      options.onError(err);
      if (!res.headersSent) problem(res, 500, "internal", "the preview failed");
    });
  });
  // The built app runs in production mode: no hot-reload socket to forward.
  server.on("upgrade", (_req, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
