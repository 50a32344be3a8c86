import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { isTabflowError } from "@/lib/errors.ts";
import { IDENTITY_COOKIE, verifyIdentityToken } from "@/lib/realtime/identity.ts";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

function problem(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/** A finished build's zip, for its owner only (the identity cookie decides whose it is). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ sessionId: string }> }): Promise<Response> {
  const { sessionId } = await params;
  const { workflows, identitySecret, logger } = getRuntime();
  let scope;
  try {
    scope = verifyIdentityToken(req.cookies.get(IDENTITY_COOKIE)?.value, identitySecret);
  } catch {
    return problem(401, "unauthorized", "sign in to download builds");
  }
  try {
    const file = await workflows.download(scope, sessionId);
    const { size } = await stat(file.path);
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream;
    return new Response(body, {
      headers: {
        "content-type": "application/zip",
        "content-length": String(size),
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (err) {
    if (isTabflowError(err, "not_found") || isTabflowError(err, "invalid_payload")) return problem(404, "not_found", "no such build");
    logger.error({ err, sessionId }, "build download failed");
    return problem(isTabflowError(err, "unavailable") ? 503 : 500, "internal", "the download failed");
  }
}
