/**
 * For scripts that drive the real app in a browser (screenshot, browser benchmark): start the
 * production server as one process and wait for its health check; launch Chromium the way the
 * end-to-end tests do; sign up a fresh account in the page (the workspace needs one).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { chromium, type Browser, type Page } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function startApp(port: number, env: Record<string, string>, stdio: "inherit" | "ignore" = "ignore"): Promise<{ base: string; server: ChildProcess }> {
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", ...env },
    stdio,
  });
  for (let i = 0; !(await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false)); i++) {
    if (i > 120 || server.exitCode !== null) {
      server.kill("SIGTERM");
      throw new Error("the server did not start");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, server };
}

export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Signs up a fresh account through the app's own Sign up page and waits for the workspace.
 * Returns the new user's id (to seed their sessions through the store).
 */
export async function signUpInBrowser(page: Page, base: string): Promise<{ userId: string; email: string; password: string }> {
  const email = `script-${randomBytes(5).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  await page.goto(`${base}/sign-up`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("tablist", { name: "Sessions" }).waitFor();
  const session = (await (await page.request.get(`${base}/api/auth/get-session`)).json()) as { user: { id: string } };
  return { userId: session.user.id, email, password };
}
