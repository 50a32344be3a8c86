/** Listing sessions and changing their status. Every change is announced to the owner's sockets. */
import type { SessionRecord } from "../../store/index.ts";
import { toSessionDto, toSessionSummary } from "../dto.ts";
import type { HandlerContext, Handlers } from "../server-types.ts";

function announce(session: SessionRecord, ctx: HandlerContext) {
  ctx.publisher.sessionChanged(session);
  return toSessionDto(session);
}

export const sessionHandlers = {
  "session:list": async ({ statuses, limit, before }, { store, scope }) =>
    (await store.listWorkflowSessions(scope, { statuses, limit, before })).map(toSessionSummary),

  // Through the workflow runtime when there is one: it checks the workflow can be started
  // and runs its opening (e.g. the Generator's greeting).
  "session:create": async ({ workflowName, title }, ctx) =>
    announce(
      ctx.workflows
        ? await ctx.workflows.createSession(ctx.scope, { workflowName, title })
        : await ctx.store.createWorkflowSession(ctx.scope, { workflowName, title }),
      ctx,
    ),

  "session:complete": async ({ sessionId }, ctx) => announce(await ctx.store.completeWorkflowSession(ctx.scope, sessionId), ctx),

  "session:archive": async ({ sessionId }, ctx) => announce(await ctx.store.archiveWorkflowSession(ctx.scope, sessionId), ctx),

  "session:unarchive": async ({ sessionId }, ctx) => announce(await ctx.store.unarchiveWorkflowSession(ctx.scope, sessionId), ctx),
} satisfies Handlers;
