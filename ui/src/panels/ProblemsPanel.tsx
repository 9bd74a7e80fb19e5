/**
 * Everything `check` found, pinned to what caused it: click a problem to
 * focus its node, wire, binding or export on the canvas.
 */
import { problemIndex, useStore, type Severity } from '../store';
import { EmptyState, Mark } from './common';
import { locateComponent, removeComponent, unopenedComponent } from './componentFix';
import { formatBytes, formatMillis, locationText } from './text';

/** Errors first, then warnings, then notes (information, not problems). */
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

export function ProblemsPanel() {
  const analysis = useStore((s) => s.analysis);
  const failed = useStore((s) => s.analysisError);
  const focusLocation = useStore((s) => s.focusLocation);

  if (failed)
    return (
      <section className="pbp-panel" aria-label="Problems">
        <div className="pbp-empty pbp-sev-error" role="alert">
          The graph could not be checked: {failed}
        </div>
      </section>
    );
  if (!analysis) return <EmptyState>Analyzing…</EmptyState>;
  const problems = [...analysis.problems].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const { errors, warnings, notes } = problemIndex(analysis);
  if (problems.length === 0) {
    return (
      <section className="pbp-panel" aria-label="Problems">
        <div className="pbp-empty pbp-empty-ok">
          <span className="pbp-ok-mark" aria-hidden="true">
            ✓
          </span>{' '}
          No problems — the graph composes
          {analysis.composed && <> ({formatBytes(analysis.composed.size)})</>}.
        </div>
      </section>
    );
  }
  return (
    <section className="pbp-panel" aria-label="Problems">
      <div className="pbp-summary">
        {errors > 0 && <span className="pbp-sev-error">{errors} error{errors === 1 ? '' : 's'}</span>}
        {warnings > 0 && <span className="pbp-sev-warning">{warnings} warning{warnings === 1 ? '' : 's'}</span>}
        {errors + warnings === 0 && <span className="pbp-empty-ok">No problems</span>}
        {notes > 0 && <span className="pbp-sev-note">{notes} note{notes === 1 ? '' : 's'}</span>}
        <span className="pbp-muted">checked in {formatMillis(analysis.millis)}</span>
      </div>
      <ul className="pbp-problems">
        {problems.map((p, i) => (
          <li key={i} className="pbp-problem-row">
            <button
              type="button"
              className={`pbp-problem pbp-problem-${p.severity}`}
              onClick={() => focusLocation(p.location)}
              title="Show on the canvas"
            >
              <span className={`pbp-sev-icon pbp-sev-${p.severity}`} role="img" aria-label={p.severity}>
                <Mark kind={p.severity} />
              </span>
              <span className="pbp-problem-body">
                <span className="pbp-problem-head">
                  <code className="pbp-problem-code">{p.code}</code>
                  <span className="pbp-problem-loc">{locationText(p.location)}</span>
                </span>
                <span className="pbp-problem-message">{p.message}</span>
              </span>
            </button>
            <ComponentFixes component={unopenedComponent(p)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Locate / Remove for a component whose file cannot be opened. */
function ComponentFixes({ component }: { component: string | null }) {
  if (!component) return null;
  return (
    <span className="pbp-fixes">
      <button type="button" className="pb-btn pb-btn--small" onClick={() => void locateComponent(component)}>
        Locate file…
      </button>
      <button type="button" className="pb-btn pb-btn--small" onClick={() => removeComponent(component)}>
        Remove {component}
      </button>
    </span>
  );
}
