/** Features named by a keyword ("with search and reminders"): a sentence and, for some, a page. */
import type { Page } from "./fields.ts";

interface Keyword {
  re: RegExp;
  stem: RegExp;
  feature: (mainPlural: string) => string;
  page?: Page;
}
const KEYWORDS: Keyword[] = [
  { re: /\bsearch/, stem: /search/i, feature: (m) => `Search ${m}`, page: { name: "Search", path: "/search", purpose: "Find anything by keyword" } },
  { re: /\b(?:filter|sort)/, stem: /filter|sort/i, feature: (m) => `Filter and sort ${m}` },
  { re: /\b(?:remind|notif|alert)/, stem: /remind|notif|alert/i, feature: () => "Reminders and notifications" },
  { re: /\bcalendar/, stem: /calendar/i, feature: (m) => `Calendar view of ${m}`, page: { name: "Calendar", path: "/calendar", purpose: "See everything on a calendar" } },
  { re: /\b(?:dashboard|stats|statistics|analytics|charts?|graphs?|reports?|insights|progress)\b/, stem: /dashboard|stat|analytic|chart|graph|report|insight|progress/i, feature: () => "Dashboard with charts and statistics", page: { name: "Dashboard", path: "/dashboard", purpose: "Charts and statistics at a glance" } },
  { re: /\b(?:export|csv)\b/, stem: /export|csv/i, feature: () => "Export data to CSV" },
  { re: /\bdark mode\b/, stem: /dark mode/i, feature: () => "Dark mode" },
  { re: /\b(?:cart|checkout)\b/, stem: /cart|checkout/i, feature: () => "Shopping cart and checkout", page: { name: "Cart", path: "/cart", purpose: "Review items and check out" } },
  { re: /\bmaps?\b/, stem: /\bmap/i, feature: (m) => `Map view of ${m}`, page: { name: "Map", path: "/map", purpose: "See items on a map" } },
  { re: /\boffline\b/, stem: /offline/i, feature: () => "Works offline" },
];

/** Features named by a keyword ("with search and reminders"), unless a clause already covers them. */
export function keywordFeatures(text: string, mainPlural: string, existing: string[]): { features: string[]; pages: Page[] } {
  const lower = text.toLowerCase();
  const features: string[] = [];
  const pages: Page[] = [];
  for (const k of KEYWORDS) {
    if (!k.re.test(lower)) continue;
    // A clause may already say it ("see my progress"); the page is still wanted.
    if (!existing.some((f) => k.stem.test(f))) features.push(k.feature(mainPlural));
    if (k.page) pages.push({ ...k.page });
  }
  return { features, pages };
}

/** The keyword feature (and page) a short request names: "add search", "a calendar". */
export function keywordFeature(phrase: string, mainPlural: string): { feature: string; page?: Page } | null {
  const k = KEYWORDS.find((x) => x.re.test(phrase.toLowerCase()));
  return k ? { feature: k.feature(mainPlural), ...(k.page ? { page: { ...k.page } } : {}) } : null;
}
