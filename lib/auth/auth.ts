/**
 * Accounts: Better Auth (email + password) on Tabflow's own database, through its Prisma
 * adapter and the same Prisma client as the store. Passwords are hashed and session tokens
 * issued and checked by Better Auth alone; Tabflow adds what a user works in (their
 * enterprise and default app, created with the account) and turns a session into a Scope.
 */
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { isTabflowError } from "../errors.ts";
import type { Limiters } from "../limits/limiter.ts";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Scope, Store } from "../store/index.ts";

/** Cookie names start with this: `tabflow.session_token` (`__Secure-tabflow.…` over https). */
export const AUTH_COOKIE_PREFIX = "tabflow";
/** Where the auth API is served (sign-up, sign-in, sign-out, get-session, …). */
export const AUTH_BASE_PATH = "/api/auth";
/** The header the server sets to the connection's address (clients cannot set it). */
export const CLIENT_IP_HEADER = "x-tabflow-client-ip";
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
/** Brute force: attempts per client address and window (seconds). */
/** Per address; an office behind one NAT shares it. Each account is also limited per email (LIMIT_SIGN_IN_PER_EMAIL_PER_MIN). */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 20 };
export const SIGN_UP_RATE_LIMIT = { window: 60, max: 10 };
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface AuthOptions {
  database: Database;
  store: Store;
  logger: Logger;
  secret: string;
  /** The public origin; unset (local use), each request's own origin is used. */
  baseURL?: string;
  trustedOrigins?: string[];
  /** Called once a Better Auth session is deleted (sign-out, revocation), to drop its sockets. */
  onSessionEnded?: (sessionId: string) => void;
  /** Session lifetime (seconds); tests use short ones. */
  sessionTtlSeconds?: number;
  /**
   * Shared counters (lib/limits): Better Auth's per-address limiter is stored there (Redis in
   * cluster mode), and sign-in / sign-up are also counted per email, from any address.
   */
  limiters?: Limiters;
}

/** Paths whose attempts are also counted per account (email), whatever address they come from. */
const PER_EMAIL_PATHS = new Set(["/sign-in/email", "/sign-up/email"]);

export function createAuth(options: AuthOptions) {
  const { store, logger } = options;
  const log = logger.child({ component: "auth" });
  const secure = options.baseURL?.startsWith("https://") ?? false;
  return betterAuth({
    appName: "Tabflow",
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: AUTH_BASE_PATH,
    // CSRF: state-changing auth requests must come from a trusted origin (Better Auth checks
    // Origin / Fetch Metadata). Without BETTER_AUTH_URL, the request's own origin is the one.
    trustedOrigins: options.trustedOrigins ?? [],
    database: prismaAdapter(options.database.prisma, { provider: options.database.provider }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      // Sign-up never signs in and answers an existing email exactly like a new one (Better
      // Auth then hashes the password on both paths, so the timing matches too): nobody can
      // learn from sign-up whether an email has an account. The page signs in next (README).
      autoSignIn: false,
      requireEmailVerification: false,
    },
    session: {
      expiresIn: options.sessionTtlSeconds ?? SESSION_TTL_SECONDS,
      updateAge: Math.min(24 * 60 * 60, Math.floor((options.sessionTtlSeconds ?? SESSION_TTL_SECONDS) / 2)),
    },
    rateLimit: {
      enabled: true,
      // The shared counters when given (Redis in cluster mode, so every node counts together).
      ...(options.limiters ? { customStorage: { consume: (key: string, rule: { window: number; max: number }) => options.limiters!.authRule(key, rule) } } : { storage: "memory" as const }),
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": SIGN_IN_RATE_LIMIT,
        "/sign-up/email": SIGN_UP_RATE_LIMIT,
      },
    },
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (!options.limiters || !PER_EMAIL_PATHS.has(ctx.path)) return;
        const email = (ctx.body as { email?: unknown } | undefined)?.email;
        if (typeof email !== "string" || !email) return;
        try {
          await options.limiters.signInAttempt(email);
        } catch (err) {
          if (isTabflowError(err, "rate_limited")) throw new APIError("TOO_MANY_REQUESTS", { message: err.message, code: "RATE_LIMITED" });
          throw err;
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // The account's own enterprise and default app; the scope of everything they do.
          after: async (user) => {
            await store.ensureAccountScope({ id: user.id, email: user.email });
          },
        },
      },
      session: {
        delete: {
          after: async (session) => {
            options.onSessionEnded?.(session.id);
          },
        },
      },
    },
    logger: {
      level: "warn",
      log: (level, message) => {
        // Without BETTER_AUTH_URL the request's own origin is used on purpose (local use).
        if (!options.baseURL && message.includes("Base URL is not set")) log.debug(message);
        else if (level === "error") log.error(message);
        else if (level === "warn") log.warn(message);
        else log.debug(message);
      },
    },
    // Refusals (bad password, foreign origin, rate limit) are expected: debug. Faults: error.
    onAPIError: {
      onError: (err) => {
        const e = err as { status?: unknown; statusCode?: number; message?: string };
        if (typeof e?.statusCode === "number" && e.statusCode < 500) log.debug({ status: e.status, message: e.message }, "auth request refused");
        else log.error({ err }, "auth request failed");
      },
    },
    telemetry: { enabled: false },
  });
}

export type TabflowAuth = ReturnType<typeof createAuth>;

export interface Identity {
  scope: Scope;
  user: { id: string; email: string };
  session: { id: string; expiresAt: Date };
}

/**
 * Who sent these headers: the Better Auth session in their cookie, turned into a Scope. null
 * when signed out, the cookie is forged or the session expired. `readOnly` skips the sliding
 * refresh (a socket check must not write).
 */
export async function identify(auth: TabflowAuth, store: Store, headers: Headers, readOnly = false): Promise<Identity | null> {
  const found = await auth.api.getSession({ headers, query: readOnly ? { disableRefresh: true } : undefined });
  if (!found) return null;
  const scope = await store.ensureAccountScope({ id: found.user.id, email: found.user.email });
  return {
    scope,
    user: { id: found.user.id, email: found.user.email },
    session: { id: found.session.id, expiresAt: new Date(found.session.expiresAt) },
  };
}
