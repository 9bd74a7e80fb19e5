import { useMemo, useState } from 'react';
import { orderedSamples, sampleBlurb, useStore } from '../store';
import { MOD } from './platform';
import { Icon } from './Icon';
import { Logo } from './Logo';
import '../canvas/menus.css';

/** Why the last project did not open (a missing file, a broken
 *  `patchbay.toml`): it stays until a project opens. */
function OpenFailure() {
  const error = useStore((s) => s.openError);
  const retryStartup = useStore((s) => s.retryStartup);
  const setNewProject = useStore((s) => s.setNewProject);
  const [retrying, setRetrying] = useState(false);
  if (!error) return null;
  const title = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return (
    <div className="pb-open-failure" role="alert" aria-label="The project did not open" data-testid="open-error">
      <div className="pb-open-failure__title">
        <Icon name="error" /> {title}
      </div>
      {error.detail && <pre className="pb-open-failure__detail">{error.detail}</pre>}
      {error.folder && (
        <button
          type="button"
          className="pb-btn pb-btn--primary"
          onClick={() => setNewProject({ dir: error.folder ?? null })}
          title={`Write an empty patchbay.toml into ${error.folder}`}
        >
          <Icon name="add" /> Create a project here…
        </button>
      )}
      {error.retry === 'startup' && (
        <button
          type="button"
          className="pb-btn"
          disabled={retrying}
          onClick={() => {
            setRetrying(true);
            void retryStartup().finally(() => setRetrying(false));
          }}
          title="Open the same project again, after fixing it"
        >
          {retrying ? 'Opening…' : 'Try again'}
        </button>
      )}
    </div>
  );
}

/** Shown instead of the canvas when no project is open: why the last one did
 *  not open, if it did not; open a project, or start from one of the samples
 *  that ship with the app in one click. */
export function NoProject() {
  const openProject = useStore((s) => s.openProject);
  const openSample = useStore((s) => s.openSample);
  const setNewProject = useStore((s) => s.setNewProject);
  const shipped = useStore((s) => s.samples);
  const samples = useMemo(() => orderedSamples(shipped), [shipped]);
  const [first, ...rest] = samples;
  return (
    <div className="pb-empty-state" data-testid="empty-state">
      <div className="pb-empty-state__card">
        <OpenFailure />
        <div className="pb-empty-state__mark" aria-hidden>
          <Logo size={48} />
        </div>
        <h1>Open a project ({MOD}O) or drop .wasm/.wat files here</h1>
        <p className="pb-muted">
          A project is a folder with a <code>patchbay.toml</code>: components, the wires between them, and what each
          unwired import is granted, mocked or denied.
        </p>
        <div className="pb-empty-state__actions">
          {first && (
            <button
              type="button"
              className="pb-btn pb-btn--primary pb-btn--large"
              onClick={() => void openSample(first.name)}
              title={first.description ? sampleBlurb(first.description) : undefined}
            >
              <Icon name="run" /> Open the {first.name} sample
            </button>
          )}
          <button
            type="button"
            className={`pb-btn pb-btn--large ${first ? '' : 'pb-btn--primary'}`}
            onClick={() => void openProject(null)}
          >
            <Icon name="open" /> Open a project…
          </button>
          <button type="button" className="pb-btn pb-btn--large" onClick={() => setNewProject({ dir: null })}>
            <Icon name="add" /> New project… <kbd>{MOD}N</kbd>
          </button>
        </div>
        {first ? (
          <>
            {first.description && <p className="pb-empty-state__hint">{sampleBlurb(first.description)}</p>}
            {rest.length > 0 && (
              <section className="pb-samples" aria-label="More samples">
                <h2 className="pb-samples__heading">More samples</h2>
                <ul className="pb-samples__list">
                  {rest.map((s) => (
                    <li key={s.name}>
                      <button type="button" className="pb-sample" onClick={() => void openSample(s.name)}>
                        <span className="pb-sample__name">{s.name}</span>
                        {s.description && <span className="pb-sample__description">{sampleBlurb(s.description)}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        ) : (
          <p className="pb-empty-state__hint">
            New here? Open the kv-service sample: <code>samples/kv-service/patchbay.toml</code>
          </p>
        )}
      </div>
    </div>
  );
}

/** Shown over the canvas when the project has no nodes: add a component
 *  from a file, or one of the components that ship with the samples. */
export function NoNodes() {
  const addComponents = useStore((s) => s.addComponents);
  const hasComponents = useStore((s) => (s.doc?.components.length ?? 0) > 0);
  const shipped = useStore((s) => s.sampleComponents);
  return (
    <div className="pb-canvas-empty" data-testid="empty-canvas">
      <p>This project has no nodes yet.</p>
      <p className="pb-muted">
        {hasComponents
          ? 'Drag a component from the library onto the canvas, or add a new one.'
          : 'Add a component, or drop .wasm/.wat files onto the window.'}
      </p>
      <button type="button" className="pb-btn pb-btn--primary" onClick={() => void addComponents(null)}>
        <Icon name="add" /> Add component…
      </button>
      {shipped.length > 0 && (
        <section className="pb-sample-components" aria-label="Sample components">
          <p className="pb-muted">Or add a component that ships with the samples (double-click the canvas or press Tab to search):</p>
          <ul>
            {shipped.map((c) => (
              <li key={c.path}>
                <button
                  type="button"
                  className="pb-btn pb-btn--small"
                  title={c.path}
                  onClick={() => void addComponents([c.path])}
                >
                  {c.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
