import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

/**
 * Sign out as a plain form post (the workspace's Sign out button): it works before the page's
 * scripts have loaded, so the first click always counts. Ends the Better Auth session, clears
 * its cookies and sends the browser to /sign-in. A post from another site is refused.
 */
export async function POST(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  if (origin && host && new URL(origin).host !== host && !getRuntime().config.auth.trustedOrigins.includes(origin)) {
    return new Response("Sign-out refused: the request came from another site.", { status: 403, headers: { "cache-control": "no-store" } });
  }
  const out = new Headers({ location: "/sign-in", "cache-control": "no-store" });
  try {
    const res = await getRuntime().auth.api.signOut({ headers: request.headers, asResponse: true });
    for (const cookie of res.headers.getSetCookie()) out.append("set-cookie", cookie);
  } catch (err) {
    // Already signed out (no session): going to /sign-in is still right.
    getRuntime().logger.debug({ err }, "sign-out without a session");
  }
  return new Response(null, { status: 303, headers: out });
}
