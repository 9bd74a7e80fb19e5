import { useStore } from '../store';
import { MOD } from './platform';
import { Icon } from './Icon';
import { Logo } from './Logo';

/** Shown instead of the canvas when no project is open. */
export function NoProject() {
  const openProject = useStore((s) => s.openProject);
  return (
    <div className="pb-empty-state" data-testid="empty-state">
      <div className="pb-empty-state__card">
        <div className="pb-empty-state__mark" aria-hidden>
          <Logo size={48} />
        </div>
        <h1>Open a project ({MOD}O) or drop .wasm/.wat files here</h1>
        <p className="pb-muted">
          A project is a folder with a <code>patchbay.toml</code>: components, the wires between them, and what each
          unwired import is granted, mocked or denied.
        </p>
        <button type="button" className="pb-btn pb-btn--primary pb-btn--large" onClick={() => void openProject(null)}>
          <Icon name="open" /> Open a project…
        </button>
        <p className="pb-empty-state__hint">
          New here? Open the kv-service sample: <code>samples/kv-service/patchbay.toml</code>
        </p>
      </div>
    </div>
  );
}

/** Shown over the canvas when the project has no nodes. */
export function NoNodes() {
  const addComponents = useStore((s) => s.addComponents);
  const hasComponents = useStore((s) => (s.doc?.components.length ?? 0) > 0);
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
    </div>
  );
}
