// What can be added to the graph, for the node search popup (double-click,
// Tab) and the Ctrl+K palette alike: a node of a component already in the
// project (another instance), a component shipped with the samples, a
// built-in fake, or a component file picked with a dialog.

import type { Store } from '../store';

export type AddableKind = 'component' | 'sample' | 'fake' | 'command';
export type Addable = { key: string; kind: AddableKind; label: string; detail: string; run: () => void };

/** Everything that can be added, placed at `at` (graph coordinates) or,
 *  without it, near the middle of the view. Empty with no project open. */
export function addableItems(s: Store, at?: { x: number; y: number }): Addable[] {
  const doc = s.doc;
  if (!doc) return [];
  const items: Addable[] = [];
  for (const c of doc.components) {
    const count = doc.nodes.filter((n) => n.component === c.id).length;
    items.push({
      key: `add-component:${c.id}`,
      kind: 'component',
      label: c.id,
      detail: count ? `another node (${count} in the graph)` : 'a node of this component',
      run: () => void s.addNode(c.id, at),
    });
  }
  const inProject = new Set(Object.values(s.components).map((v) => v.absPath));
  for (const sample of s.sampleComponents) {
    if (inProject.has(sample.path)) continue;
    items.push({
      key: `add-sample:${sample.name}`,
      kind: 'sample',
      label: sample.name,
      detail: 'sample component',
      run: () => void s.addComponents([sample.path], at),
    });
  }
  const placed = new Set(s.fakeNodes.map((f) => f.fake));
  for (const f of s.fakes) {
    items.push({
      key: `add-fake:${f.name}`,
      kind: 'fake',
      label: `${f.title} fake`,
      detail: placed.has(f.name) ? 'already on the canvas: shows it' : `${f.name}: ${f.description}`,
      run: () => s.addFakeNode(f.name, at),
    });
  }
  items.push({
    key: 'add-file',
    kind: 'command',
    label: 'Component from a file…',
    detail: '.wasm or .wat',
    run: () => void s.addComponents(null, at),
  });
  return items;
}
