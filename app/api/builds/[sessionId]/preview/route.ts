import type { NextRequest } from "next/server";
import { isTabflowError } from "@/lib/errors.ts";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

function problem(status: number, code: string, message: string, reason?: unknown): Response {
  return Response.json({ error: { code, message, ...(typeof reason === "string" ? { reason } : {}) } }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * A build's live preview, for its owner: GET says whether it runs (and on which port), POST
 * starts it (or returns the running one), DELETE stops it. The preview itself is served by
 * its own port (a separate origin); see lib/workflows/build/preview-manager.ts.
 */
async function handle(req: NextRequest, params: Promise<{ sessionId: string }>, what: "status" | "open" | "stop"): Promise<Response> {
  const { sessionId } = await params;
  const { previews, identify, logger, config } = getRuntime();
  try {
    // State-changing calls only from Tabflow's own page: a preview (same host, another port)
    // is same-site, so its scripts could otherwise send the user's cookie here.
    if (what !== "status") {
      const origin = req.headers.get("origin");
      const own = `${req.nextUrl.protocol}//${req.headers.get("host")}`;
      if (!origin || (origin !== own && origin !== config.auth.baseURL && !config.auth.trustedOrigins.includes(origin))) {
        return problem(403, "forbidden", "previews are opened from Tabflow's own page");
      }
    }
    const who = await identify(req.headers);
    if (!who) return problem(401, "unauthorized", "sign in to preview builds");
    const result = what === "open" ? await previews.open(who.scope, sessionId) : what === "stop" ? await previews.stop(who.scope, sessionId) : await previews.status(who.scope, sessionId);
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (isTabflowError(err, "not_found") || isTabflowError(err, "invalid_payload")) return problem(404, "not_found", "no such build");
    if (isTabflowError(err, "blocked")) return problem(409, "blocked", err.message, err.details?.reason);
    if (isTabflowError(err, "unavailable")) return problem(503, "unavailable", err.message);
    logger.error({ err, sessionId }, "preview request failed");
    return problem(500, "internal", "the preview failed");
  }
}

export const GET = (req: NextRequest, ctx: { params: Promise<{ sessionId: string }> }) => handle(req, ctx.params, "status");
export const POST = (req: NextRequest, ctx: { params: Promise<{ sessionId: string }> }) => handle(req, ctx.params, "open");
export const DELETE = (req: NextRequest, ctx: { params: Promise<{ sessionId: string }> }) => handle(req, ctx.params, "stop");
