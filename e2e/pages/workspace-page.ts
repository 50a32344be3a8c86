import { expect, type Locator, type Page } from "@playwright/test";

/** The workspace as a user sees it, found only through the accessibility contract (DESIGN.md). */
export class WorkspacePage {
  readonly sessions: Locator;

  constructor(readonly page: Page) {
    this.sessions = page.getByRole("tablist", { name: "Sessions" });
  }

  async open(): Promise<void> {
    await this.page.goto("/");
    await expect(this.sessions).toBeVisible();
  }
}
