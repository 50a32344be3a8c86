import type { NextRequest } from "next/server";
import { isTabflowError } from "@/lib/errors.ts";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

function problem(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * A finished build's zip, for its owner only (the session cookie decides whose it is); anyone
 * else gets the 404 of an unknown id. The zip is read from the database, so every node serves it.
 */
export async function GET(req: NextRequest, { params }: { params: Promise<{ sessionId: string }> }): Promise<Response> {
  const { sessionId } = await params;
  const { workflows, identify, logger } = getRuntime();
  try {
    const who = await identify(req.headers);
    if (!who) return problem(401, "unauthorized", "sign in to download builds");
    const { scope } = who;
    const file = await workflows.download(scope, sessionId);
    return new Response(new Blob([file.bytes as Uint8Array<ArrayBuffer>]), {
      headers: {
        "content-type": "application/zip",
        "content-length": String(file.bytes.byteLength),
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "private, no-store",
        etag: `"${file.sha256}"`,
      },
    });
  } catch (err) {
    if (isTabflowError(err, "not_found") || isTabflowError(err, "invalid_payload")) return problem(404, "not_found", "no such build");
    logger.error({ err, sessionId }, "build download failed");
    return problem(isTabflowError(err, "unavailable") ? 503 : 500, "internal", "the download failed");
  }
}
