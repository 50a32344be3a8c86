import { Workspace } from "@/components/workspace.tsx";

export const dynamic = "force-dynamic";

export default function WorkspacePage() {
  return <Workspace />;
}
