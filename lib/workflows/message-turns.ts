/**
 * Turns user messages into agent turns, one session at a time. Messages that arrive together
 * (a paste split in lines, a flood) are answered by ONE turn over all of them: a turn starts
 * once the session has been quiet for `quietMs`, or once its oldest waiting message has waited
 * `maxWaitMs`; messages arriving during a turn wait for the next one. A session holds at most
 * `maxPending` stored-but-unanswered messages; beyond that a send is refused (`busy`) before it
 * is stored, so every message is either stored and answered, or refused with an error.
 *
 * Memory is held only while a session has work: its waiting seqs, a timer, the running turn.
 */
import { TabflowError, isTabflowError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Scope, SessionRecord, Store } from "../store/index.ts";
import type { ContextFactory } from "./workflow-context.ts";
import type { WorkflowDefinition } from "./types.ts";

export interface TurnTiming {
  quietMs: number;
  maxWaitMs: number;
  maxPending: number;
}

export interface UserMessage {
  scope: Scope;
  message: { sessionId: string; seq: number };
  text: string;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

interface SessionTurns {
  scope: Scope;
  /** Stored messages not yet handed to a turn. */
  waiting: number[];
  /** Sends admitted but not stored yet (so concurrent sends cannot all slip past the bound). */
  reserved: number;
  firstAt: number;
  lastAt: number;
  timer?: NodeJS.Timeout;
  turn?: Running;
  /** Resolved when the turn that answers the waiting messages ends. */
  waiters: Array<() => void>;
  /** Turns run for this session since it last had no work (tests and benchmarks read it). */
  turns: number;
}

export function createMessageTurns(deps: {
  store: Store;
  logger: Logger;
  definitionOf(session: SessionRecord): WorkflowDefinition | undefined;
  context: ContextFactory;
  timing: TurnTiming;
}) {
  const { store, logger, definitionOf, context, timing } = deps;
  const sessions = new Map<string, SessionTurns>();
  let closing = false;
  let turnsStarted = 0;

  function entry(sessionId: string, scope: Scope): SessionTurns {
    let s = sessions.get(sessionId);
    if (!s) sessions.set(sessionId, (s = { scope, waiting: [], reserved: 0, firstAt: 0, lastAt: 0, waiters: [], turns: 0 }));
    return s;
  }

  function forget(sessionId: string, s: SessionTurns): void {
    if (!s.turn && !s.timer && s.waiting.length === 0 && s.reserved === 0 && sessions.get(sessionId) === s) sessions.delete(sessionId);
  }

  function schedule(sessionId: string, s: SessionTurns): void {
    if (s.turn || s.waiting.length === 0 || closing) return;
    const at = Math.min(s.lastAt + timing.quietMs, s.firstAt + timing.maxWaitMs);
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      start(sessionId, s);
    }, Math.max(0, at - Date.now()));
  }

  function start(sessionId: string, s: SessionTurns): void {
    if (s.turn || closing) return;
    const seqs = s.waiting.splice(0).sort((a, b) => a - b);
    const waiters = s.waiters.splice(0);
    s.firstAt = 0;
    const controller = new AbortController();
    s.turns++;
    turnsStarted++;
    const done = runTurn(s.scope, sessionId, seqs, controller).finally(() => {
      s.turn = undefined;
      for (const w of waiters) w();
      if (s.waiting.length) schedule(sessionId, s);
      forget(sessionId, s);
    });
    s.turn = { controller, done };
  }

  async function runTurn(scope: Scope, sessionId: string, seqs: number[], controller: AbortController): Promise<void> {
    let session: SessionRecord;
    try {
      session = await store.getWorkflowSession(scope, sessionId);
    } catch (err) {
      logger.warn({ err, sessionId }, "could not read a session to answer its messages");
      return;
    }
    const def = definitionOf(session);
    if (!def?.onUserMessage || session.status !== "IN_PROGRESS" || controller.signal.aborted) return;
    const ctx = context(scope, session, controller.signal);
    try {
      await def.onUserMessage(ctx, { seqs });
    } catch (err) {
      if (isTabflowError(err, "session_closed") || controller.signal.aborted) return;
      logger.error({ err, sessionId }, "a workflow could not handle a message");
      await ctx
        .say("Sorry, something went wrong while handling that message. Please try again.", { role: "system", key: `error-for:${seqs.at(-1) ?? 0}` })
        .catch(() => {});
      await ctx.setRun({ state: "failed", error: "could not handle the last message" }).catch(() => {});
    }
  }

  return {
    /**
     * Before a user message is stored: refuses it when the session already holds as much
     * unanswered work as it may (or the server is shutting down). Returns the release of the
     * reservation, for when the message turns out not to be stored (or was a retry).
     */
    admit(scope: Scope, sessionId: string): () => void {
      if (closing) throw new TabflowError("unavailable", "the server is restarting; your message will be sent again when it is back");
      const s = entry(sessionId, scope);
      const held = s.waiting.length + s.reserved;
      if (held >= timing.maxPending) {
        forget(sessionId, s);
        throw new TabflowError("busy", `this session already has ${held} messages waiting for an answer; wait for the reply before sending more`, {
          retryAfterMs: timing.maxWaitMs,
        });
      }
      s.reserved++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        s.reserved = Math.max(0, s.reserved - 1);
        forget(sessionId, s);
      };
    },

    /** A stored user message: answered by the next turn of its session. Resolves when that turn ends. */
    accept({ scope, message }: UserMessage, release?: () => void): Promise<void> {
      const s = entry(message.sessionId, scope);
      if (closing) {
        release?.();
        // Stored while the server was stopping: flag it for the next start's recovery.
        void store.updateRun(scope, message.sessionId, { state: "running", step: "waiting for the agent", error: null }).catch(() => undefined);
        forget(message.sessionId, s);
        return Promise.resolve();
      }
      const now = Date.now();
      s.waiting.push(message.seq);
      release?.(); // after the push: the entry must not look empty (and be forgotten) in between
      s.lastAt = now;
      if (!s.firstAt) s.firstAt = now;
      const answered = new Promise<void>((resolve) => s.waiters.push(resolve));
      schedule(message.sessionId, s);
      return answered;
    },

    /** The turn running in a session, if any (Stop aborts it). */
    running: (sessionId: string): Running | undefined => sessions.get(sessionId)?.turn,
    has: (sessionId: string) => sessions.has(sessionId),
    /** Resolves when the session has no waiting message and no turn running. */
    async whenIdle(sessionId: string): Promise<void> {
      for (let s = sessions.get(sessionId); s; s = sessions.get(sessionId)) {
        if (s.turn) await s.turn.done;
        else if (s.waiting.length) await new Promise<void>((resolve) => s!.waiters.push(resolve));
        else if (s.reserved) await new Promise((resolve) => setTimeout(resolve, 5));
        else break;
      }
    },
    size: () => sessions.size,
    /** Agent turns started since this process started (benchmarks and tests read it). */
    turnsStarted: () => turnsStarted,

    /**
     * Shutdown: no new turn starts, running ones are aborted with `reason`. Sessions whose
     * messages were stored but not answered yet are marked running, so the next start's
     * recovery tells their users (never a message silently left unanswered).
     */
    async close(reason: Error): Promise<void> {
      closing = true;
      const unanswered: Array<[string, SessionTurns]> = [];
      for (const [sessionId, s] of sessions) {
        if (s.timer) clearTimeout(s.timer);
        s.timer = undefined;
        s.turn?.controller.abort(reason);
        if (s.waiting.length) unanswered.push([sessionId, s]);
      }
      await Promise.all([...sessions.values()].map((s) => s.turn?.done));
      await Promise.all(
        unanswered.map(([sessionId, s]) =>
          store.updateRun(s.scope, sessionId, { state: "running", step: "waiting for the agent", error: null }).catch(() => undefined),
        ),
      );
      for (const [, s] of sessions) for (const w of s.waiters.splice(0)) w();
      sessions.clear();
    },
  };
}

export type MessageTurns = ReturnType<typeof createMessageTurns>;
