import { expect, test, type Page } from "@playwright/test";
import { AuthPage, newE2eUser, WorkspacePage } from "./pages/workspace-page.ts";
import { storedUserTexts } from "./pages/server-probe.ts";

/** Each test signs up its own user: counts and titles must not see other specs' sessions. */
test.use({ storageState: { cookies: [], origins: [] } });

/** Test fixture: records browser notifications instead of showing them (the permission is granted when asked). */
async function recordNotifications(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __notes: { title: string; onclick?: () => void }[]; __asked: number; Notification: unknown };
    w.__notes = [];
    w.__asked = 0;
    class RecordedNotification {
      static permission: NotificationPermission = "default";
      static async requestPermission() {
        w.__asked += 1;
        RecordedNotification.permission = "granted";
        return "granted";
      }
      onclick?: () => void;
      constructor(readonly title: string) {
        w.__notes.push(this);
      }
      close() {}
    }
    w.Notification = RecordedNotification;
  });
}
const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: { title: string }[] }).__notes.map((n) => n.title));

async function heading(page: Page): Promise<string> {
  return (await page.getByRole("region", { name: "Session details" }).getByRole("heading", { level: 2 }).first().textContent())!.trim();
}

test("tabs say which session needs you; a background Build that finishes is counted in the title and notified once", async ({ page }) => {
  await recordNotifications(page);
  const workspace = new WorkspacePage(page);
  await new AuthPage(page).signUp(newE2eUser("attention"));
  await workspace.open();
  // A Generator told too little asks a question: it needs you.
  const asker = await workspace.startSession("Generator");
  await expect(workspace.selectedTab).toHaveAccessibleName(/Needs you/);
  await workspace.send("hello");
  await expect(workspace.messages.getByRole("listitem").filter({ hasText: /\?/ }).last()).toBeVisible();
  await expect(workspace.selectedTab).toHaveAccessibleName(/Needs you/);
  const generator = await workspace.startSession("Generator");

  // Notifications: never asked on load, asked when the button is pressed.
  expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);
  await page.getByRole("button", { name: "Turn on notifications" }).click();
  await expect(page.getByRole("button", { name: "Turn off notifications" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);

  await workspace.send("A book club app where members track books they read with a title, author and rating.");
  await workspace.artifact("App spec").getByRole("button", { name: "Start Build" }).click();
  await expect(workspace.selectedTab).toHaveAccessibleName(/^Build: .*(Running|Queued)/);
  const build = workspace.shownSessionId();
  // The Generator that answered with a spec waits for nobody; the one that asked, off screen,
  // waits for the user: the title counts it.
  await expect(workspace.tabFor(generator)).toHaveAccessibleName(/Idle/);
  await expect(workspace.tabFor(asker)).toHaveAccessibleName(/Needs you/);
  await expect(page).toHaveTitle(/^\(1\) /);
  await expect(page.locator('link[rel="icon"][data-dot="true"]')).toHaveCount(1);

  // To the Generator that asked: the Build runs in the background, then finishes unseen.
  await workspace.tabFor(asker).click();
  await expect(page).not.toHaveTitle(/^\(/);
  await workspace.openCompleted();
  await expect(workspace.completedEntry(build)).toHaveAccessibleName(/Finished.*new message/, { timeout: 60_000 });
  await expect(page).toHaveTitle(/^\(1\) /);
  await expect.poll(() => notes(page)).toEqual([expect.stringMatching(/^Build: .*Finished$/)]);

  // Its click opens that session; seen, it leaves the count.
  await page.evaluate(() => (window as unknown as { __notes: { onclick: () => void }[] }).__notes[0]!.onclick());
  await expect(page).toHaveURL(new RegExp(`session=${build}`));
  // Seen, the Build leaves the count: what is left is the Generator waiting off screen.
  await expect(page).toHaveTitle(/^\(1\) Build: /);
  await workspace.tabFor(asker).click();
  await expect(page).not.toHaveTitle(/^\(/);
  await expect(page.locator('link[rel="icon"][data-dot="false"]')).toHaveCount(1);
  expect(await notes(page), "one notification per event, none for the session on screen").toHaveLength(1);

  await page.getByRole("button", { name: "Turn off notifications" }).click();
  await expect(page.getByRole("button", { name: "Turn on notifications" })).toBeVisible();
});

test("Mark unread keeps a session unread, across a reload, until it is shown again", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await new AuthPage(page).signUp(newE2eUser("unread"));
  await workspace.open();
  const a = await workspace.startSession("Generator");
  const b = await workspace.startSession("Generator");
  await workspace.tabFor(a).click();
  await expect(workspace.messages.getByRole("listitem").first()).toBeVisible();
  await page.getByRole("button", { name: "Mark unread" }).click();
  await workspace.tabFor(b).click();
  await expect(workspace.tabFor(a)).toHaveAccessibleName(/Needs you.*1 new message/);
  await page.reload();
  await workspace.open();
  await expect(workspace.tabFor(a)).toHaveAccessibleName(/1 new message/);
  await workspace.tabFor(a).click();
  await workspace.tabFor(b).click();
  await expect(workspace.tabFor(a)).not.toHaveAccessibleName(/new message/);
});

test("two sessions side by side, each live; the URL keeps both; Close pane returns to one", async ({ page, context }) => {
  const workspace = new WorkspacePage(page);
  await new AuthPage(page).signUp(newE2eUser("beside"));
  await workspace.open();
  const a = await workspace.startSession("Generator");
  await workspace.send("A beekeeping log with hives, inspections and harvests.");
  await expect(workspace.selectedTab).not.toHaveAccessibleName(/^Generator/);
  const titleA = await heading(page);
  const b = await workspace.startSession("Generator");
  await workspace.send("A recipe sharing app with recipes, ingredients and ratings.");
  await expect(workspace.selectedTab).not.toHaveAccessibleName(/^Generator/);
  const titleB = await heading(page);

  await page.getByRole("button", { name: "Open beside" }).click();
  const left = page.getByRole("region", { name: titleA, exact: true });
  const right = page.getByRole("region", { name: titleB, exact: true });
  await expect(left).toBeVisible();
  await expect(right).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`session=${a}&beside=${b}`));
  for (const pane of [left, right]) {
    await expect(pane.getByRole("log", { name: "Messages" })).toBeVisible();
    await expect(pane.getByRole("textbox", { name: "Message" })).toBeEnabled();
  }

  // Each pane is live and sends to its own session.
  await right.getByRole("textbox", { name: "Message" }).fill("Add a cooking time to recipes.");
  await right.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(right.getByRole("log", { name: "Messages" }).getByText("Add a cooking time to recipes.", { exact: true })).toHaveCount(1);
  await expect(left.getByRole("log", { name: "Messages" }).getByText("Add a cooking time to recipes.", { exact: true })).toHaveCount(0);
  await expect.poll(() => storedUserTexts(context, new URL(page.url()).origin, b)).toContain("Add a cooking time to recipes.");

  await page.reload();
  await expect(page.getByRole("region", { name: titleA, exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: titleB, exact: true })).toBeVisible();

  await right.getByRole("button", { name: "Close pane" }).click();
  await expect(page.getByRole("region", { name: titleB, exact: true })).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`session=${a}$`));

  // Alt+B keeps the shown session beside the one shown before it.
  await page.keyboard.press("Alt+B");
  await expect(page).toHaveURL(new RegExp(`session=${b}&beside=${a}`));
});
