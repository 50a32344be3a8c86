/**
 * Per-user quotas the workflow runtime checks before it creates a session or starts a build:
 * sessions created per minute, open (IN_PROGRESS) sessions, builds running at once. Each
 * refusal is a typed error (`rate_limited` / `quota_exceeded`) whose message says what to do.
 */
import { TabflowError } from "../errors.ts";
import type { Limiters } from "../limits/limiter.ts";
import type { Scope, SessionRecord, Store } from "../store/index.ts";

export interface Quotas {
  beforeSessionCreate(scope: Scope, options?: { background?: boolean }): Promise<void>;
  beforeBuildStart(scope: Scope): Promise<void>;
  /** A user's chat message: the session's message quota and the user's bytes per day. */
  beforeUserMessage(scope: Scope, session: SessionRecord, text: string): Promise<void>;
}

export const userKeyOf = (scope: Scope) => `${scope.enterpriseId}:${scope.appId}:${scope.userId}`;

export function createQuotas(store: Store, limiters: Limiters): Quotas {
  return {
    async beforeUserMessage(scope, session, text) {
      const { limits } = limiters;
      if (session.lastSeq >= limits.messagesPerSession) {
        throw new TabflowError("quota_exceeded", `this session holds ${session.lastSeq} messages, the most one session may; start a new session to go on`);
      }
      await limiters.userMessage(userKeyOf(scope));
      await limiters.messageBytes(userKeyOf(scope), Buffer.byteLength(text, "utf8"));
    },
    async beforeSessionCreate(scope) {
      const { limits } = limiters;
      await limiters.sessionCreate(userKeyOf(scope));
      const open = await store.countWorkflowSessions(scope, { statuses: ["IN_PROGRESS"] });
      if (open >= limits.openSessions) {
        throw new TabflowError("quota_exceeded", `you have ${open} sessions in progress (at most ${limits.openSessions}); complete or archive some first`);
      }
    },
    async beforeBuildStart(scope) {
      const { limits } = limiters;
      const running = await store.countWorkflowSessions(scope, { statuses: ["IN_PROGRESS"], workflowName: "build", runState: "running" });
      if (running >= limits.concurrentBuilds) {
        throw new TabflowError("quota_exceeded", `${running} of your builds are running (at most ${limits.concurrentBuilds} at once); wait for one to finish or stop one`);
      }
    },
  };
}
