import pino, { type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout (pipe through `pino-pretty` to read them by eye). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { app: "tabflow" },
    redact: { paths: ["*.password", "*.token", "*.cookie", "req.headers.cookie"], censor: "***" },
  });
}
