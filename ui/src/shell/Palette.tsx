// Ctrl+K: fuzzy search over nodes, components, the interfaces of ports, and
// commands: open, new project, add a node of any component, sample or fake
// (the node search's list). Enter focuses what was found or runs it.

import { useState } from 'react';
import { useStore } from '../store';
import { FuzzyList } from './FuzzyList';
import { buildItems, type Item } from './paletteItems';

const weightOf = (item: Item) =>
  item.kind === 'node' ? 30 : item.kind === 'component' ? 20 : item.kind === 'command' ? 0 : 10;

function PaletteDialog() {
  const setOpen = useStore((s) => s.setPaletteOpen);
  // Built once per opening; the palette is modal, so the graph holds still.
  const [items] = useState(() => buildItems(useStore.getState()));
  return (
    <div className="pb-overlay" onMouseDown={() => setOpen(false)}>
      <div
        className="pb-palette"
        role="dialog"
        aria-modal="true"
        aria-label="Search"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <FuzzyList
          items={items}
          weight={weightOf}
          onClose={() => setOpen(false)}
          className="pb-palette"
          inputLabel="Search nodes, components and ports"
          placeholder="Search nodes, components, interfaces, commands…"
        />
      </div>
    </div>
  );
}

export function Palette() {
  const open = useStore((s) => s.paletteOpen);
  return open ? <PaletteDialog /> : null;
}
