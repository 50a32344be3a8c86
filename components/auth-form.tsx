"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

const TEXT = {
  "sign-up": { heading: "Sign up", button: "Create account", busy: "Creating account…", path: "/api/auth/sign-up/email", other: "/sign-in", otherText: "Already have an account? Sign in" },
  "sign-in": { heading: "Sign in", button: "Sign in", busy: "Signing in…", path: "/api/auth/sign-in/email", other: "/sign-up", otherText: "No account yet? Sign up" },
} as const;

/** After a sign-up whose sign-in failed: the same words whether or not the email had an account. */
export const SIGNED_UP_NEUTRAL = "If this email could be used, your account is ready. Could not sign in with this password: if the email already had an account, sign in with its password.";

/** What the user reads for an auth API failure (never the raw response). */
function describeFailure(mode: "sign-up" | "sign-in", status: number, code: string | undefined, message: string | undefined): string {
  if (status === 429) return "Too many attempts. Wait a minute and try again.";
  if (code === "INVALID_EMAIL_OR_PASSWORD") return "Wrong email or password.";
  if (code === "USER_ALREADY_EXISTS" || code === "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL") return "An account with this email already exists. Sign in instead.";
  if (code === "PASSWORD_TOO_SHORT") return "The password is too short: use at least 8 characters.";
  if (code === "PASSWORD_TOO_LONG") return "The password is too long: use at most 128 characters.";
  if (code === "INVALID_EMAIL") return "Enter a valid email address.";
  if (status >= 500) return "Something went wrong on our side. Try again.";
  return message || (mode === "sign-up" ? "The account could not be created." : "Could not sign in.");
}

/** The Sign up / Sign in form: labelled Email and Password, errors in an alert. */
export function AuthForm({ mode }: { mode: "sign-up" | "sign-in" }) {
  const t = TEXT[mode];
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) return setError("Enter your email and password.");
    setBusy(true);
    setError(null);
    try {
      const body = mode === "sign-up" ? { email, password, name: email.split("@")[0] } : { email, password };
      const post = (path: string, payload: unknown) =>
        fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload), credentials: "same-origin" });
      let res = await post(t.path, body);
      // Sign-up answers a new and an existing email alike and signs nobody in (so it reveals no
      // account); signing in with what was just typed is what tells the two apart, for the owner only.
      if (res.ok && mode === "sign-up") {
        res = await post(TEXT["sign-in"].path, { email, password });
        if (!res.ok && res.status !== 429) {
          setError(SIGNED_UP_NEUTRAL);
          setBusy(false);
          return;
        }
      }
      if (res.ok) {
        window.location.assign("/");
        return;
      }
      const data = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
      setError(describeFailure(mode, res.status, data.code, data.message));
    } catch {
      setError("The server cannot be reached. Check your connection and try again.");
    }
    setBusy(false);
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="auth-heading" noValidate>
        <h1 id="auth-heading">{t.heading}</h1>
        <p className="muted">Tabflow</p>
        <label htmlFor="auth-email">Email</label>
        <input id="auth-email" name="email" type="email" autoComplete="email" required maxLength={254} />
        <label htmlFor="auth-password">Password</label>
        <input id="auth-password" name="password" type="password" autoComplete={mode === "sign-up" ? "new-password" : "current-password"} required minLength={mode === "sign-up" ? 8 : undefined} maxLength={128} />
        {error && (
          <p role="alert" className="auth-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.busy : t.button}
        </button>
        <p className="small">
          <Link href={t.other}>{t.otherText}</Link>
        </p>
      </form>
    </main>
  );
}
