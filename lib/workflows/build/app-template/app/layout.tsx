import type { ReactNode } from "react";
import Link from "next/link";
import { appSchema } from "../lib/schema";
import "./globals.css";

export const metadata = { title: appSchema.name, description: appSchema.summary.slice(0, 300) };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">{appSchema.name}</Link>
          <nav aria-label="Main">
            <ul>
              {appSchema.entities.map((e) => (
                <li key={e.key}><Link href={`/${e.key}`}>{e.pluralLabel}</Link></li>
              ))}
            </ul>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
