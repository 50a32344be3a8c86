import { getDb } from "../../../lib/db";
import { createRecord, getRecord, listRecords, toJson } from "../../../lib/records";
import { entityByKey } from "../../../lib/schema";
import { jsonBody } from "../../../lib/api";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ entity: string }> };

export async function GET(request: Request, ctx: Ctx) {
  const entity = entityByKey((await ctx.params).entity);
  if (!entity) return Response.json({ error: "unknown entity" }, { status: 404 });
  const url = new URL(request.url);
  const rows = listRecords(getDb(), entity, { search: url.searchParams.get("q") ?? undefined, sort: url.searchParams.get("sort") ?? undefined, dir: url.searchParams.get("dir") === "desc" ? "desc" : "asc" });
  return Response.json({ items: rows.map(toJson) });
}

export async function POST(request: Request, ctx: Ctx) {
  const entity = entityByKey((await ctx.params).entity);
  if (!entity) return Response.json({ error: "unknown entity" }, { status: 404 });
  const body = await jsonBody(request);
  if (!body) return Response.json({ error: "send a JSON object" }, { status: 400 });
  const db = getDb();
  const result = createRecord(db, entity, body);
  if (!result.ok) return Response.json({ errors: result.errors }, { status: 400 });
  return Response.json(toJson(getRecord(db, entity, result.id)!), { status: 201 });
}
