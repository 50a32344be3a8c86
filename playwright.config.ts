import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the real server.ts (production build, fresh embedded database).
 * Browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser
 * (for a laptop that ran `npx playwright install`).
 */
const port = Number(process.env.E2E_PORT ?? 3210);
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "tabflow-e2e-"));
const chromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const browser = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    // Signs up the user the specs run as (e2e/auth.setup.ts); accounts.spec.ts starts signed out.
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: browser },
    {
      name: "chromium",
      dependencies: ["setup"],
      use: { ...browser, storageState: path.join(process.env.E2E_DATA_DIR, "e2e-storage.json") },
    },
  ],
  webServer: {
    command: "node_modules/.bin/tsx server.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      // Slow enough that a running build can be watched from another tab.
      BUILD_PACE_MS: "400",
      // The run loop is what these specs test; the real check of a generated app has its own test.
      BUILD_VERIFY: process.env.BUILD_VERIFY ?? "off",
    },
  },
});
