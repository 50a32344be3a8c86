import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { AuthPage, WorkspacePage } from "./pages/workspace-page.ts";

/**
 * The server restarts while a page is open: the page reconnects by itself, and the chat shows
 * every message exactly once. This spec runs its own server (the shared one must stay up).
 */
const PORT = Number(process.env.E2E_RESTART_PORT ?? 3261);
const BASE = `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-e2e-restart-"));

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(PORT), DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  await expect
    .poll(async () => (await fetch(`${BASE}/api/health`).catch(() => undefined))?.status ?? 0, { timeout: 60_000 })
    .toBe(200);
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("the page reconnects after a server restart with no duplicate or missing messages", async ({ page }) => {
  let server = await startServer();
  try {
    const workspace = new WorkspacePage(page);
    // This server has its own database: an account of its own.
    await new AuthPage(page).signUp(undefined, BASE);
    await workspace.open(`${BASE}/`);
    await workspace.startSession("Generator");
    await workspace.send("A habit tracker where I log habits with a name and a daily goal.");
    await expect(workspace.artifact("App spec")).toBeVisible();

    await stopServer(server);
    await expect(page.getByRole("status").filter({ hasText: /Reconnecting|Offline/ })).toBeVisible();
    server = await startServer();
    await expect(page.getByRole("status").filter({ hasText: "Connected" })).toBeVisible({ timeout: 30_000 });

    await workspace.send("add a notes field to Habit");
    await expect(workspace.messages.getByText("A habit tracker where I log habits with a name and a daily goal.", { exact: true })).toHaveCount(1);
    await expect(workspace.messages.getByText("add a notes field to Habit", { exact: true })).toHaveCount(1);
    await expect(workspace.messages.getByText(/Describe the app you want/)).toHaveCount(1);
    await expect(workspace.messages.getByText(/notes/i).filter({ hasNotText: "add a notes field to Habit" }).first()).toBeVisible();

    await page.reload();
    await expect(workspace.messages.getByText("add a notes field to Habit", { exact: true })).toHaveCount(1);
  } finally {
    await stopServer(server);
  }
});
