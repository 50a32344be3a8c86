import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { WorkspacePage } from "./pages/workspace-page.ts";

/** The shown session's title, from the session header. */
async function shownTitle(page: Page): Promise<string> {
  const heading = page.getByRole("region", { name: "Session details" }).getByRole("heading", { level: 2 });
  await expect(heading).not.toHaveText("Generator");
  return (await heading.textContent())!.trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("the quick switcher finds sessions by title and by what I wrote, and Alt+N walks the sessions that need me", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  await workspace.open();
  // A word only this run uses, so sessions of other specs never match it.
  const word = `zephyr${randomBytes(3).toString("hex")}`;

  const bees = await workspace.startSession("Generator");
  await workspace.send("A beekeeping log where I record hive inspections with a date and notes.");
  await expect(workspace.artifact("App spec")).toBeVisible();
  const beesTitle = await shownTitle(page);

  const recipes = await workspace.startSession("Generator");
  await workspace.send(`A recipe box where I keep my grandmother's recipes with ingredients and steps, tagged ${word}.`);
  await expect(workspace.artifact("App spec")).toBeVisible();
  const recipesTitle = await shownTitle(page);

  const dialog = page.getByRole("dialog", { name: "Go to session" });
  const search = dialog.getByRole("combobox", { name: "Search sessions" });

  // Ctrl+K, a prefix of a title word, Enter.
  await page.keyboard.press("Control+k");
  await expect(dialog).toBeVisible();
  await expect(search).toBeFocused();
  await expect(dialog.getByText("Alt+N: next session that needs you")).toBeVisible();
  await search.fill("beek");
  await expect(dialog.getByRole("option").first()).toHaveAccessibleName(new RegExp(`^${escape(beesTitle)}`));
  await search.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`session=${bees}$`));

  // The button, and a word that is only in one of my messages.
  await page.getByRole("button", { name: /^Go to session/ }).click();
  await expect(dialog).toBeVisible();
  await search.fill(word.slice(0, 9));
  const options = dialog.getByRole("option");
  await expect(options).toHaveCount(1);
  await expect(options.first()).toHaveAccessibleName(new RegExp(`^${escape(recipesTitle)}.*your messages`));
  // Nothing found: no option, a sentence saying so.
  await search.fill(`${word}nothing`);
  await expect(options).toHaveCount(0);
  await expect(dialog.getByText(/No session matches/)).toBeVisible();
  // Arrow keys move the highlight among several results; Escape closes without switching.
  await search.fill("");
  await expect.poll(() => options.count()).toBeGreaterThan(1);
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
  await search.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "false");
  await search.press("ArrowUp");
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`session=${bees}$`));

  // Generators that answered with a spec need nobody; two that asked a question need me. Alt+N
  // goes to the next session that needs me, never to one that does not, and comes back around.
  const askers: string[] = [];
  for (let i = 0; i < 2; i++) {
    askers.push(await workspace.startSession("Generator"));
    await workspace.send("hello");
    await expect(workspace.selectedTab).toHaveAccessibleName(/Needs you/);
  }
  await workspace.tabFor(bees).click();
  await expect(page).toHaveURL(new RegExp(`session=${bees}$`));
  const visited: string[] = [];
  for (let i = 0; i < 40; i++) {
    const before = workspace.shownSessionId();
    await page.keyboard.press("Alt+n");
    await expect.poll(() => workspace.shownSessionId()).not.toBe(before);
    const now = workspace.shownSessionId();
    if (visited.includes(now)) break;
    visited.push(now);
  }
  expect(visited).toEqual(expect.arrayContaining(askers));
  expect(visited, "a session that needs nobody is skipped").not.toContain(bees);
  expect(visited).not.toContain(recipes);
});

test("an artifact keeps every version: step back, read the changes, restore, and follow a Build to the version it built", async ({ page }) => {
  test.setTimeout(120_000);
  const workspace = new WorkspacePage(page);
  await workspace.open();
  const gen = await workspace.startSession("Generator");
  const spec = workspace.artifact("App spec");
  await workspace.send("A beekeeping log where I record hive inspections with a date and notes.");
  await expect(spec.getByText("Version 1 of 1")).toBeVisible();
  await workspace.send("add a temperament field to Inspection");
  await expect(spec.getByText("Version 2 of 2")).toBeVisible();
  await workspace.send("add a weight field to Inspection");
  await expect(spec.getByText("Version 3 of 3")).toBeVisible();
  await expect(spec.getByText(/^weight/)).toBeVisible();
  await expect(spec.getByRole("button", { name: "Next version" })).toBeDisabled();

  // Version 2: its state, what changed from version 1, and Restore.
  await spec.getByRole("button", { name: "Previous version" }).click();
  await expect(spec.getByText("Version 2 of 3")).toBeVisible();
  const changes = spec.getByRole("region", { name: "Changes" });
  await expect(changes).toContainText("Added field temperament");
  await expect(changes).not.toContainText("{");
  await expect(spec.getByText(/^weight/)).toHaveCount(0);
  await spec.getByRole("button", { name: "Previous version" }).click();
  await expect(spec.getByText("Version 1 of 3")).toBeVisible();
  await expect(spec.getByRole("button", { name: "Previous version" })).toBeDisabled();
  await spec.getByRole("button", { name: "Next version" }).click();
  await expect(spec.getByText("Version 2 of 3")).toBeVisible();
  await spec.getByRole("button", { name: "Restore this version" }).click();
  // Restoring made a new version; history keeps all four.
  await expect(spec.getByText("Version 4 of 4")).toBeVisible();
  await expect(spec.getByRole("region", { name: "Changes" })).toHaveCount(0);
  await expect(spec.getByText(/^temperament/)).toBeVisible();
  await expect(spec.getByText(/^weight/)).toHaveCount(0);

  // A Build of version 4 says which version it built.
  await spec.getByRole("button", { name: "Start Build" }).click();
  await expect(workspace.selectedTab).toHaveAccessibleName(/^Build: /);
  const build = workspace.shownSessionId();
  const buildTitle = await shownTitle(page);
  await expect(workspace.artifact("App spec").getByText("This build used version 4 of the spec.")).toBeVisible();

  // The Generator moves on to version 5; version 4 lists the Build, with its live state.
  await workspace.tabFor(gen).click();
  await expect(page).toHaveURL(new RegExp(`session=${gen}$`));
  await workspace.send("add a colour field to Inspection");
  await expect(spec.getByText("Version 5 of 5")).toBeVisible();
  await spec.getByRole("button", { name: "Previous version" }).click();
  await expect(spec.getByText("Version 4 of 5")).toBeVisible();
  const builds = spec.getByRole("listitem").filter({ has: page.getByRole("button", { name: buildTitle, exact: true }) });
  await expect(builds).toContainText(/Running|Finished|Failed|Stopped/);
  await builds.getByRole("button", { name: buildTitle, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`session=${build}$`));

  // From the Build back to the exact version it built.
  await workspace.artifact("App spec").getByRole("button", { name: "Open the spec this build used" }).click();
  await expect(page).toHaveURL(new RegExp(`session=${gen}$`));
  await expect(spec.getByText("Version 4 of 5")).toBeVisible();
  await expect(spec.getByRole("region", { name: "Changes" })).toContainText(/Added field temperament|Removed field weight/);
});
