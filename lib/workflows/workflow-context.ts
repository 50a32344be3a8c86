import type { Scope, SessionRecord } from "../store/index.ts";
import { createDraftStream } from "./stream-draft.ts";
import type { RuntimeServices, WorkflowContext } from "./types.ts";

export type ContextFactory = (scope: Scope, session: SessionRecord, signal: AbortSignal) => WorkflowContext;

/**
 * Builds the context one call into a workflow gets: say, drafts, run state, artifacts, child
 * sessions. Starting a job is the caller's (background-jobs.ts), passed in so the two can refer
 * to each other without a cycle of imports.
 */
export function createContextFactory(services: RuntimeServices, startJob: (scope: Scope, session: SessionRecord) => Promise<void>): ContextFactory {
  const { store, publisher, logger } = services;
  return function context(scope, session, signal) {
    return {
      ...services,
      scope,
      session,
      signal,
      say: async (text, options = {}) => {
        await options.draft?.close();
        await publisher.appendMessage(
          scope,
          session.id,
          {
            role: options.role ?? "agent",
            kind: options.kind ?? "text",
            content: { text, ...options.extra, ...(options.draft ? { draftId: options.draft.draftId } : {}) },
            clientMessageId: options.key,
          },
          { endDraftId: options.draft?.draftId },
        );
      },
      openDraft: () =>
        createDraftStream({ store, broadcast: (e) => publisher.draft(e), logger, scope, sessionId: session.id, flush: services.draftFlush }),
      setRun: async (update) => {
        const updated = await store.updateRun(scope, session.id, update);
        publisher.sessionChanged(updated);
        return updated;
      },
      publishArtifact: (artifact) => publisher.artifactChanged(session.id, artifact),
      spawn: async (workflowName, options) => {
        await services.quotas?.beforeSessionCreate(scope, { background: true });
        await services.quotas?.beforeBuildStart(scope);
        const child = await store.createWorkflowSession(scope, {
          workflowName,
          title: options.title,
          parentSessionId: session.id,
          sourceArtifactId: options.sourceArtifactId,
        });
        for (const artifactId of options.attach) await store.attachArtifactToSession(scope, child.id, artifactId);
        const running = await store.updateRun(scope, child.id, { state: "running", step: "queued", error: null, checkpoint: options.checkpoint as never, newAttempt: true });
        publisher.sessionChanged(running);
        await startJob(scope, running);
        return running;
      },
      restartJob: async (checkpoint) => {
        await services.quotas?.beforeBuildStart(scope);
        const running = await store.updateRun(scope, session.id, {
          state: "running",
          step: "queued",
          error: null,
          checkpoint: checkpoint as never,
          newAttempt: true,
          ifStateIn: ["failed", "stopped", "succeeded", "idle"],
        });
        publisher.sessionChanged(running);
        await startJob(scope, running);
        return running;
      },
    };
  };
}
