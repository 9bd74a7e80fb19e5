// The node search popup: double-click on the canvas, or Tab, opens it at the
// pointer; it adds any component of the project (another node), any sample
// component or fake, there.

import { useState } from 'react';
import { useStore } from '../store';
import { FuzzyList } from '../shell/FuzzyList';
import { addableItems, type Addable } from './addable';
import { keepOnScreen } from './popup';

const weightOf = (a: Addable) => (a.kind === 'component' ? 20 : a.kind === 'sample' ? 10 : a.kind === 'fake' ? 5 : 0);

function NodeSearchPopup() {
  const point = useStore((s) => s.nodeSearch)!;
  const close = () => useStore.getState().setNodeSearch(null);
  // Built once per opening, at the point it was opened.
  const [items] = useState(() =>
    addableItems(useStore.getState(), point.at).map((a) => ({
      ...a,
      run: () => {
        close();
        a.run();
      },
    })),
  );
  return (
    <div className="pb-popup-layer" onMouseDown={close} onContextMenu={(e) => e.preventDefault()}>
      <div
        className="pb-palette pb-node-search"
        role="dialog"
        aria-label="Add a node"
        style={keepOnScreen(point.screen, 420, 360)}
        onMouseDown={(e) => e.stopPropagation()}
      >
        <FuzzyList
          items={items}
          weight={weightOf}
          onClose={close}
          className="pb-palette"
          inputLabel="Add a node: search components, samples and fakes"
          placeholder="Add a node: component, sample, fake…"
        />
      </div>
    </div>
  );
}

export function NodeSearch() {
  const open = useStore((s) => s.nodeSearch !== null && s.doc !== null);
  return open ? <NodeSearchPopup /> : null;
}
