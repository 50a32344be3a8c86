/**
 * One request over the socket: size check, ack with a timeout, the ack envelope unwrapped into
 * data or a TabflowClientError. The only place the client emits.
 */
import type { Socket } from "socket.io-client";
import { TabflowClientError } from "./client-error.ts";
import { MAX_SOCKET_PAYLOAD_BYTES, payloadBytes } from "./limits.ts";
import type { Ack, ClientToServerEvents, RequestName, RequestPayload, RequestResult, ServerToClientEvents } from "./protocol.ts";

export type TabflowSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Requester = <E extends RequestName>(event: E, payload: RequestPayload<E>) => Promise<RequestResult<E>>;

type AckEmitter = { emitWithAck(event: string, payload: unknown): Promise<unknown> };

export function createRequester(socket: TabflowSocket, timeoutMs: number): Requester {
  return async function request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>> {
    let ack: Ack<RequestResult<E>>;
    if (payloadBytes(payload) > MAX_SOCKET_PAYLOAD_BYTES) {
      throw new TabflowClientError("invalid_payload", `${event} is too large: requests are limited to ${MAX_SOCKET_PAYLOAD_BYTES / 1024 / 1024} MiB`);
    }
    try {
      // socket.io's typings lose the ack type under timeout(); the event map guarantees it.
      ack = (await (socket.timeout(timeoutMs) as unknown as AckEmitter).emitWithAck(event, payload)) as Ack<RequestResult<E>>;
    } catch (err) {
      throw new TabflowClientError("unavailable", `no answer to ${event}: ${(err as Error).message}`);
    }
    if (!ack.ok) throw new TabflowClientError(ack.error.code, ack.error.message);
    return ack.data;
  };
}
