/** Store records of artifact history → wire shapes (dates as ISO strings). */
import type { ArtifactHistory, ArtifactVersionState } from "../store/index.ts";
import type { ArtifactHistoryDto, ArtifactVersionDto } from "./protocol.ts";

export function toArtifactHistoryDto(h: ArtifactHistory): ArtifactHistoryDto {
  return {
    artifactId: h.artifactId,
    version: h.version,
    versions: h.versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() })),
    builds: h.builds.map((b) => ({
      sessionId: b.sessionId,
      title: b.title,
      workflowName: b.workflowName,
      status: b.status,
      run: { state: b.runState, step: b.runStep },
      version: b.version,
      createdAt: b.createdAt.toISOString(),
    })),
  };
}

export function toArtifactVersionDto(v: ArtifactVersionState): ArtifactVersionDto {
  return {
    artifactId: v.artifactId,
    type: v.type,
    version: v.version,
    state: v.state,
    createdAt: v.createdAt.toISOString(),
    previous: v.previous && { version: v.previous.version, state: v.previous.state, createdAt: v.previous.createdAt.toISOString() },
  };
}
