import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form.tsx";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in · Tabflow" };

export default async function SignInPage() {
  if (await getRuntime().identify(await headers())) redirect("/");
  return <AuthForm mode="sign-in" />;
}
