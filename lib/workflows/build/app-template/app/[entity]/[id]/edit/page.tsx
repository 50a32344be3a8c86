import { notFound } from "next/navigation";
import { saveRecord } from "../../../actions";
import { RecordForm } from "../../../../components/record-form";
import { getDb } from "../../../../lib/db";
import { formValuesOf } from "../../../../lib/form-input";
import { choices, getRecord, labelOf } from "../../../../lib/records";
import { appSchema, entityByKey } from "../../../../lib/schema";
import { targetOf } from "../../../../lib/sql";

export const dynamic = "force-dynamic";

export default async function EditPage({ params }: { params: Promise<{ entity: string; id: string }> }) {
  const p = await params;
  const entity = entityByKey(p.entity);
  const db = getDb();
  const row = entity && /^\d+$/.test(p.id) ? getRecord(db, entity, Number(p.id)) : undefined;
  if (!entity || !row) notFound();
  const options: Record<string, { id: number; label: string }[]> = {};
  for (const f of entity.fields) if (f.type === "reference") options[f.key] = choices(db, targetOf(appSchema, f));
  return (
    <>
      <h1>Edit {labelOf(entity, row)}</h1>
      <RecordForm entity={entity} choices={options} initial={formValuesOf(entity, row)} submitLabel="Save" action={saveRecord.bind(null, entity.key, row.id)} />
    </>
  );
}
