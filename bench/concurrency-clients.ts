/**
 * The load side of the concurrency benchmark, in its own process: connects one Socket.IO
 * client per user, joins each to its session, and records every message's persist → arrival
 * latency and seq. Driven by bench/concurrency.ts over IPC.
 */
import { io as connect, type Socket } from "socket.io-client";
import type { ClientReport } from "./concurrency.ts";

interface Start {
  type: "start";
  url: string;
  users: { token: string; sessionId: string }[];
}

const report: ClientReport = { connectErrors: 0, ackErrors: 0, disconnects: 0, latenciesMs: [], received: {}, joinedAt: {} };
const sockets: Socket[] = [];
let finishing = false;

async function open(url: string, user: Start["users"][number]): Promise<void> {
  const s = connect(url, { transports: ["websocket"], auth: { token: user.token }, forceNew: true, reconnection: false });
  sockets.push(s);
  const got: number[] = (report.received[user.sessionId] = []);
  s.on("message:new", (m: { sessionId: string; seq: number; createdAt: string }) => {
    report.latenciesMs.push(Date.now() - Date.parse(m.createdAt));
    if (m.sessionId === user.sessionId) got.push(m.seq);
  });
  s.on("disconnect", () => {
    if (!finishing) report.disconnects++;
  });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", (err) => {
      report.connectErrors++;
      reject(err);
    });
  });
  const ack = (await s.timeout(60_000).emitWithAck("session:join", { sessionId: user.sessionId, afterSeq: 0 })) as {
    ok: boolean;
    data?: { session: { lastSeq: number }; messages: { seq: number }[] };
  };
  if (!ack.ok || !ack.data) {
    report.ackErrors++;
    return;
  }
  // What the join returned is held; broadcasts after it are what this client measures.
  const held = Math.max(ack.data.session.lastSeq, ...ack.data.messages.map((m) => m.seq));
  report.joinedAt[user.sessionId] = held;
  got.splice(0, got.length, ...got.filter((seq) => seq > held));
}

process.on("message", async (msg: Start | { type: "finish" }) => {
  if (msg.type === "start") {
    const t0 = Date.now();
    // 50 handshakes at a time: a burst of 1,000 would measure the accept queue, not delivery.
    for (let i = 0; i < msg.users.length; i += 50) {
      await Promise.allSettled(msg.users.slice(i, i + 50).map((u) => open(msg.url, u)));
    }
    process.send!({ type: "ready", connectMs: Date.now() - t0 });
  } else if (msg.type === "finish") {
    finishing = true;
    // One more round trip per socket: every broadcast sent before it has arrived.
    await Promise.allSettled(sockets.map((s) => s.timeout(30_000).emitWithAck("session:list", {})));
    process.send!({ type: "report", report });
    for (const s of sockets) s.close();
  }
});
