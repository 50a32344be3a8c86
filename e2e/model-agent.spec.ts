import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { expect, test } from "@playwright/test";
import { gate, split, startFakeOpenAI, type FakeOpenAI } from "../tests/fixtures/fake-openai.ts";
import { AuthPage, newE2eUser, WorkspacePage } from "./pages/workspace-page.ts";

/**
 * A Generator backed by a model (a local fake OpenAI-compatible server, a test fixture): the
 * header names the agent, the reply is shown while it streams, and Stop cancels a request in
 * flight. This spec runs its own server (on a port the OS picks) with AGENT_* set.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "tabflow-e2e-agent-"));
let fake: FakeOpenAI;
let server: ChildProcess | undefined;
let base = "";

const SPEC = {
  name: "Plant Diary",
  summary: "Keep track of plants and when they were watered.",
  features: ["Log watering"],
  entities: [{ name: "Plant", fields: [{ name: "name", type: "string", required: true }, { name: "wateredOn", type: "date", required: true }] }],
  pages: [{ name: "Plants", path: "/plants", entity: "Plant" }],
};
const MESSAGE = "Here is Plant Diary: your plants and when you last watered them. What should I add?";

async function startServer(): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      AGENT_MODEL: "fake-model",
      AGENT_BASE_URL: fake.baseURL,
      AGENT_API_KEY: "e2e-key",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  server = child;
  const lines = createInterface({ input: child.stdout! });
  base = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
    lines.on("line", (line) => {
      // Next prints a few plain lines too; the logger's are JSON.
      const url = line.startsWith("{") ? (JSON.parse(line) as { url?: string }).url : undefined;
      if (url) resolve(url.replace("localhost", "127.0.0.1"));
    });
  });
}

test.beforeAll(async () => {
  fake = await startFakeOpenAI();
  await startServer();
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the reply streams into the chat, the header names the model, and Stop cancels the request", async ({ page }) => {
  const workspace = new WorkspacePage(page);
  // This server has its own database: its user signs up there first.
  await new AuthPage(page).signUp(newE2eUser("agent"), base);
  await workspace.open(`${base}/`);
  await workspace.startSession("Generator");
  await expect(page.getByRole("region", { name: "Session details" }).getByText(`Agent: fake-model via ${fake.host}`)).toBeVisible();

  // The model pauses halfway through its message: the chat already shows the first half.
  const answer = JSON.stringify({ type: "spec", message: MESSAGE, spec: SPEC });
  const pieces = split(answer, 4);
  const half = Math.floor((answer.indexOf(MESSAGE) + MESSAGE.length / 2) / 4);
  const pause = gate();
  fake.enqueue({ kind: "stream", pieces, pause: { before: half, gate: pause } });
  await workspace.send("A diary of my house plants");
  await pause.reached;
  const streaming = workspace.messages.getByRole("listitem").filter({ hasText: "Writing…" });
  await expect(streaming).toContainText("Here is Plant Diary");
  await expect(streaming).not.toContainText("What should I add?");
  pause.open();
  await expect(workspace.messages.getByText(MESSAGE, { exact: true })).toHaveCount(1);
  await expect(streaming).toHaveCount(0);
  await expect(workspace.artifact("App spec")).toBeVisible();

  // A model that goes quiet: Stop ends the run and closes the model's connection.
  fake.enqueue({ kind: "stall", pieces: split('{"type":"spec","message":"Thinking about watering', 5) });
  const before = fake.requests.length;
  await workspace.send("add a fertilised date");
  await expect(streaming).toContainText("Thinking about watering");
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(workspace.messages.getByText(/^Stopped by you/)).toBeVisible();
  await expect(streaming).toHaveCount(0);
  await fake.requests[before]!.closed;
  expect(fake.requests[before]!.abortedByClient).toBe(true);
});

test("with no AGENT_* set, a Generator says it runs on the offline agent", async ({ page }) => {
  // The shared server (playwright.config.ts) has no model configured.
  const workspace = new WorkspacePage(page);
  await workspace.open("/");
  await workspace.startSession("Generator");
  await expect(page.getByRole("region", { name: "Session details" }).getByText("Agent: offline", { exact: true })).toBeVisible();
});
