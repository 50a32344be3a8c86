/**
 * `npm run screenshot`: regenerates docs/workspace.png for the README: a fresh server, a
 * Generator that asked a question (its tab says "Needs you"), a Generator with its App spec,
 * and the Build it started, shown mid-run, with the quick switcher (Ctrl+K) open over it.
 * Needs a production build (`npm run build`) and Chromium (as for the end-to-end tests).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, signUpInBrowser, startApp } from "./app-process.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.SCREENSHOT_PORT ?? 3270);
const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-screenshot-"));
const { base, server } = await startApp(port, { DATA_DIR: dataDir, BUILD_PACE_MS: "400" }, "inherit");

try {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await signUpInBrowser(page, base);
  // A Generator told too little asks a question: its tab then says it needs you.
  await page.getByRole("button", { name: "New session" }).click();
  await page.getByRole("button", { name: "Generator", exact: true }).click();
  const first = page.getByRole("textbox", { name: "Message" });
  await first.fill("Hi! Can you help me?");
  await first.press("Enter");
  await page.getByRole("tab", { name: /Needs you/ }).waitFor({ timeout: 30_000 });
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
  await page.keyboard.press("Control+K");
  await page.getByRole("dialog", { name: "Go to session" }).waitFor();
  await page.getByRole("combobox", { name: "Search sessions" }).or(page.getByRole("searchbox", { name: "Search sessions" })).fill("rec");
  await page.getByRole("option").first().waitFor({ timeout: 10_000 });
  const out = path.join(root, "docs", "workspace.png");
  await page.screenshot({ path: out });
  await browser.close();
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
