import { writeFileSync } from "node:fs";
import path from "node:path";
import { test as setup } from "@playwright/test";
import { AuthPage, newE2eUser } from "./pages/workspace-page.ts";

/**
 * Signs up the user the workspace specs run as, through the real Sign up page, and keeps the
 * browser state (the session cookie) for them (playwright.config.ts: storageState).
 */
setup("sign up the e2e user", async ({ page }) => {
  const user = await new AuthPage(page).signUp(newE2eUser("workspace"));
  const session = (await (await page.request.get("/api/auth/get-session")).json()) as { user: { id: string } };
  const dir = process.env.E2E_DATA_DIR!;
  writeFileSync(path.join(dir, "e2e-user.json"), JSON.stringify({ ...user, userId: session.user.id }));
  await page.context().storageState({ path: path.join(dir, "e2e-storage.json") });
});
