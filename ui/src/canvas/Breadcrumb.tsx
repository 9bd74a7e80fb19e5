// Inside a composite: the way back out (`project › stage › inner`, each step
// a button to that level; Escape with nothing selected goes up one), and the
// composite's ports along the canvas's edges, as the composite node outside
// shows them (the backend's view of the composed definition).

import { memo } from 'react';
import { currentComposite, useStore } from '../store';

export const Breadcrumb = memo(function Breadcrumb() {
  const inside = useStore((s) => s.inside);
  const project = useStore((s) => s.doc?.name ?? 'project');
  const leave = useStore((s) => s.leaveComposite);
  if (inside.length === 0) return null;
  return (
    <nav className="pb-breadcrumb" aria-label="Composite path" data-testid="breadcrumb">
      <button type="button" className="pb-breadcrumb__step" onClick={() => leave(0)} title="Back to the project's graph">
        {project}
      </button>
      {inside.map((step, i) => (
        <span key={`${i}:${step.node}`} className="pb-breadcrumb__item">
          <span className="pb-breadcrumb__sep" aria-hidden>
            ›
          </span>
          {i === inside.length - 1 ? (
            <span className="pb-breadcrumb__here" aria-current="location" title={`Composite ${step.composite}`}>
              {step.node}
            </span>
          ) : (
            <button type="button" className="pb-breadcrumb__step" onClick={() => leave(i + 1)} title={`Composite ${step.composite}`}>
              {step.node}
            </button>
          )}
        </span>
      ))}
    </nav>
  );
});

/** The entered composite's ports: its imports (the inner imports no inner
 *  wire feeds) on the left, folded (a count until opened: they can be many),
 *  its exports on the right. */
export const CompositePorts = memo(function CompositePorts() {
  const name = useStore((s) => currentComposite(s));
  const view = useStore((s) => (name ? s.components[name] : undefined));
  if (!name) return null;
  const imports = view?.info?.imports ?? [];
  const exports = view?.info?.exports ?? [];
  return (
    <>
      <details className="pb-composite-ports pb-composite-ports--imports" aria-label={`Imports of composite ${name}`}>
        <summary className="pb-composite-ports__title">
          {imports.length} port{imports.length === 1 ? '' : 's'} in (imports)
        </summary>
        {view?.error ? (
          <div className="pb-muted">{view.error}</div>
        ) : imports.length ? (
          <ul>
            {imports.map((p) => (
              <li key={p.name} title={p.name}>
                {p.name}
              </li>
            ))}
          </ul>
        ) : (
          <div className="pb-muted">none: every inner import is wired</div>
        )}
      </details>
      <details className="pb-composite-ports pb-composite-ports--exports" aria-label={`Exports of composite ${name}`} open>
        <summary className="pb-composite-ports__title">
          {exports.length} port{exports.length === 1 ? '' : 's'} out (exports)
        </summary>
        {exports.length ? (
          <ul>
            {exports.map((p) => (
              <li key={p.name} title={p.name}>
                {p.name}
              </li>
            ))}
          </ul>
        ) : (
          <div className="pb-muted">none yet: a node's menu exports its ports</div>
        )}
      </details>
    </>
  );
});
