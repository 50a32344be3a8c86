import path from "node:path";
import { expect, test } from "@playwright/test";
import { openDatabase } from "../lib/db/client.ts";
import { readFileSync } from "node:fs";
import { createStore } from "../lib/store/index.ts";
import { WorkspacePage } from "./pages/workspace-page.ts";

/** Long histories (virtualized, loaded in pages) open at their newest message, switched to or not. */
test("switching to a long session shows its newest message", async ({ page }) => {
  // Seeded straight into the e2e server's database (SQLite in WAL mode takes a second writer).
  const database = await openDatabase({ provider: "sqlite", file: path.join(process.env.E2E_DATA_DIR!, "tabflow.db") });
  const store = createStore(database);
  // The sessions belong to the user the specs run as (signed up by e2e/auth.setup.ts).
  const { userId } = JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, "e2e-user.json"), "utf8")) as { userId: string };
  const scope = await store.getAccountScope(userId);
  const ids: string[] = [];
  try {
    for (const name of ["Long A", "Long B"]) {
      const s = await store.createWorkflowSession(scope, { workflowName: "generator", title: name });
      for (let m = 1; m <= 450; m++) await store.appendMessage(scope, s.id, { role: m % 2 ? "user" : "agent", kind: "text", content: { text: `${name} message ${m}` } });
      ids.push(s.id);
    }
  } finally {
    await database.close();
  }
  const workspace = new WorkspacePage(page);
  await workspace.open(`/?session=${ids[0]}`);
  await expect(workspace.messages.getByText("Long A message 450", { exact: true })).toBeVisible();
  await workspace.tabFor(ids[1]!).click();
  await expect(workspace.messages.getByText("Long B message 450", { exact: true })).toBeVisible();
  await workspace.tabFor(ids[0]!).click();
  await expect(workspace.messages.getByText("Long A message 450", { exact: true })).toBeVisible();
  // Earlier messages are one button away, and the whole history is reachable from there.
  await expect(workspace.messages.getByText("Long A message 300", { exact: true })).toHaveCount(0);
  await workspace.messages.getByRole("button", { name: /Show \d+ earlier messages/ }).click();
  await expect(workspace.messages.getByText("Long A message 391", { exact: true })).toBeVisible();
  await workspace.messages.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(workspace.messages.getByText("Long A message 1", { exact: true })).toBeVisible();
});
