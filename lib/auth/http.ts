/**
 * The auth API on the custom server, before Next: `/api/auth/*` goes to Better Auth's own
 * handler (sign-up/email, sign-in/email, sign-out, get-session, …), which does its CSRF /
 * origin checks, rate limiting and cookies. Any failure inside is answered without details.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { toNodeHandler } from "better-auth/node";
import type { Logger } from "../logger.ts";
import { AUTH_BASE_PATH, type TabflowAuth } from "./auth.ts";

export function mountAuth(auth: TabflowAuth) {
  const node = toNodeHandler(auth);
  return {
    matches: (req: IncomingMessage) => req.url === AUTH_BASE_PATH || req.url?.startsWith(`${AUTH_BASE_PATH}/`) === true,
    async handle(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
      try {
        await node(req, res);
      } catch (err) {
        logger.error({ err, url: req.url }, "auth request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify({ error: { code: "internal", message: "internal error" } }));
      }
    },
  };
}
