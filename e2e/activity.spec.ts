import { expect, test } from "@playwright/test";
import { WorkspacePage } from "./pages/workspace-page.ts";

test("a background tab counts new messages until it is shown", async ({ context }) => {
  const watcher = new WorkspacePage(await context.newPage());
  await watcher.open();
  const busy = await watcher.startSession("Generator");
  const quiet = await watcher.startSession("Generator");
  await expect(watcher.tabFor(quiet)).toHaveAttribute("aria-selected", "true");

  // Someone works in the other session from a second window.
  const writer = new WorkspacePage(await context.newPage());
  await writer.open(`/?session=${busy}`);
  await writer.send("Some activity in the background");

  const badge = watcher.tabFor(busy).getByLabel(/^\d+ new messages?$/);
  await expect(badge).toBeVisible();
  await expect(watcher.tabFor(busy)).toHaveAccessibleName(/new message/);

  // Showing it clears the badge and shows the message.
  await watcher.tabFor(busy).click();
  await expect(watcher.messages.getByText("Some activity in the background", { exact: true })).toHaveCount(1);
  await expect(badge).toHaveCount(0);
});

test("a message typed while offline is sent once the connection is back", async ({ context, page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  await workspace.startSession("Generator");

  await context.setOffline(true);
  await expect(page.getByRole("status").filter({ hasText: /Offline|Reconnecting/ })).toBeVisible();
  await workspace.messageBox.fill("Written on the train");
  await workspace.messageBox.press("Enter");
  await expect(workspace.messages.getByText(/Queued/)).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByRole("status").filter({ hasText: "Connected" })).toBeVisible({ timeout: 30_000 });
  await expect(workspace.messages.getByText(/Queued|Sending/)).toHaveCount(0, { timeout: 15_000 });
  await expect(workspace.messages.getByText("Written on the train", { exact: true })).toHaveCount(1);

  // A reload replays it from the server exactly once.
  await page.reload();
  await expect(workspace.messages.getByText("Written on the train", { exact: true })).toHaveCount(1);
});

test("a link to an unknown session says so and shows another session", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  await workspace.startSession("Generator");
  await page.goto("/?session=no-such-session");
  await expect(page.getByRole("alert").filter({ hasText: "Cannot show that session" })).toBeVisible();
  await expect(workspace.selectedTab).toBeVisible();
});
