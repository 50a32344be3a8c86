"use client";

import type { ArtifactDto } from "@/lib/realtime/protocol.ts";
import { PreviewPane } from "./preview-pane.tsx";
import { ArtifactHistory, type HistoryContext } from "./artifact-history.tsx";
import { appSpecState, buildProgressState, buildReportState, type AppSpec, type BuildProgress, type BuildReport } from "@/lib/artifacts/schemas.ts";

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function AppSpecView({ spec }: { spec: AppSpec }) {
  return (
    <div className="spec">
      <p className="spec-name">
        <strong>{spec.name}</strong>
      </p>
      {spec.summary && <p>{spec.summary}</p>}
      {spec.features.length > 0 && (
        <>
          <h4>Features</h4>
          <ul>
            {spec.features.map((f, i) => (
              <li key={i}>{f}</li>
            ))}
          </ul>
        </>
      )}
      {spec.entities.length > 0 && (
        <>
          <h4>Entities</h4>
          <ul className="entities">
            {spec.entities.map((e) => (
              <li key={e.name}>
                <strong>{e.name}</strong>
                {e.description && <span className="muted"> — {e.description}</span>}
                <ul className="fields">
                  {e.fields.map((f) => (
                    <li key={f.name}>
                      <code>
                        {f.name}: {f.type}
                        {f.type === "reference" && f.references ? ` → ${f.references}` : ""}
                        {f.required ? "" : "?"}
                      </code>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
      {spec.pages.length > 0 && (
        <>
          <h4>Pages</h4>
          <ul>
            {spec.pages.map((p) => (
              <li key={p.path + p.name}>
                {p.name} <code>{p.path}</code>
                {p.purpose && <span className="muted"> — {p.purpose}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ProgressView({ progress, label }: { progress: BuildProgress; label: string }) {
  const pct = Math.round(progress.percent);
  return (
    <div className="progress">
      <div role="progressbar" aria-label={label} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-valuetext={`${pct}% ${progress.step}`} className="bar">
        <div className="fill" style={{ width: `${pct}%` }} />
      </div>
      <p>
        {pct}% — {progress.step}
      </p>
      {progress.steps && progress.steps.length > 0 && (
        <ol className="steps">
          {progress.steps.map((s, i) => (
            <li key={i} className={`step-${s.status}`}>
              {s.name} <span className="muted">({s.status}{s.elapsedMs !== undefined && s.status !== "running" ? `, ${(s.elapsedMs / 1000).toFixed(1)} s` : ""})</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function ReportView({ report, sessionId }: { report: BuildReport; sessionId: string | null }) {
  return (
    <div className="report">
      <p>
        Status: <strong>{report.status === "succeeded" ? "Succeeded" : "Failed"}</strong> · {report.files.length} files, {formatBytes(report.totalBytes)}
      </p>
      {report.error && <pre className="error-text">{report.error}</pre>}
      {report.downloadUrl && (
        <p>
          <a className="download" href={report.downloadUrl} download>
            Download
          </a>
        </p>
      )}
      {report.status === "succeeded" && sessionId && <PreviewPane sessionId={sessionId} appName="the built app" />}
      {report.files.length > 0 && (
        <ul className="files">
          {report.files.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> <span className="muted">{formatBytes(f.bytes)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ArtifactBody({ artifact }: { artifact: ArtifactDto }) {
  if (artifact.type === "app_spec") {
    const p = appSpecState.safeParse(artifact.state);
    if (p.success) return <AppSpecView spec={p.data} />;
  } else if (artifact.type === "build_progress") {
    const p = buildProgressState.safeParse(artifact.state);
    if (p.success) return <ProgressView progress={p.data} label={artifact.title} />;
  } else if (artifact.type === "build_report") {
    const p = buildReportState.safeParse(artifact.state);
    if (p.success) return <ReportView report={p.data} sessionId={artifact.createdBySessionId} />;
  }
  return <pre className="json">{JSON.stringify(artifact.state, null, 2)}</pre>;
}

export function ArtifactPanel({
  artifacts,
  busy,
  onAction,
  history,
}: {
  artifacts: readonly ArtifactDto[];
  busy: string | null;
  onAction: (artifact: ArtifactDto, action: string) => void;
  /** Version history on each card (components/artifact-history.tsx). */
  history?: HistoryContext;
}) {
  return (
    <section aria-label="Artifacts" className="artifacts">
      <h2 className="panel-title">Artifacts</h2>
      {artifacts.length === 0 && <p className="empty">No artifacts yet.</p>}
      {/* Newest first: a Build's report above its progress above the spec it came from. */}
      {[...artifacts].reverse().map((a) => (
        <article key={a.id} className={`card card-${a.type}`} aria-labelledby={`artifact-${a.id}`}>
          <h3 id={`artifact-${a.id}`}>{a.title}</h3>
          {history ? <ArtifactHistory artifact={a} ctx={history} renderState={(state) => <ArtifactBody artifact={{ ...a, state }} />} /> : <ArtifactBody artifact={a} />}
          {a.actions.length > 0 && (
            <div className="actions">
              {a.actions.map((act) => (
                <button
                  key={act.id}
                  type="button"
                  className="primary"
                  disabled={!act.enabled || busy === `${a.id}:${act.id}`}
                  title={act.enabled ? undefined : act.reason}
                  onClick={() => onAction(a, act.id)}
                >
                  {act.label}
                </button>
              ))}
              {a.actions.some((act) => !act.enabled && act.reason) && (
                <p className="muted small">{a.actions.filter((act) => !act.enabled && act.reason).map((act) => `${act.label}: ${act.reason}`).join("; ")}</p>
              )}
            </div>
          )}
        </article>
      ))}
    </section>
  );
}
