// The project's components (add another node of one, or drag it onto the
// canvas) and the built-in fakes.

import { usePanelLayout } from './usePanelLayout';
import type { DragEvent } from 'react';
import { useStore, viewDoc } from '../store';
import { baseName } from '../store/doc';
import { formatSize } from '../canvas/format';
import { LIBRARY_MIME, type LibraryItem } from '../canvas/dnd';
import { Icon } from './Icon';

function startDrag(e: DragEvent, item: LibraryItem) {
  e.dataTransfer.setData(LIBRARY_MIME, JSON.stringify(item));
  e.dataTransfer.effectAllowed = 'copy';
}

function ComponentItem({ id }: { id: string }) {
  const view = useStore((s) => s.components[id]);
  const entryPath = useStore((s) => s.doc?.components.find((c) => c.id === id)?.path ?? '');
  // Nodes of the graph shown (the entered composite's, inside one), and
  // those inside composite definitions.
  const uses = useStore((s) => viewDoc(s)?.nodes.reduce((n, node) => (node.component === id ? n + 1 : n), 0) ?? 0);
  const inner = useStore(
    (s) => s.doc?.composites?.reduce((n, c) => n + c.nodes.filter((node) => node.component === id).length, 0) ?? 0,
  );
  const addNode = useStore((s) => s.addNode);
  const focusLocation = useStore((s) => s.focusLocation);
  const nodesOf = () => viewDoc(useStore.getState())?.nodes.filter((n) => n.component === id).map((n) => n.id) ?? [];
  return (
    <li
      className={`pb-lib-item ${view?.error ? 'has-error' : ''}`}
      draggable
      onDragStart={(e) => startDrag(e, { kind: 'component', id })}
      title={view?.absPath ?? entryPath}
    >
      <Icon name="component" />
      <div className="pb-lib-item__text">
        <button
          type="button"
          className="pb-lib-item__name"
          onClick={() => uses && focusLocation({ kind: 'component', component: id, nodes: nodesOf() })}
          aria-label={`Show the nodes of ${id}`}
        >
          {id}
        </button>
        <div className="pb-lib-item__meta">
          {baseName(entryPath)}
          {view ? ` · ${formatSize(view.size)}` : ''}
          {` · ${uses} node${uses === 1 ? '' : 's'}`}
          {inner ? ` · ${inner} in composites` : ''}
        </div>
        {view?.error && <div className="pb-lib-item__error">{view.error}</div>}
      </div>
      <button
        type="button"
        className="pb-btn pb-btn--small"
        onClick={() => addNode(id)}
        aria-label={`Add a node of ${id}`}
        title="Add another node of this component (or drag it onto the canvas)"
      >
        <Icon name="add" />
      </button>
    </li>
  );
}

export function LibraryPanel() {
  usePanelLayout();
  const open = useStore((s) => s.panels.libraryOpen);
  const ids = useStore((s) => s.doc?.components.map((c) => c.id).join('\n') ?? '');
  const fakes = useStore((s) => s.fakes);
  const onCanvas = useStore((s) => s.fakeNodes.map((f) => f.fake).join(','));
  const hasDoc = useStore((s) => s.doc !== null);
  const addComponents = useStore((s) => s.addComponents);
  const addFakeNode = useStore((s) => s.addFakeNode);
  const list = ids ? ids.split('\n') : [];
  return (
    <aside className={`pb-library ${open ? '' : 'is-collapsed'}`} aria-label="Library" aria-hidden={!open}>
      <section className="pb-library__section">
        <h2 className="pb-library__heading">Components</h2>
        {hasDoc ? (
          <>
            {list.length === 0 && <p className="pb-muted pb-library__empty">No components yet.</p>}
            <ul className="pb-lib-list">
              {list.map((id) => (
                <ComponentItem key={id} id={id} />
              ))}
            </ul>
            <button type="button" className="pb-btn pb-btn--block" onClick={() => void addComponents(null)}>
              <Icon name="add" /> Add component…
            </button>
          </>
        ) : (
          <p className="pb-muted pb-library__empty">Open a project to see its components.</p>
        )}
      </section>
      <section className="pb-library__section">
        <h2 className="pb-library__heading">Fakes</h2>
        <p className="pb-muted pb-library__hint">Built-in mocks. Wire one to an import to mock it.</p>
        <ul className="pb-lib-list">
          {fakes.map((f) => {
            const present = onCanvas.split(',').includes(f.name);
            return (
              <li
                key={f.name}
                className="pb-lib-item pb-lib-item--fake"
                draggable={hasDoc}
                onDragStart={(e) => startDrag(e, { kind: 'fake', fake: f.name })}
                title={f.description}
              >
                <Icon name="fake" />
                <div className="pb-lib-item__text">
                  <div className="pb-lib-item__name">{f.title}</div>
                  <div className="pb-lib-item__meta">{f.description}</div>
                </div>
                <button
                  type="button"
                  className="pb-btn pb-btn--small"
                  disabled={!hasDoc}
                  onClick={() => addFakeNode(f.name)}
                  aria-label={present ? `Show the ${f.name} fake` : `Add the ${f.name} fake`}
                  title={present ? 'Already on the canvas: show it' : 'Add to the canvas'}
                >
                  {present ? '→' : <Icon name="add" />}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </aside>
  );
}
