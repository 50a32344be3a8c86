import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { removeRecord } from "../../actions";
import { DeleteButton } from "../../../components/delete-button";
import { getDb } from "../../../lib/db";
import { formatValue } from "../../../lib/format";
import { getRecord, labelOf, referencing } from "../../../lib/records";
import { appSchema, entityByKey, incomingReferences } from "../../../lib/schema";
import { targetOf } from "../../../lib/sql";

export const dynamic = "force-dynamic";

export default async function DetailPage({ params }: { params: Promise<{ entity: string; id: string }> }) {
  const p = await params;
  const entity = entityByKey(p.entity);
  const db = getDb();
  const row = entity && /^\d+$/.test(p.id) ? getRecord(db, entity, Number(p.id)) : undefined;
  if (!entity || !row) notFound();
  const link = (targetKey: string, id: number) => {
    const target = appSchema.entities.find((e) => e.key === targetKey)!;
    const r = getRecord(db, target, id);
    return <Link href={`/${target.key}/${id}`}>{r ? labelOf(target, r) : `#${id}`}</Link>;
  };
  return (
    <>
      <p><Link href={`/${entity.key}`}>← {entity.pluralLabel}</Link></p>
      <h1>{labelOf(entity, row)}</h1>
      <dl>
        {entity.fields.map((f) => {
          const v = row.values[f.key] ?? null;
          let shown: ReactNode = formatValue(f, v);
          if (f.type === "reference" && typeof v === "number") shown = link(targetOf(appSchema, f).key, v);
          if (f.many && Array.isArray(v)) shown = v.length ? <ul>{v.map((id) => <li key={id}>{link(f.references!, id)}</li>)}</ul> : "—";
          return [<dt key={`t-${f.key}`}>{f.label}</dt>, <dd key={`d-${f.key}`}>{shown}</dd>];
        })}
      </dl>
      {incomingReferences(entity).map(({ source, field }) => {
        const rows = referencing(db, source, field, row.id);
        return (
          <section key={`${source.key}-${field.key}`}>
            <h2>{source.pluralLabel} ({field.label})</h2>
            {rows.length ? (
              <ul>{rows.map((r) => <li key={r.id}><Link href={`/${source.key}/${r.id}`}>{labelOf(source, r)}</Link></li>)}</ul>
            ) : (
              <p className="muted">None.</p>
            )}
          </section>
        );
      })}
      <div className="actions">
        <Link className="button" href={`/${entity.key}/${row.id}/edit`}>Edit</Link>
        <DeleteButton action={removeRecord.bind(null, entity.key, row.id)} />
      </div>
    </>
  );
}
