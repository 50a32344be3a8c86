import { expect, test } from "@playwright/test";
import { WorkspacePage } from "./pages/workspace-page.ts";

const RECIPE_APP = "A recipe sharing app where users post recipes with ingredients and steps, and others comment on them.";

test("describe an app, build it, download the result, then come back to the spec", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();

  // Start a Generator session and describe the app.
  const generatorId = await workspace.startSession("Generator");
  await workspace.send(RECIPE_APP);
  const spec = workspace.artifact("App spec");
  await expect(spec).toBeVisible();
  const startBuild = spec.getByRole("button", { name: "Start Build" });
  await expect(startBuild).toBeEnabled();

  // Start Build: a Build tab opens and is shown; the Generator stays open.
  await startBuild.click();
  await expect(workspace.selectedTab).toHaveAccessibleName(/^Build: .*Build/);
  const buildId = workspace.shownSessionId();
  expect(buildId).not.toBe(generatorId);
  await expect(workspace.tabFor(generatorId)).toHaveAccessibleName(/^Recipe Sharing App.*Generator.*In progress/);
  await expect(page.getByRole("link", { name: /^From Recipe Sharing App/ })).toBeVisible();

  // The build runs and reports progress, then finishes with a downloadable report.
  await expect(workspace.artifacts.getByRole("progressbar")).toBeVisible();
  const report = workspace.artifact("Build report");
  await expect(report).toBeVisible({ timeout: 45_000 });
  await expect(workspace.selectedTab).toHaveAccessibleName(/Completed/);
  const download = report.getByRole("link", { name: "Download" });
  const href = await download.getAttribute("href");
  expect(href).toBeTruthy();
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);

  // Back to the Generator: its history is still there.
  await workspace.tabFor(generatorId).click();
  await expect(workspace.selectedTab).toHaveAccessibleName(/^Recipe Sharing App.*Generator.*In progress/);
  await expect(workspace.messages.getByText(RECIPE_APP, { exact: true })).toBeVisible();
  await expect(workspace.artifact("App spec")).toBeVisible();
  // The completed build left the tabs and is listed under Completed.
  await expect(workspace.tabFor(buildId)).toHaveCount(0);
  await workspace.openCompleted();
  await expect(workspace.completedEntry(buildId)).toHaveAccessibleName(/^Build: .*Completed/);

  // Reload: the same session is shown again and replays its history.
  await page.reload();
  await expect(workspace.sessions).toBeVisible();
  await expect(workspace.tabFor(generatorId)).toHaveAttribute("aria-selected", "true");
  await expect(workspace.messages.getByText(RECIPE_APP, { exact: true })).toBeVisible();
  await expect(workspace.artifact("App spec")).toBeVisible();

  // The build can be reopened from the Completed list and replays too.
  await workspace.openCompleted();
  await workspace.completedEntry(buildId).click();
  await expect(workspace.artifact("Build report")).toBeVisible();
  await expect(workspace.messageBox).toBeDisabled();
  await expect(page.getByText("This session is completed", { exact: false })).toBeVisible();

  // Back goes to the Generator again.
  await page.goBack();
  await expect(workspace.tabFor(generatorId)).toHaveAttribute("aria-selected", "true");
});

test("a message sent in one window appears once in another showing the same session", async ({ context }) => {
  const first = new WorkspacePage(await context.newPage());
  await first.open();
  const id = await first.startSession("Generator");

  const second = new WorkspacePage(await context.newPage());
  await second.open(`/?session=${id}`);
  await expect(second.tabFor(id)).toHaveAttribute("aria-selected", "true");

  const text = `Hello from the first window ${Date.now()}`;
  await first.send(text);
  await expect(second.messages.getByText(text, { exact: true })).toHaveCount(1);
  await expect(first.messages.getByText(text, { exact: true })).toHaveCount(1);
});

test("complete and archive a session", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  const other = await workspace.startSession("Generator");
  const id = await workspace.startSession("Generator");

  // Complete it: it is marked Completed and read-only, and leaves the tabs once we switch away.
  await page.getByRole("button", { name: "Complete session" }).click();
  await page.getByRole("button", { name: "Yes, complete" }).click();
  await expect(workspace.tabFor(id)).toHaveAccessibleName(/Completed/);
  await expect(workspace.messageBox).toBeDisabled();
  await workspace.tabFor(other).click();
  await expect(workspace.tabFor(id)).toHaveCount(0);
  await workspace.openCompleted();
  await expect(workspace.completedEntry(id)).toHaveAccessibleName(/Completed/);

  // Open it from the list and archive it.
  await workspace.completedEntry(id).click();
  await expect(page).toHaveURL(new RegExp(`session=${id}$`));
  const details = page.getByRole("region", { name: "Session details" });
  await expect(details.getByText("Completed", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Archive session" }).click();
  await page.getByRole("button", { name: "Yes, archive" }).click();
  await expect(workspace.tabFor(id)).toHaveCount(0);
  await expect(page).not.toHaveURL(new RegExp(`session=${id}$`));
  await workspace.openCompleted();
  await expect(workspace.completedEntry(id)).toHaveCount(0);

  // Show archived reveals it, and it can be unarchived (back under Completed).
  await expect(workspace.archivedList).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Show archived" }).check();
  await expect(workspace.archivedEntry(id)).toBeVisible();
  await workspace.archivedEntry(id).getByRole("button", { name: "Unarchive" }).click();
  await expect(workspace.archivedEntry(id)).toHaveCount(0);
  await workspace.openCompleted();
  await expect(workspace.completedEntry(id)).toBeVisible();
});

test("keyboard only: start a session, send a message, switch tabs with the arrows", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();

  // Tab to "New session" and open the menu with Enter; the first workflow gets focus.
  await page.keyboard.press("Tab");
  for (let i = 0; i < 10 && !(await workspace.newSession.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(workspace.newSession).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Generator", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");

  // The new session is shown and the message box has focus.
  await expect(workspace.messageBox).toBeFocused();
  const id = workspace.shownSessionId();
  await page.keyboard.type("Typed without a mouse");
  await page.keyboard.press("Enter");
  await expect(workspace.messages.getByText("Typed without a mouse", { exact: true })).toBeVisible();

  // Move focus back to the selected tab, then switch with the arrow keys.
  for (let i = 0; i < 20 && !(await workspace.selectedTab.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Shift+Tab");
  await expect(workspace.selectedTab).toBeFocused();
  await expect(workspace.tabFor(id)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowLeft");
  await expect(workspace.tabFor(id)).toHaveAttribute("aria-selected", "false");
  await expect(workspace.selectedTab).toBeFocused();
  await expect(page).not.toHaveURL(new RegExp(`session=${id}$`));
  await page.keyboard.press("ArrowRight");
  await expect(workspace.tabFor(id)).toHaveAttribute("aria-selected", "true");
  await expect(workspace.tabFor(id)).toBeFocused();

  // Alt+1 jumps to the first tab.
  await page.keyboard.press("Alt+1");
  await expect(workspace.sessions.getByRole("tab").first()).toHaveAttribute("aria-selected", "true");
});
