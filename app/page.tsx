import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Workspace } from "@/components/workspace.tsx";
import { getRuntime } from "@/lib/runtime.ts";

export const dynamic = "force-dynamic";

export default async function WorkspacePage() {
  const who = await getRuntime().identify(await headers());
  if (!who) redirect("/sign-in");
  return <Workspace account={{ email: who.user.email }} />;
}
