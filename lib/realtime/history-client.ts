/**
 * The quick switcher's and the artifact history's requests, over the one client (which stays
 * the only code that talks to the socket). Thin and typed: errors are TabflowClientErrors.
 */
import type { TabflowClient } from "./client.ts";
import type { ArtifactHistoryDto, ArtifactVersionDto, SessionSearchHitDto } from "./protocol.ts";

export type RequestClient = Pick<TabflowClient, "request">;

export function searchSessions(client: RequestClient, query: string, limit = 20): Promise<SessionSearchHitDto[]> {
  return client.request("session:search", { query, limit });
}

export function artifactHistory(client: RequestClient, artifactId: string): Promise<ArtifactHistoryDto> {
  return client.request("artifact:history", { artifactId });
}

export function artifactVersion(client: RequestClient, artifactId: string, version: number): Promise<ArtifactVersionDto> {
  return client.request("artifact:version", { artifactId, version });
}

export function restoreArtifactVersion(client: RequestClient, artifactId: string, version: number, expectedVersion: number): Promise<{ artifactId: string; version: number }> {
  return client.request("artifact:restore", { artifactId, version, expectedVersion });
}

/**
 * "Open this spec at version N" across a switch: the link in a Build sets it, the spec card of
 * the Generator takes it (a card already on screen by the event, one mounting after the switch
 * on mount). In memory only; a request not taken within a few seconds lapses.
 */
const requested = new Map<string, { version: number; at: number }>();
const REQUEST_LIFETIME_MS = 5000;
export const VERSION_REQUEST_EVENT = "tabflow:artifact-version";
export function requestArtifactVersion(artifactId: string, version: number): void {
  requested.set(artifactId, { version, at: Date.now() });
  globalThis.dispatchEvent?.(new CustomEvent(VERSION_REQUEST_EVENT, { detail: { artifactId } }));
}
export function takeRequestedVersion(artifactId: string): number | undefined {
  const r = requested.get(artifactId);
  if (!r || Date.now() - r.at > REQUEST_LIFETIME_MS) return undefined;
  return r.version;
}
