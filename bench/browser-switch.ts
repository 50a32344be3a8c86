/**
 * Browser tab switch: 10 sessions × 1,000 messages vs 10 sessions × 10 messages, 200 random
 * switches each, timed inside the page from the click to the painted frame that shows the
 * session's newest message. Needs a production build (`npm run build`) and Chromium.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchChromium, signUpInBrowser, startApp } from "../scripts/app-process.ts";
import { openDatabase } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createStore } from "../lib/store/index.ts";
import { round, summarize, type Summary } from "./stats.ts";


export async function browserSwitch(switches = 200): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-bench-browser-"));
  const file = path.join(dataDir, "tabflow.db");
  await migrate({ provider: "sqlite", file });
  const { base, server } = await startApp(3280, { DATA_DIR: dataDir });
  try {
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The sessions belong to a signed-up user; they are seeded beside the running server
    // (SQLite in WAL mode takes a second writer).
    const { userId } = await signUpInBrowser(page, base);
    const database = await openDatabase({ provider: "sqlite", file });
    const store = createStore(database);
    const scope = await store.getAccountScope(userId);
    const groups: Record<string, { id: string; newest: string }[]> = { long: [], short: [] };
    for (const [group, count] of [["long", 1000], ["short", 10]] as const) {
      for (let i = 0; i < 10; i++) {
        const s = await store.createWorkflowSession(scope, { workflowName: "generator", title: `${group} ${i}` });
        let newest = "";
        for (let m = 1; m <= count; m++) {
          newest = `${group}-${i} message ${m}`;
          await store.appendMessage(scope, s.id, { role: m % 2 ? "user" : "agent", kind: "text", content: { text: newest } });
        }
        groups[group]!.push({ id: s.id, newest });
      }
    }
    await database.close();
    await page.goto(base);
    await page.getByRole("tab").nth(19).waitFor();
    await page.evaluate(`window.__tabflowMeasure = ${MEASURE_SOURCE}`);
    const measure = (target: { id: string; newest: string }) =>
      page.evaluate((t) => (window as unknown as { __tabflowMeasure(x: unknown): Promise<number> }).__tabflowMeasure(t), target);
    const out: Record<string, Summary> = {};
    for (const group of ["short", "long"] as const) {
      const sessions = groups[group]!;
      // Every tab shown once first: switching then is the cached path the product promises.
      for (const s of sessions) await measure(s);
      const times: number[] = [];
      let last = "";
      for (let i = 0; i < switches; i++) {
        let next = sessions[Math.floor(Math.random() * sessions.length)]!;
        if (next.id === last) next = sessions[(sessions.indexOf(next) + 1) % sessions.length]!;
        times.push(await measure(next));
        last = next.id;
      }
      out[group] = summarize(times);
    }
    await browser.close();
    return {
      shortSessions: out.short,
      longSessions: out.long,
      p95RatioLongVsShort: round(out.long!.p95 / out.short!.p95),
    };
  } finally {
    server.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs in the page: click the tab, wait for a frame showing the newest message, then for that
 * frame's paint. Kept as source text: tsx would add helpers to a compiled function that do not
 * exist in the page.
 */
const MEASURE_SOURCE = `async (target) => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const shows = () => document.querySelector('[role="log"]')?.textContent?.includes(target.newest) ?? false;
  const t0 = performance.now();
  document.getElementById("tab-" + target.id).click();
  while (!shows()) {
    await frame();
    if (performance.now() - t0 > 10000) throw new Error("session " + target.id + " never showed " + target.newest);
  }
  await frame();
  return performance.now() - t0;
}`;
