/** What workflows can be started, artifact buttons, and stopping a run. */
import { TabflowError } from "../../errors.ts";
import { toSessionDto } from "../dto.ts";
import type { HandlerContext, Handlers } from "../server-types.ts";

function runtimeOf(ctx: HandlerContext) {
  if (!ctx.workflows) throw new TabflowError("blocked", "this server does not run workflows");
  return ctx.workflows;
}

export const workflowHandlers = {
  "workflow:list": async (_payload, ctx) => ctx.workflows?.workflows() ?? [],

  "artifact:action": async ({ artifactId, action, sessionId }, ctx) => {
    const result = await runtimeOf(ctx).performAction(ctx.scope, { artifactId, action, sessionId });
    return { sessionId: result.sessionId ?? null };
  },

  "run:stop": async ({ sessionId }, ctx) => toSessionDto(await runtimeOf(ctx).stopRun(ctx.scope, sessionId)),
} satisfies Handlers;
