import type { Scope } from "../store/index.ts";

/**
 * Room names. A user's room carries all three scope parts, encoded, so two users with the same
 * id in different enterprises or apps can never share one (and no part can smuggle a ':').
 */
export function userRoom(scope: Scope): string {
  return `user:${[scope.enterpriseId, scope.appId, scope.userId].map(encodeURIComponent).join(":")}`;
}

/** Session ids are unique across owners, and only an owner's socket is ever let in. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}
