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

test("a Build running in a background tab counts up its unread badge, and showing it clears the badge", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  const generatorId = await workspace.startSession("Generator");
  await workspace.send("A book club app where members track books they read with a title, author and rating.");
  await workspace.artifact("App spec").getByRole("button", { name: "Start Build" }).click();
  await expect(workspace.selectedTab).toHaveAccessibleName(/^Build: /);
  const buildId = workspace.shownSessionId();

  // Back to the Generator while the build goes on in the background.
  await workspace.tabFor(generatorId).click();
  const badge = workspace.tabFor(buildId).getByLabel(/^\d+ new messages?$/);
  await expect(badge).toBeVisible();
  const count = async () => Number((await badge.getAttribute("aria-label"))?.match(/^\d+/)?.[0] ?? 0);
  const first = await count();
  await expect.poll(count, { message: "the badge counts up while the build runs" }).toBeGreaterThan(first);

  await workspace.tabFor(buildId).click();
  await expect(badge).toHaveCount(0);
  await expect(workspace.messages.getByText(/Planning \d+ files/)).toHaveCount(1);
});
