/** The request's JSON object body, or undefined when it is not one. */
export async function jsonBody(request: Request): Promise<Record<string, unknown> | undefined> {
  const text = await request.text().catch(() => "");
  if (text.length > 1_000_000) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
