/**
 * `npm run screenshot`: regenerates docs/workspace.png for the README: a fresh server, a
 * Generator session with its App spec, and the Build it started, shown mid-run (two tabs,
 * the spec and the progress bar).
 * Needs a production build (`npm run build`) and Chromium (as for the end-to-end tests).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.SCREENSHOT_PORT ?? 3270);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-screenshot-"));
const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
  cwd: root,
  env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn", BUILD_PACE_MS: "400" },
  stdio: "inherit",
});

try {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    if (i > 120) throw new Error("the server did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(base);
  await page.getByRole("button", { name: "New session" }).click();
  await page.getByRole("button", { name: "Generator", exact: true }).click();
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("A recipe sharing app where users post recipes with ingredients, steps and cooking time, and others can comment on them.");
  await box.press("Enter");
  await page.getByRole("button", { name: "Start Build" }).click();
  // The Build tab while it runs, beside the Generator tab it came from.
  const bar = page.getByRole("progressbar");
  await bar.waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow") ?? 0) >= 45, undefined, { timeout: 60_000 });
  const out = path.join(root, "docs", "workspace.png");
  await page.screenshot({ path: out });
  await browser.close();
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
