"use client";

import { useEffect, useState, type ReactNode } from "react";
import { TabflowClientError } from "@/lib/realtime/client.ts";
import { artifactHistory, artifactVersion, requestArtifactVersion, restoreArtifactVersion, takeRequestedVersion, VERSION_REQUEST_EVENT, type RequestClient } from "@/lib/realtime/history-client.ts";
import type { ArtifactDto, ArtifactHistoryDto, ArtifactVersionDto, JsonObject, SessionSummary } from "@/lib/realtime/protocol.ts";
import { stateText } from "./attention-text.ts";
import { SpecDiff } from "./spec-diff.tsx";

export interface HistoryContext {
  client: RequestClient | null;
  /** Live summaries by id (a Build's state as it runs). */
  sessions: ReadonlyMap<string, SessionSummary>;
  /** The session the card is shown in. */
  currentId?: string;
  /** The session is open (restoring is offered only there). */
  editable: boolean;
  onOpenSession(id: string): void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * An artifact card's history: "Version N of M" with Previous/Next; an older version shows its
 * state, a "Changes" region (the diff against the version before it) and "Restore this
 * version" (which makes version M+1). The Builds started from the shown version are listed
 * with their live state; in a Build, a link opens the spec it built, at that version.
 */
export function ArtifactHistory({ artifact, ctx, renderState }: { artifact: ArtifactDto; ctx: HistoryContext; renderState: (state: JsonObject) => ReactNode }) {
  const [history, setHistory] = useState<ArtifactHistoryDto | null>(null);
  const [viewing, setViewing] = useState<number | null>(() => takeRequestedVersion(artifact.id) ?? null);
  const [shown, setShown] = useState<ArtifactVersionDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const { client } = ctx;

  useEffect(() => {
    const onRequest = (e: Event) => {
      if ((e as CustomEvent<{ artifactId: string }>).detail?.artifactId !== artifact.id) return;
      const v = takeRequestedVersion(artifact.id);
      if (v !== undefined) setViewing(v);
    };
    window.addEventListener(VERSION_REQUEST_EVENT, onRequest);
    return () => window.removeEventListener(VERSION_REQUEST_EVENT, onRequest);
  }, [artifact.id]);

  // The list of versions and builds, again whenever the artifact gets a new version.
  useEffect(() => {
    if (!client) return;
    let live = true;
    artifactHistory(client, artifact.id)
      .then((h) => live && setHistory(h))
      .catch((err: unknown) => live && setError(message(err)));
    return () => {
      live = false;
    };
  }, [client, artifact.id, artifact.version]);

  const current = viewing === null || viewing === artifact.version;
  useEffect(() => {
    if (!client || current || viewing === null) return setShown(null);
    let live = true;
    artifactVersion(client, artifact.id, viewing)
      .then((v) => live && setShown(v))
      .catch((err: unknown) => live && setError(message(err)));
    return () => {
      live = false;
    };
  }, [client, artifact.id, viewing, current]);

  const versions = history?.versions.map((v) => v.version) ?? [];
  if (!versions.includes(artifact.version)) versions.push(artifact.version);
  const at = current ? artifact.version : viewing!;
  const index = versions.indexOf(at);
  const step = (d: -1 | 1) => {
    const to = versions[index + d];
    if (to === undefined) return;
    setError(null);
    setViewing(to === artifact.version ? null : to);
  };

  async function restore() {
    if (!client || viewing === null) return;
    setRestoring(true);
    setError(null);
    try {
      await restoreArtifactVersion(client, artifact.id, viewing, artifact.version);
      setViewing(null);
    } catch (err) {
      setError(err instanceof TabflowClientError && err.code === "conflict" ? `It changed meanwhile (${err.message}); look again and retry.` : message(err));
      if (client) artifactHistory(client, artifact.id).then(setHistory, () => {});
    } finally {
      setRestoring(false);
    }
  }

  const builds = history?.builds ?? [];
  const fromShown = builds.filter((b) => b.version === at);
  const thisBuild = builds.find((b) => b.sessionId === ctx.currentId);
  const generatorId = artifact.createdBySessionId;

  return (
    <div className="history-view">
      <div className="version-nav" role="group" aria-label="Versions">
        <button type="button" onClick={() => step(-1)} disabled={index <= 0}>
          Previous version
        </button>
        <span className="version-text">{history ? `Version ${index + 1} of ${versions.length}` : "Version history loading…"}</span>
        <button type="button" onClick={() => step(1)} disabled={index < 0 || index >= versions.length - 1}>
          Next version
        </button>
        {!current && (
          <button type="button" className="link" onClick={() => setViewing(null)}>
            Back to the current version
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error-text small">
          {error}
        </p>
      )}
      {current ? renderState(artifact.state) : shown ? renderState(shown.state) : <p className="muted small">Loading version…</p>}
      {!current && shown && (
        <>
          <section aria-label="Changes" className="changes">
            <h4>Changes from the version before</h4>
            {shown.previous ? <SpecDiff type={shown.type} before={shown.previous.state} after={shown.state} /> : <p className="muted small">The first version: nothing came before it.</p>}
          </section>
          {ctx.editable && (
            <button type="button" className="primary" disabled={restoring} onClick={restore}>
              Restore this version
            </button>
          )}
        </>
      )}
      {fromShown.length > 0 && (
        <div className="builds-from">
          <h4>Builds from this version</h4>
          <ul>
            {fromShown.map((b) => {
              const s = ctx.sessions.get(b.sessionId);
              return (
                <li key={b.sessionId}>
                  <button type="button" className="link" onClick={() => ctx.onOpenSession(b.sessionId)}>
                    {b.title}
                  </button>{" "}
                  <span className="muted small">{stateText(s ?? { status: b.status, run: { ...b.run, error: null } })}</span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {thisBuild?.version != null && generatorId && (
        <p className="small">
          This build used version {versions.indexOf(thisBuild.version) + 1 || thisBuild.version} of the spec.{" "}
          <button
            type="button"
            className="link"
            onClick={() => {
              requestArtifactVersion(artifact.id, thisBuild.version!);
              ctx.onOpenSession(generatorId);
            }}
          >
            Open the spec this build used
          </button>
        </p>
      )}
    </div>
  );
}
