import { expect, test } from "@playwright/test";
import { WorkspacePage } from "./pages/workspace-page.ts";

test("stop a running build, then retry it to the end", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  await workspace.startSession("Generator");
  await workspace.send("A book club app where members list books, schedule meetings and write reviews of the books they read.");
  await workspace.artifact("App spec").getByRole("button", { name: "Start Build" }).click();
  await expect(workspace.selectedTab).toHaveAccessibleName(/^Build: .*Running/);

  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const details = page.getByRole("region", { name: "Session details" });
  await expect(details.getByText(/^Stopped/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop", exact: true })).toHaveCount(0);

  const retry = workspace.artifacts.getByRole("button", { name: "Retry build" });
  await expect(retry).toBeEnabled();
  await retry.click();
  await expect(workspace.artifact("Build report")).toBeVisible({ timeout: 45_000 });
  await expect(details.getByText("Completed", { exact: true })).toBeVisible();
});
