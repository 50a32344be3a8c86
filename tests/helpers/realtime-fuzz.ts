/**
 * Malformed socket traffic for the robustness test: wrong types, missing fields, huge strings,
 * unknown and foreign ids, extra arguments, no ack callback, unknown event names. Every
 * generated request is built so that, if the server handled it correctly, nothing is written.
 */
import { MAX_TEXT_CHARS, type RequestName } from "../../lib/realtime/protocol.ts";

export interface FuzzCase {
  event: string;
  args: unknown[];
  /** False: sent without an ack callback (the server must ignore it). */
  withAck: boolean;
}

export interface FuzzIds {
  /** Sessions of another user: every request naming them must get not_found. */
  foreign: string[];
  /** The sender's own closed sessions: sends must get session_closed. */
  ownClosed: string[];
}

const UNKNOWN_EVENTS = ["session:delete", "admin:drop", "toString", "constructor", "__proto__", "hasOwnProperty", "message:send ", "SESSION:LIST", "x".repeat(300)];
const REQUESTS: RequestName[] = [
  "session:list",
  "session:create",
  "session:complete",
  "session:archive",
  "session:unarchive",
  "session:join",
  "session:leave",
  "message:list",
  "message:send",
  "workflow:list",
  "artifact:action",
  "run:stop",
];

export function fuzzCases(count: number, random: () => number, ids: FuzzIds): FuzzCase[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const huge = () => "\u{1F600}x".repeat(5_000 + Math.floor(random() * 25_000));
  const junk = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => undefined,
      () => Math.floor(random() * 2 ** 53) * (random() < 0.5 ? -1 : 1),
      () => random() * 1e308,
      () => -0.5,
      () => "",
      () => "   ",
      () => huge(),
      () => true,
      () => [],
      () => [1, "two", { three: 3 }],
      () => ({}),
      () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
      () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
      () => new Uint8Array([1, 2, 3]),
      () => ({ deep: nest(50) }),
      () => "<script>alert(1)</script>",
      () => "'; DROP TABLE \"Message\"; --",
      () => "\u0000\uFFFF\uD800",
    ])();
  // An id no one owns, another user's id, or a value that is not an id at all.
  const badId = (): unknown => pick<() => unknown>([() => `missing-${Math.floor(random() * 1e9)}`, () => pick(ids.foreign), junk])();
  const anyId = (): unknown => (random() < 0.8 ? badId() : pick(ids.ownClosed));
  const seq = (): unknown => pick<() => unknown>([() => -1, () => 1.5, () => "3", () => Number.MAX_SAFE_INTEGER + 2, () => Math.floor(random() * 10), junk])();

  const payloadFor = (event: RequestName): unknown => {
    switch (event) {
      case "session:list":
        return pick<() => unknown>([junk, () => ({ statuses: junk() }), () => ({ statuses: ["SUSPENDED"] }), () => ({ statuses: [] })])();
      case "session:create": // never a valid workflow name: a created session would be a write
        return { workflowName: pick<() => unknown>([junk, () => "Generator", () => "a".repeat(65), () => "gen erator", () => huge()])(), title: junk() };
      case "session:complete":
      case "session:archive":
      case "session:unarchive":
      case "session:leave":
        return pick<() => unknown>([junk, () => ({ sessionId: badId() }), () => ({ session: pick(ids.foreign) })])();
      case "session:join":
      case "message:list":
        return pick<() => unknown>([junk, () => ({ sessionId: badId(), afterSeq: seq() }), () => ({ sessionId: anyId() }), () => ({ afterSeq: 0 })])();
      case "workflow:list":
        return junk();
      case "artifact:action":
        return pick<() => unknown>([
          junk,
          () => ({ artifactId: badId(), action: "start_build" }),
          () => ({ artifactId: badId(), action: junk(), sessionId: badId() }),
          () => ({ artifactId: pick(ids.foreign), action: "retry_build" }),
        ])();
      case "run:stop":
        return pick<() => unknown>([junk, () => ({ sessionId: anyId() })])();
      case "message:send":
        return pick<() => unknown>([
          junk,
          () => ({ sessionId: anyId(), clientMessageId: `c-${random()}`, text: "hello" }),
          () => ({ sessionId: anyId(), clientMessageId: junk(), text: junk() }),
          () => ({ sessionId: anyId(), clientMessageId: "c", text: "y".repeat(MAX_TEXT_CHARS + 1) }),
          () => ({ sessionId: anyId(), text: "no client id" }),
          () => ({ sessionId: badId(), clientMessageId: "c", text: "x", userId: "someone-else", role: "agent" }),
        ])();
    }
  };

  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const unknown = random() < 0.1;
    const event = unknown ? pick(UNKNOWN_EVENTS) : pick(REQUESTS);
    const payload = unknown ? junk() : payloadFor(event as RequestName);
    const roll = random();
    const args = roll < 0.05 ? [] : roll < 0.1 ? [payload, junk(), junk()] : [payload];
    cases.push({ event, args, withAck: random() < 0.8 });
  }
  return cases;
}

function nest(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { next: value, list: [i] };
  return value;
}
