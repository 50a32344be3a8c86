/**
 * What every HTTP request passes before Next or the auth API sees it: security headers (a
 * per-request CSP nonce that Next puts on its own scripts), a body size limit, and the
 * client's address in a header nobody else can set (Better Auth's rate limiter keys on it).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_IP_HEADER } from "../auth/auth.ts";

/** Largest request body accepted (auth forms are tiny; nothing else takes a body over HTTP). */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;

/**
 * Tabflow's own origins as a browser sees them: the request's host on Tabflow's port (what a
 * preview's proxy lets frame it), plus BETTER_AUTH_URL and TRUSTED_ORIGINS.
 */
export function tabflowOrigins(req: IncomingMessage, config: { port: number; auth: { baseURL?: string; trustedOrigins: string[] } }): string[] {
  const hostname = requestHostname(req);
  const own = hostname ? [`http://${hostname}:${config.port}`, `https://${hostname}:${config.port}`] : [];
  return [...own, ...(config.auth.baseURL ? [config.auth.baseURL] : []), ...config.auth.trustedOrigins];
}

/** The hostname the browser used (no port), only when it is a plain host name or address. */
export function requestHostname(req: IncomingMessage): string | undefined {
  const host = req.headers.host ?? "";
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d+)?$/.exec(host);
  return m?.[1];
}

export function contentSecurityPolicy(nonce: string, dev: boolean, frameHost?: string): string {
  return [
    "default-src 'self'",
    // Next's inline bootstrap scripts carry the nonce; 'strict-dynamic' lets them load chunks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // Socket.IO (same origin, ws:/wss: included by 'self').
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Live previews are served by their own port on the same host (a separate origin).
    `frame-src 'self'${frameHost ? ` http://${frameHost}:* https://${frameHost}:*` : ""}`,
  ].join("; ");
}

function problem(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", connection: "close" });
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * Adds the headers and checks; returns false when the request was answered here (too big).
 * Static build assets get the plain headers only (no CSP: they are not documents).
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, options: { dev: boolean }): boolean {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "strict-origin-when-cross-origin");
  res.setHeader("x-frame-options", "DENY");
  if (!req.url?.startsWith("/_next/static/")) {
    const nonce = randomBytes(16).toString("base64");
    const csp = contentSecurityPolicy(nonce, options.dev, requestHostname(req));
    res.setHeader("content-security-policy", csp);
    // Next reads the nonce from the request's CSP header and stamps its scripts with it.
    req.headers["content-security-policy"] = csp;
    delete req.headers["content-security-policy-report-only"];
  }
  // Only the server says where a request came from.
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";

  const length = req.headers["content-length"];
  if (length !== undefined && Number(length) > MAX_HTTP_BODY_BYTES) {
    problem(res, 413, "invalid_payload", `request bodies are limited to ${MAX_HTTP_BODY_BYTES} bytes`);
    req.resume();
    return false;
  }
  if (length === undefined && req.headers["transfer-encoding"] && req.method !== "GET" && req.method !== "HEAD") {
    problem(res, 411, "invalid_payload", "a request body needs a Content-Length");
    req.resume();
    return false;
  }
  return true;
}
