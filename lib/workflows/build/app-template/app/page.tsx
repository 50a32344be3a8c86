import Link from "next/link";
import { getDb } from "../lib/db";
import { q } from "../lib/sql";
import { appSchema } from "../lib/schema";

export const dynamic = "force-dynamic";

export default function Home() {
  const db = getDb();
  return (
    <>
      <h1>{appSchema.name}</h1>
      {appSchema.summary && <p>{appSchema.summary}</p>}
      <ul className="cards">
        {appSchema.entities.map((e) => {
          const { n } = db.prepare(`SELECT count(*) AS n FROM ${q(e.table)}`).get() as { n: number };
          return (
            <li key={e.key}>
              <Link href={`/${e.key}`}>{e.pluralLabel}</Link> <span className="muted">({n})</span>
              {e.description && <p className="muted">{e.description}</p>}
            </li>
          );
        })}
      </ul>
    </>
  );
}
