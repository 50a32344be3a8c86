import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "../../lib/db";
import { formatValue, lowerFirst } from "../../lib/format";
import { choices, listRecords } from "../../lib/records";
import { entityByKey } from "../../lib/schema";
import { targetOf } from "../../lib/sql";
import { appSchema } from "../../lib/schema";

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

export default async function ListPage({ params, searchParams }: { params: Promise<{ entity: string }>; searchParams: Promise<Search> }) {
  const entity = entityByKey((await params).entity);
  if (!entity) notFound();
  const sp = await searchParams;
  const search = typeof sp.q === "string" ? sp.q : "";
  const sort = typeof sp.sort === "string" ? sp.sort : undefined;
  const dir = sp.dir === "desc" ? "desc" : "asc";
  const db = getDb();
  const rows = listRecords(db, entity, { search, sort, dir });
  const shown = entity.fields.filter((f) => !f.many && f.type !== "text").slice(0, 6);
  const labels = new Map<string, Map<number, string>>();
  for (const f of shown) if (f.type === "reference") labels.set(f.key, new Map(choices(db, targetOf(appSchema, f)).map((c) => [c.id, c.label])));
  const sortHref = (key: string) => {
    const next = new URLSearchParams();
    if (search) next.set("q", search);
    next.set("sort", key);
    next.set("dir", sort === key && dir === "asc" ? "desc" : "asc");
    return `/${entity.key}?${next.toString()}`;
  };
  return (
    <>
      <h1>{entity.pluralLabel}</h1>
      {entity.description && <p className="muted">{entity.description}</p>}
      <div className="toolbar">
        <form role="search" method="get" action={`/${entity.key}`}>
          <label htmlFor="search">Search {lowerFirst(entity.pluralLabel)}</label>{" "}
          <input id="search" name="q" type="search" defaultValue={search} />
          {sort && <input type="hidden" name="sort" value={sort} />}
          {sort && <input type="hidden" name="dir" value={dir} />}{" "}
          <button type="submit">Search</button>
        </form>
        <Link className="button" href={`/${entity.key}/new`}>New {lowerFirst(entity.label)}</Link>
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            {shown.map((f) => (
              <th scope="col" key={f.key} aria-sort={sort === f.key ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                <Link href={sortHref(f.key)}>{f.label}</Link>
                {sort === f.key ? (dir === "asc" ? " ▲" : " ▼") : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td><Link href={`/${entity.key}/${row.id}`} aria-label={`${entity.label} ${row.id}`}>{row.id}</Link></td>
              {shown.map((f, i) => {
                const v = row.values[f.key] ?? null;
                const text = f.type === "reference" && typeof v === "number" ? labels.get(f.key)?.get(v) ?? `#${v}` : formatValue(f, v);
                return <td key={f.key}>{i === 0 ? <Link href={`/${entity.key}/${row.id}`}>{text}</Link> : text}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>{search ? `No ${lowerFirst(entity.pluralLabel)} match "${search}".` : `No ${lowerFirst(entity.pluralLabel)} yet.`}</p>}
    </>
  );
}
