import { chmodSync, copyFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { WorkspacePage } from "./pages/workspace-page.ts";

/**
 * The live preview in a real browser: Open preview on a finished Build shows the app in a
 * frame of its own origin (Tabflow's CSP must allow it, the preview's must let Tabflow frame
 * it, and the owner's cookie must reach the preview's port), the app is usable (a form creates
 * a row), Open in new tab works, Stop preview stops it. The project folder is replaced by the
 * test fixture tests/fixtures/preview-app until the generated project is a runnable app.
 */
const FIXTURE = path.resolve("tests", "fixtures", "preview-app");

test("open a finished build's live preview, use it, open it in a new tab, stop it", async ({ page, context }) => {
  test.setTimeout(120_000);
  const workspace = new WorkspacePage(page);
  await workspace.open();
  await workspace.startSession("Generator");
  await workspace.send("A team roster app where coaches track players with name, position and jersey number.");
  await workspace.artifact("App spec").getByRole("button", { name: "Start Build" }).click();
  const report = workspace.artifact("Build report");
  await expect(report).toBeVisible({ timeout: 60_000 });

  // The fixture in place of the built project (same folder, same code path).
  const dataDir = process.env.E2E_DATA_DIR!;
  chmodSync(dataDir, 0o755); // the sandbox's unprivileged user must reach the project folder
  const attempt = path.join(dataDir, "builds", workspace.shownSessionId(), "attempt-1");
  const slug = readdirSync(attempt).find((n) => statSync(path.join(attempt, n)).isDirectory())!;
  for (const f of ["package.json", "server.js"]) copyFileSync(path.join(FIXTURE, f), path.join(attempt, slug, f));

  await report.getByRole("button", { name: "Open preview" }).click();
  const preview = report.getByRole("region", { name: "Preview" });
  await expect(preview).toBeVisible({ timeout: 30_000 });
  const frame = page.frameLocator('iframe[title="Preview of the built app"]');
  await expect(frame.getByRole("heading", { name: "Rows" })).toBeVisible();
  await frame.getByRole("textbox", { name: "Name" }).fill("Mia Hamm");
  await frame.getByRole("button", { name: "Create" }).click();
  await expect(frame.getByRole("cell", { name: "Mia Hamm" })).toBeVisible();

  const href = await preview.getByRole("link", { name: "Open in new tab" }).getAttribute("href");
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const tab = await context.newPage();
  await tab.goto(href!);
  await expect(tab.getByRole("cell", { name: "Mia Hamm" })).toBeVisible();
  await tab.close();

  await preview.getByRole("button", { name: "Stop preview" }).click();
  await expect(report.getByRole("button", { name: "Open preview" })).toBeVisible();
  const answer = await page.request.get(href!).catch((err: Error) => err);
  expect(answer instanceof Error, "the stopped preview's port no longer answers").toBe(true);
});
