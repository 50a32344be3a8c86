import { expect, test } from "@playwright/test";
import { WorkspacePage } from "./pages/workspace-page.ts";

test("the workspace loads with its session switcher", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  await expect(page).toHaveTitle(/Tabflow/);
  await expect(workspace.sessions).toHaveAccessibleName("Sessions");
});

test("the health check answers ok", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok" });
});
