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
/** A second server with the test-only delays on session:create and session:join (e2e/input-loss.spec.ts). */
// Its own port: E2E_SLOW_PORT, else 1000 above E2E_PORT (port + 1 is often another run's E2E_PORT).
const slowPort = Number(process.env.E2E_SLOW_PORT ?? port + 1000);
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "tabflow-e2e-"));
process.env.E2E_SLOW_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "tabflow-e2e-slow-"));
process.env.E2E_SLOW_BASE_URL = `http://127.0.0.1:${slowPort}`;
const SLOW_SPECS = /input-loss\.spec\.ts$/;
/** E2E_DATABASE_URL=postgresql://… runs both servers on PostgreSQL, each in a fresh schema of its own. */
const runTag = Math.random().toString(36).slice(2, 8);
const database = (name: string): Record<string, string> =>
  process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL, DATABASE_SCHEMA: `e2e_${name}_${runTag}` } : {};
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
      testIgnore: SLOW_SPECS,
      use: { ...browser, storageState: path.join(process.env.E2E_DATA_DIR, "e2e-storage.json") },
    },
    // Signs up on its own server, whose answers to session:create / session:join are held back.
    { name: "slow-server", testMatch: SLOW_SPECS, use: { ...browser, baseURL: process.env.E2E_SLOW_BASE_URL, storageState: { cookies: [], origins: [] } } },
  ],
  webServer: [{
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
      ...database("main"),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      // Slow enough that a running build can be watched from another tab.
      BUILD_PACE_MS: "400",
      // The run loop is what these specs test; the real check of a generated app has its own test.
      BUILD_VERIFY: process.env.BUILD_VERIFY ?? "off",
    },
  },
  {
    command: "node_modules/.bin/tsx server.ts",
    url: `http://127.0.0.1:${slowPort}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(slowPort),
      DATA_DIR: process.env.E2E_SLOW_DATA_DIR,
      ...database("slow"),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      TABFLOW_TEST_FIXTURES: "1",
      TEST_DELAY_SESSION_CREATE_MS: "1500",
      TEST_DELAY_SESSION_JOIN_MS: "1500",
    },
  }],
});
