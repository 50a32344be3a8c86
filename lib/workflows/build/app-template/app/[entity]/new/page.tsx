import { notFound } from "next/navigation";
import { saveRecord } from "../../actions";
import { RecordForm } from "../../../components/record-form";
import { getDb } from "../../../lib/db";
import { formValuesOf } from "../../../lib/form-input";
import { choices } from "../../../lib/records";
import { appSchema, entityByKey } from "../../../lib/schema";
import { targetOf } from "../../../lib/sql";
import { lowerFirst } from "../../../lib/format";

export const dynamic = "force-dynamic";

export default async function NewPage({ params }: { params: Promise<{ entity: string }> }) {
  const entity = entityByKey((await params).entity);
  if (!entity) notFound();
  const db = getDb();
  const options: Record<string, { id: number; label: string }[]> = {};
  for (const f of entity.fields) if (f.type === "reference") options[f.key] = choices(db, targetOf(appSchema, f));
  return (
    <>
      <h1>New {lowerFirst(entity.label)}</h1>
      <RecordForm entity={entity} choices={options} initial={formValuesOf(entity)} submitLabel="Create" action={saveRecord.bind(null, entity.key, null)} />
    </>
  );
}
