import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form.tsx";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Tabflow" };

export default async function SignInPage() {
  const runtime = getRuntime();
  if (await runtime.identify(await headers())) redirect("/");
  // A fresh install has no account yet: its first visitor needs Sign up, not Sign in.
  if (!(await runtime.store.hasAnyAccount())) redirect("/sign-up");
  return <AuthForm mode="sign-in" />;
}
