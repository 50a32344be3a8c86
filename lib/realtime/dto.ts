/**
 * Store records → wire shapes. Owner fields (enterprise, app, user) stay on the server: the
 * socket already knows who it is, and echoing them would invite clients to send them back.
 */
import type { ArtifactRecord, MessageRecord, SessionRecord } from "../store/index.ts";
import type { ArtifactActionDto, ArtifactDto, MessageDto, SessionDto, SessionSummary } from "./protocol.ts";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSessionSummary(s: SessionRecord): SessionSummary {
  return {
    id: s.id,
    title: s.title,
    workflowName: s.workflowName,
    status: s.status,
    lastSeq: s.lastSeq,
    lastActivityAt: s.lastActivityAt.toISOString(),
    createdAt: s.createdAt.toISOString(),
    parentSessionId: s.parentSessionId,
    run: { state: s.runState, step: s.runStep, error: s.runError },
  };
}

export function toSessionDto(s: SessionRecord): SessionDto {
  return {
    ...toSessionSummary(s),
    updatedAt: s.updatedAt.toISOString(),
    completedAt: iso(s.completedAt),
    archivedAt: iso(s.archivedAt),
    sourceArtifactId: s.sourceArtifactId,
  };
}

export function toMessageDto(m: MessageRecord): MessageDto {
  return {
    sessionId: m.sessionId,
    seq: m.seq,
    role: m.role,
    kind: m.kind,
    content: m.content,
    clientMessageId: m.clientMessageId,
    createdAt: m.createdAt.toISOString(),
  };
}

export function toArtifactDto(a: ArtifactRecord, actions: ArtifactActionDto[] = []): ArtifactDto {
  return {
    id: a.id,
    type: a.type,
    title: a.title,
    state: a.state,
    version: a.version,
    createdBySessionId: a.createdBySessionId,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    actions,
  };
}
