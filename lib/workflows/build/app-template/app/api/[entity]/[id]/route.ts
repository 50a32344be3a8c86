import { getDb } from "../../../../lib/db";
import { deleteRecord, getRecord, toJson, updateRecord } from "../../../../lib/records";
import { entityByKey } from "../../../../lib/schema";
import { jsonBody } from "../../../../lib/api";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ entity: string; id: string }> };

async function target(ctx: Ctx) {
  const p = await ctx.params;
  const entity = entityByKey(p.entity);
  const id = /^\d+$/.test(p.id) ? Number(p.id) : NaN;
  return { entity, id, row: entity && Number.isSafeInteger(id) ? getRecord(getDb(), entity, id) : undefined };
}

export async function GET(_request: Request, ctx: Ctx) {
  const { row } = await target(ctx);
  return row ? Response.json(toJson(row)) : Response.json({ error: "not found" }, { status: 404 });
}

/** Changes the fields it is sent; the others keep their values. */
export async function PATCH(request: Request, ctx: Ctx) {
  const { entity, row } = await target(ctx);
  if (!entity || !row) return Response.json({ error: "not found" }, { status: 404 });
  const body = await jsonBody(request);
  if (!body) return Response.json({ error: "send a JSON object" }, { status: 400 });
  const merged: Record<string, unknown> = Object.assign(Object.create(null), row.values, body);
  const db = getDb();
  const result = updateRecord(db, entity, row.id, merged);
  if (!result.ok) return Response.json({ errors: result.errors }, { status: 400 });
  return Response.json(toJson(getRecord(db, entity, row.id)!));
}

export async function DELETE(_request: Request, ctx: Ctx) {
  const { entity, row } = await target(ctx);
  if (!entity || !row) return Response.json({ error: "not found" }, { status: 404 });
  const result = deleteRecord(getDb(), entity, row.id);
  if (!result.ok) return Response.json({ error: result.error }, { status: 409 });
  return new Response(null, { status: 204 });
}
