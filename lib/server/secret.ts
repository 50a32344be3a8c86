import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The key that signs identity tokens. TABFLOW_SECRET wins; otherwise a random key is made on
 * first start and kept (mode 0600) in the data folder, so tokens survive restarts with zero
 * set-up. Several nodes must share TABFLOW_SECRET.
 */
export function loadOrCreateSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, "secret.key");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: create it below
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    // Another process created it at the same moment: use theirs.
    return readFileSync(file, "utf8").trim();
  }
}
