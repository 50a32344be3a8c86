import { expect, test } from "@playwright/test";
import { AuthPage, newE2eUser, WorkspacePage } from "./pages/workspace-page.ts";

/** Accounts: these tests start signed out (no stored session). */
test.use({ storageState: { cookies: [], origins: [] } });

test("a signed-out visit to the workspace goes to Sign in, which links to Sign up", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByRole("link", { name: /Sign up/ }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();
  await page.getByRole("link", { name: /Sign in/ }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("sign up, work, sign out, sign in again: the same sessions; a second account sees none of them", async ({ page, browser }) => {
  const cspViolations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
  const auth = new AuthPage(page);
  const workspace = new WorkspacePage(page);
  const owner = await auth.signUp(newE2eUser("owner"));
  await workspace.open();
  const first = await workspace.startSession("Generator");
  await workspace.send("A reading list app where I track books with a title and author.");
  await expect(workspace.artifact("App spec")).toBeVisible();
  const second = await workspace.startSession("Generator");

  await workspace.signOut();
  await page.goto("/");
  await expect(page, "signed out, the workspace is not shown").toHaveURL(/\/sign-in$/);

  // Wrong password: a clear error, still signed out.
  await auth.signIn({ ...owner, password: "not-the-password" });
  await expect(auth.alert).toHaveText(/Wrong email or password/);
  await expect(page).toHaveURL(/\/sign-in$/);

  await auth.signIn(owner);
  await expect(workspace.sessions).toBeVisible();
  await workspace.open();
  await expect(workspace.tabFor(first)).toBeVisible();
  await expect(workspace.tabFor(second)).toBeVisible();
  await workspace.tabFor(first).click();
  await expect(workspace.messages.getByText("A reading list app where I track books with a title and author.", { exact: true })).toBeVisible();
  await expect(workspace.artifact("App spec")).toBeVisible();

  // Another account, in another browser context: an empty workspace, and the owner's ids are not found.
  const otherContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const otherPage = await otherContext.newPage();
    await new AuthPage(otherPage).signUp(newE2eUser("other"));
    const other = new WorkspacePage(otherPage);
    await other.open(`/?session=${first}`);
    await expect(other.sessions.getByRole("tab")).toHaveCount(0);
    await expect(other.messages.getByText("A reading list app", { exact: false })).toHaveCount(0);
    await expect(otherPage.getByText(/A reading list app|Reading List/)).toHaveCount(0);
  } finally {
    await otherContext.close();
  }
  expect(cspViolations, "the page runs under its Content-Security-Policy").toEqual([]);
});

test("signing up with an email that has an account reveals nothing; its owner just gets in", async ({ page }) => {
  const auth = new AuthPage(page);
  const user = newE2eUser("twice");
  await auth.signUp(user);
  await new WorkspacePage(page).signOut();
  // Someone else tries the same email: the same neutral words a failed sign-in after any sign-up gets.
  await page.goto("/sign-up");
  await auth.email.fill(user.email);
  await auth.password.fill(`${user.password}-not-theirs`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(auth.alert).toHaveText(/If this email could be used, your account is ready/);
  await expect(auth.alert).not.toHaveText(/already exists/i);
  await expect(page).toHaveURL(/\/sign-up$/);
  // The owner signing up again with their password is simply signed in.
  await auth.password.fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/($|\?)/);
});
