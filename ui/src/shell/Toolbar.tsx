import { useStore } from '../store';
import { baseName } from '../store/doc';
import { formatMillis } from '../panels/text';
import { runPendingCall } from './shortcuts';
import { Icon } from './Icon';
import { Logo } from './Logo';
import { MOD } from './platform';


function ActivityIndicator() {
  const analyzing = useStore((s) => s.analyzing);
  const running = useStore((s) => s.running);
  const busy = useStore((s) => Object.keys(s.busy).join(', '));
  const millis = useStore((s) => s.analysis?.millis ?? null);
  const what = running ? 'running' : busy ? `${busy}…` : analyzing ? 'checking…' : null;
  return (
    <div className="pb-activity" role="status" aria-live="polite" data-testid="activity">
      {what ? (
        <>
          <span className="pb-spinner" aria-hidden />
          <span>{what}</span>
        </>
      ) : millis !== null ? (
        <span className="pb-muted" title="Time the last check and compose took">
          checked in {formatMillis(millis)}
        </span>
      ) : null}
    </div>
  );
}

function ProblemSummary() {
  const counts = useStore((s) => {
    let errors = 0;
    let warnings = 0;
    for (const p of s.analysis?.problems ?? []) {
      if (p.severity === 'error') errors++;
      else if (p.severity === 'warning') warnings++;
      // A note (an empty project's "nothing to compose yet") is neither.
    }
    return `${errors}/${warnings}`;
  });
  const setBottomTab = useStore((s) => s.setBottomTab);
  const hasDoc = useStore((s) => s.doc !== null);
  // No analysis (not yet, or it failed) is never "No problems".
  const unchecked = useStore((s) => (s.analysisError ? 'failed' : s.analysis ? null : 'pending'));
  if (!hasDoc) return null;
  const [counted, warnings] = counts.split('/').map(Number);
  const errors = unchecked === 'failed' ? 1 : counted;
  const label =
    unchecked === 'failed'
      ? 'Not checked'
      : unchecked === 'pending'
        ? 'Checking…'
        : errors || warnings
          ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
          : 'No problems';
  return (
    <button
      type="button"
      className={`pb-btn pb-btn--ghost pb-problem-summary ${errors ? 'has-errors' : warnings ? 'has-warnings' : 'is-clean'}`}
      onClick={() => setBottomTab('problems')}
      title="Show the problems"
    >
      <Icon name={errors ? 'error' : warnings ? 'warning' : 'ok'} />
      {label}
    </button>
  );
}

export function Toolbar() {
  const hasDoc = useStore((s) => s.doc !== null);
  const name = useStore((s) => s.doc?.name ?? null);
  const path = useStore((s) => s.project?.path ?? null);
  const dirty = useStore((s) => s.dirty);
  const undoLabel = useStore((s) => s.past.at(-1)?.label ?? null);
  const redoLabel = useStore((s) => s.future.at(-1)?.label ?? null);
  const running = useStore((s) => s.running);
  const theme = useStore((s) => s.theme);
  const a = useStore.getState;

  return (
    <header className="pb-toolbar" role="toolbar" aria-label="Project">
      <div className="pb-brand" aria-hidden>
        <span className="pb-brand__mark">
          <Logo />
        </span>{' '}
        <span className="pb-brand__name">Patchbay</span>
      </div>
      <div className="pb-toolbar__group">
        <button
          type="button"
          className="pb-btn pb-btn--collapsible"
          onClick={() => a().setNewProject({ dir: null })}
          aria-label="New project…"
          title={`Start a new, empty project in a folder (${MOD}N)`}
        >
          <Icon name="add" /> <span className="pb-btn__label">New…</span>
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--collapsible"
          onClick={() => void a().openProject(null)}
          aria-label="Open…"
          title={`Open a project, or import a .wac recipe or a composed .wasm as one (${MOD}O)`}
        >
          <Icon name="open" /> <span className="pb-btn__label">Open…</span>
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--collapsible"
          disabled={!hasDoc}
          onClick={() => void a().save(false)}
          aria-label="Save"
          title={`Save (${MOD}S); Save as: ${MOD}Shift+S`}
        >
          <Icon name="save" /> <span className="pb-btn__label">Save</span>
        </button>
      </div>
      <div className="pb-toolbar__group">
        <button
          type="button"
          className="pb-btn pb-btn--icon"
          disabled={!undoLabel}
          onClick={() => a().undo()}
          aria-label={undoLabel ? `Undo ${undoLabel}` : 'Undo'}
          title={undoLabel ? `Undo ${undoLabel} (${MOD}Z)` : `Nothing to undo (${MOD}Z)`}
        >
          <Icon name="undo" />
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--icon"
          disabled={!redoLabel}
          onClick={() => a().redo()}
          aria-label={redoLabel ? `Redo ${redoLabel}` : 'Redo'}
          title={redoLabel ? `Redo ${redoLabel} (${MOD}Y)` : `Nothing to redo (${MOD}Y)`}
        >
          <Icon name="redo" />
        </button>
      </div>
      <div className="pb-toolbar__group">
        <button
          type="button"
          className="pb-btn"
          disabled={!hasDoc}
          onClick={() => void a().addComponents(null)}
          aria-label="Add component…"
          title="Add a component from a .wasm or .wat file"
        >
          <Icon name="add" /> <span className="pb-btn__label">Add component…</span>
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--collapsible"
          disabled={!hasDoc}
          onClick={() => void a().autoLayout()}
          aria-label="Auto-layout"
          title="Lay out the graph left to right"
        >
          <Icon name="layout" /> <span className="pb-btn__label">Auto-layout</span>
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--collapsible"
          disabled={!hasDoc}
          onClick={() => a().setExportOpen(true)}
          aria-label="Export…"
          title={`Export the composed component (${MOD}E)`}
        >
          <Icon name="export" /> <span className="pb-btn__label">Export…</span>
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--primary"
          disabled={!hasDoc || running}
          onClick={runPendingCall}
          title={`Run the call from the Run panel (${MOD}Enter)`}
        >
          <Icon name="run" /> {running ? 'Running…' : 'Run'}
        </button>
      </div>
      <div className="pb-toolbar__title" title={path ?? undefined}>
        {name ? (
          <>
            <span className="pb-toolbar__name">{name}</span>
            {dirty && (
              <span className="pb-dirty" aria-label="unsaved changes" title="Unsaved changes">
                ●
              </span>
            )}
            {path && <span className="pb-toolbar__path">{baseName(path)}</span>}
          </>
        ) : (
          <span className="pb-muted">No project</span>
        )}
      </div>
      <ActivityIndicator />
      <ProblemSummary />
      <div className="pb-toolbar__group">
        <button
          type="button"
          className="pb-btn pb-btn--ghost"
          onClick={() => a().setPaletteOpen(true)}
          aria-label="Search"
          title={`Search nodes, components and ports (${MOD}K)`}
        >
          <Icon name="search" /> <span className="pb-btn__label pb-search__label">Search</span> <kbd>{MOD}K</kbd>
        </button>
        <button
          type="button"
          className="pb-btn pb-btn--icon pb-btn--ghost"
          onClick={() => a().toggleTheme()}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
      </div>
    </header>
  );
}
