import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page } from "@playwright/test";

export interface E2eUser {
  email: string;
  password: string;
}

export function newE2eUser(label = "e2e"): E2eUser {
  return { email: `${label}-${randomBytes(5).toString("hex")}@example.test`, password: `pw-${randomBytes(9).toString("base64url")}` };
}

/** The Sign up / Sign in pages, through their labelled fields and buttons. */
export class AuthPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    // The form's own alert (Next also renders an empty route announcer with role=alert).
    this.alert = page.locator("form").getByRole("alert");
  }

  /** Creates the account on /sign-up (base: another server's origin) and waits for the workspace. */
  async signUp(user: E2eUser = newE2eUser(), base = ""): Promise<E2eUser> {
    await this.page.goto(`${base}/sign-up`);
    await this.email.fill(user.email);
    await this.password.fill(user.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
    await expect(this.page.getByRole("tablist", { name: "Sessions" })).toBeVisible();
    return user;
  }

  async signIn(user: E2eUser, base = ""): Promise<void> {
    await this.page.goto(`${base}/sign-in`);
    await this.email.fill(user.email);
    await this.password.fill(user.password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
}

/** The workspace as a user sees it, found only through the accessibility contract (DESIGN.md). */
export class WorkspacePage {
  readonly sessions: Locator;
  readonly selectedTab: Locator;
  readonly messages: Locator;
  readonly messageBox: Locator;
  readonly sendButton: Locator;
  readonly artifacts: Locator;
  readonly newSession: Locator;
  readonly completedList: Locator;
  readonly archivedList: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.sessions = page.getByRole("tablist", { name: "Sessions" });
    this.selectedTab = this.sessions.getByRole("tab", { selected: true });
    this.messages = page.getByRole("log", { name: "Messages" });
    this.messageBox = page.getByRole("textbox", { name: "Message" });
    this.sendButton = page.getByRole("button", { name: "Send", exact: true });
    this.artifacts = page.getByRole("region", { name: "Artifacts" });
    this.newSession = page.getByRole("button", { name: "New session" });
    this.completedList = page.getByRole("list", { name: "Completed sessions" });
    this.archivedList = page.getByRole("region", { name: "Archived sessions" });
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
    await expect(this.page).toHaveURL(/\/sign-in$/);
  }

  async open(path = "/"): Promise<void> {
    await this.page.goto(path);
    await expect(this.sessions).toBeVisible();
    await expect(this.page.getByRole("status").filter({ hasText: "Connected" })).toBeVisible();
    await expect(this.page.getByText("Loading your sessions…")).toHaveCount(0);
    // With open sessions, one of them is shown once the workspace has settled.
    if ((await this.sessions.getByRole("tab").count()) > 0) await expect(this.selectedTab).toHaveCount(1);
  }

  /** The id of the shown session, as the address bar says. */
  shownSessionId(): string {
    const id = new URL(this.page.url()).searchParams.get("session");
    expect(id, "the URL names the shown session").toBeTruthy();
    return id!;
  }

  async startSession(workflowTitle = "Generator"): Promise<string> {
    const before = await this.sessions.getByRole("tab").evaluateAll((tabs) => tabs.map((t) => t.id));
    await this.newSession.click();
    await this.page.getByRole("button", { name: workflowTitle, exact: true }).click();
    // A new tab appears and is the selected one.
    let tabId = "";
    await expect
      .poll(async () => {
        tabId = (await this.selectedTab.getAttribute("id")) ?? "";
        // A new session is shown at once as "Starting…" under a pending id, then gets its real one.
        return tabId !== "" && !tabId.startsWith("tab-pending-") && !before.includes(tabId);
      })
      .toBe(true);
    const id = tabId.replace(/^tab-/, "");
    await expect(this.page).toHaveURL(new RegExp(`session=${id}$`));
    await expect(this.selectedTab).toHaveAccessibleName(new RegExp(`^${workflowTitle}.*${workflowTitle}.*In progress`));
    await expect(this.messageBox).toBeEnabled();
    return id;
  }

  async send(text: string): Promise<void> {
    await this.messageBox.fill(text);
    await this.messageBox.press("Enter");
    await expect(this.messages.getByText(text, { exact: true })).toBeVisible();
  }

  artifact(title: string): Locator {
    return this.artifacts.getByRole("article").filter({ has: this.page.getByRole("heading", { name: title, exact: true }) });
  }

  tabFor(sessionId: string): Locator {
    return this.page.locator(`[role="tab"][id="tab-${sessionId}"]`);
  }

  /** The entry for one session in the Completed list (or the archived list). */
  completedEntry(sessionId: string): Locator {
    return this.completedList.getByRole("link").and(this.page.locator(`[href="/?session=${sessionId}"]`));
  }

  archivedEntry(sessionId: string): Locator {
    return this.archivedList.getByRole("listitem").filter({ has: this.page.locator(`a[href="/?session=${sessionId}"]`) });
  }

  async openCompleted(): Promise<void> {
    const summary = this.page.getByText(/^Completed \(\d+\)$/);
    if (!(await this.completedList.isVisible())) await summary.click();
    await expect(this.completedList).toBeVisible();
  }
}
