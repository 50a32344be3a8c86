/** An artifact's versions, one version's state (with the one before, for a diff), and restore. */
import { toArtifactHistoryDto, toArtifactVersionDto } from "../dto-history.ts";
import type { Handlers } from "../server-types.ts";

export const artifactHistoryHandlers = {
  "artifact:history": async ({ artifactId }, { store, scope }) => toArtifactHistoryDto(await store.listArtifactHistory(scope, artifactId)),

  "artifact:version": async ({ artifactId, version }, { store, scope }) => toArtifactVersionDto(await store.getArtifactVersion(scope, artifactId, version)),

  "artifact:restore": async ({ artifactId, version, expectedVersion }, { store, scope, publisher }) => {
    const restored = await store.restoreArtifactVersion(scope, artifactId, { version, expectedVersion });
    // Persisted; now every session showing the artifact hears of its new version.
    const { sessionIds } = await store.getArtifactInstance(scope, artifactId);
    for (const sessionId of sessionIds) publisher.artifactChanged(sessionId, restored);
    return { artifactId: restored.id, version: restored.version };
  },
} satisfies Handlers;
