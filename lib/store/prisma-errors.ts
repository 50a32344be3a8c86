import { TabflowError, isTabflowError } from "../errors.ts";

/**
 * Turns whatever Prisma or a driver threw into a TabflowError. Store functions run inside
 * `guard`, so callers only ever see the enumerated codes; the original error is kept as
 * `cause` for the log.
 */
const UNREACHABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "SocketTimeout",
  "ConnectionClosed",
  "TooManyConnections",
  "TransactionAlreadyClosed",
]);
const UNREACHABLE_TEXT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|server closed the connection|terminating connection|does not allow connections|is not currently accepting connections|the database system is (starting|shutting) down|SQLITE_CANTOPEN|SQLITE_BUSY|database is locked|Client has already been connected|Cannot use a pool after calling end/i;

export function toTabflowError(err: unknown): TabflowError {
  if (isTabflowError(err)) return err;
  const e = err as { code?: unknown; message?: unknown; cause?: { kind?: unknown; originalCode?: unknown } };
  const code = typeof e?.code === "string" ? e.code : undefined;
  const message = typeof e?.message === "string" ? e.message : String(err);
  let out: TabflowError;
  if (code === "P2002") out = new TabflowError("conflict", "that record already exists");
  else if (code === "P2025") out = new TabflowError("not_found", "not found");
  else if (code === "P2034") out = new TabflowError("conflict", "a concurrent change won; try again");
  else if ((code && /^P1\d{3}$/.test(code)) || code === "P2024") out = new TabflowError("unavailable", "the database is unreachable");
  else if (typeof e?.cause?.kind === "string" && UNREACHABLE_KINDS.has(e.cause.kind))
    out = new TabflowError("unavailable", "the database is unreachable");
  else if (UNREACHABLE_TEXT.test(message) || UNREACHABLE_TEXT.test(String((e?.cause as { message?: string })?.message ?? "")))
    out = new TabflowError("unavailable", "the database is unreachable");
  else out = new TabflowError("internal", "an unexpected database error occurred");
  (out as { cause?: unknown }).cause = err;
  return out;
}

/** Runs a store operation, normalising every failure to a TabflowError. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toTabflowError(err);
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown })?.code === "P2002";
}
