import { TabflowError } from "../errors.ts";
import { buildWorkflow } from "./build.ts";
import { generatorWorkflow } from "./generator.ts";
import type { ArtifactAction, WorkflowDefinition } from "./types.ts";

/**
 * Every workflow Tabflow can run. Adding one is adding a file that exports a
 * WorkflowDefinition and listing it here.
 */
export const WORKFLOWS: readonly WorkflowDefinition[] = [generatorWorkflow, buildWorkflow];

export interface Registry {
  list(): readonly WorkflowDefinition[];
  get(name: string): WorkflowDefinition;
  action(id: string, artifactType: string): ArtifactAction;
  actionsFor(artifactType: string): ArtifactAction[];
}

export function createRegistry(workflows: readonly WorkflowDefinition[] = WORKFLOWS): Registry {
  const byName = new Map(workflows.map((w) => [w.name, w]));
  const actions = workflows.flatMap((w) => w.actions ?? []);
  return {
    list: () => workflows,
    get(name) {
      const w = byName.get(name);
      if (!w) throw new TabflowError("invalid_payload", `there is no workflow called "${name}"`);
      return w;
    },
    action(id, artifactType) {
      const a = actions.find((x) => x.id === id && x.artifactTypes.includes(artifactType));
      if (!a) throw new TabflowError("invalid_payload", `"${id}" is not an action of ${artifactType.replace(/_/g, " ")} artifacts`);
      return a;
    },
    actionsFor: (artifactType) => actions.filter((a) => a.artifactTypes.includes(artifactType)),
  };
}
