/**
 * The one place where a socket event becomes a handler call: it validates the payload,
 * answers through the ack exactly once, and turns every failure into a typed error. Handlers
 * therefore only hold the happy path, and no event can crash the process.
 */
import { isTabflowError } from "../errors.ts";
import { requestSchemas, type Ack, type AckError, type RequestName } from "./protocol.ts";
import type { HandlerContext, Handlers, TabflowServerSocket } from "./server-types.ts";
import { countEvent } from "./socket-limits.ts";

type Listener = (...args: unknown[]) => void;
type AnyHandler = (payload: unknown, ctx: HandlerContext) => Promise<unknown>;

export function bindHandlers(socket: TabflowServerSocket, handlers: Handlers, ctx: HandlerContext): void {
  // socket.on's typed overloads cannot express "any of these events"; the payload is
  // validated below, so the looser listener type loses nothing.
  const on = socket.on.bind(socket) as unknown as (event: string, listener: Listener) => void;
  const gate = createGate(MAX_IN_FLIGHT, MAX_QUEUED);
  for (const event of Object.keys(handlers) as RequestName[]) {
    const handler = handlers[event] as AnyHandler;
    on(event, (...args) => {
      // A request still waiting when its socket is gone (e.g. at shutdown) is dropped: nobody could get its answer.
      if (gate.run(async () => (socket.connected ? dispatch(event, handler, args, ctx) : undefined))) return;
      const ack = args.at(-1);
      if (typeof ack === "function") ack({ ok: false, error: { code: "busy", message: `${MAX_QUEUED} requests of this connection are already waiting; wait for their answers` } });
    });
  }
}

/**
 * A socket's requests run at most MAX_IN_FLIGHT at a time; the rest wait in order (at most
 * MAX_QUEUED, beyond that `busy`). A client pipelining thousands of sends therefore holds a
 * handful of database operations at once, and a health check or another user's request is
 * not queued behind all of them.
 */
const MAX_IN_FLIGHT = 4;
const MAX_QUEUED = 2_000;

function createGate(maxInFlight: number, maxQueued: number) {
  let running = 0;
  const queue: Array<() => Promise<void>> = [];
  const next = () => {
    while (running < maxInFlight && queue.length) {
      const job = queue.shift()!;
      running++;
      void job().finally(() => {
        running--;
        next();
      });
    }
  };
  return {
    /** Runs or queues job; false when the queue is full (job not taken). */
    run(job: () => Promise<void>): boolean {
      if (queue.length >= maxQueued) return false;
      queue.push(job);
      next();
      return true;
    },
  };
}

async function dispatch(event: RequestName, handler: AnyHandler, args: unknown[], ctx: HandlerContext): Promise<void> {
  const ack = args.at(-1);
  if (typeof ack !== "function") {
    // Every event is a request; without a callback nobody could learn the outcome.
    ctx.logger.debug({ event, socketId: ctx.socket.id }, "ignored an event sent without an ack callback");
    return;
  }
  let reply: Ack<unknown>;
  try {
    // Counted before anything else is done for it: a flood costs the server one counter each.
    if (ctx.limiters) await countEvent(ctx.limiters, ctx.socket);
    const parsed = requestSchemas[event].safeParse(args.length > 1 ? args[0] : undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      reply = { ok: false, error: { code: "invalid_payload", message: `invalid ${event} request${where}: ${issue?.message ?? "malformed"}` } };
    } else {
      reply = { ok: true, data: await handler(parsed.data, ctx) };
    }
  } catch (err) {
    reply = { ok: false, error: toAckError(err, event, ctx) };
  }
  try {
    (ack as (res: Ack<unknown>) => void)(reply);
  } catch (err) {
    ctx.logger.warn({ err, event }, "could not send an ack");
  }
}

function toAckError(err: unknown, event: RequestName, ctx: HandlerContext): AckError {
  if (isTabflowError(err) && err.code !== "internal") {
    if (err.code === "unavailable") ctx.logger.warn({ err, event }, "request failed: a dependency is unavailable");
    return { code: err.code, message: err.message };
  }
  // A bug: the details go to the log, the client gets a message that leaks nothing.
  ctx.logger.error({ err, event, socketId: ctx.socket.id }, "request failed unexpectedly");
  return { code: "internal", message: "an unexpected error occurred" };
}
