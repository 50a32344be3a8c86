import { checkHealth } from "@/lib/health.ts";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { httpStatus, body } = await checkHealth(getRuntime().store, getRuntime().cluster);
  return Response.json(body, { status: httpStatus, headers: { "cache-control": "no-store" } });
}
