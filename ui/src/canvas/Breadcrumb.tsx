// Inside a composite: a bar docked above the graph (in the layout, not over
// it, so it never covers a node however the graph is panned): the way back
// out (`project › stage › inner`, each step a button to that level; Escape
// with nothing selected goes up one), and the composite's ports as the
// composite node outside shows them (the backend's view of the composed
// definition), folded to counts; one opens into a list inside the bar.

import { memo, useState } from 'react';
import { currentComposite, useStore, type PortInfo } from '../store';

/** The bar above the graph while a composite is entered (nothing at the
 *  top level). Its open list is forgotten when the path changes. */
export const InsideBar = memo(function InsideBar() {
  const path = useStore((s) => s.inside.map((step) => step.node).join('/'));
  if (!path) return null;
  return (
    <div className="pb-inside-bar" data-testid="inside-bar">
      <Breadcrumb />
      <CompositePorts key={path} />
    </div>
  );
});

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

type Side = 'imports' | 'exports';

function count(n: number, what: string): string {
  return `${n} port${n === 1 ? '' : 's'} ${what}`;
}

/** The entered composite's ports: its imports (the inner imports no inner
 *  wire feeds) and its exports, each a count that opens its list below
 *  (they can be many), one list at a time. */
export const CompositePorts = memo(function CompositePorts() {
  const name = useStore((s) => currentComposite(s));
  const view = useStore((s) => (name ? s.components[name] : undefined));
  const [open, setOpen] = useState<Side | null>(null);
  if (!name) return null;
  const imports = view?.info?.imports ?? [];
  const exports = view?.info?.exports ?? [];
  const toggle = (side: Side) => setOpen((o) => (o === side ? null : side));
  const summary = (side: Side, ports: PortInfo[], text: string, hint: string) => (
    <button
      type="button"
      className={`pb-inside-bar__count ${open === side ? 'is-open' : ''}`}
      aria-expanded={open === side}
      aria-controls={`pb-composite-${side}`}
      onClick={() => toggle(side)}
      title={`${hint} of composite ${name}: ${open === side ? 'hide' : 'show'} them`}
    >
      <span className="pb-inside-bar__caret" aria-hidden>
        {open === side ? '▾' : '▸'}
      </span>
      {count(ports.length, text)}
    </button>
  );
  const list = (side: Side, ports: PortInfo[], none: string) => (
    <ul id={`pb-composite-${side}`} className="pb-inside-bar__ports" aria-label={`${side === 'imports' ? 'Imports' : 'Exports'} of composite ${name}`}>
      {ports.length ? (
        ports.map((p) => (
          <li key={p.name} title={p.name}>
            {p.name}
          </li>
        ))
      ) : (
        <li className="pb-muted">{none}</li>
      )}
    </ul>
  );
  return (
    <>
      <div className="pb-inside-bar__counts" role="group" aria-label={`Ports of composite ${name}`}>
        {summary('imports', imports, 'in', 'The imports')}
        {summary('exports', exports, 'out', 'The exports')}
        {view?.error && (
          <span className="pb-inside-bar__error" title={view.error}>
            does not compose
          </span>
        )}
      </div>
      {open === 'imports' && list('imports', imports, view?.error ?? 'none: every inner import is wired')}
      {open === 'exports' && list('exports', exports, "none yet: a node's menu exports its ports")}
    </>
  );
});
