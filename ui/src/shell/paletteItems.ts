// What Ctrl+K lists: nodes, components, ports and commands.

import { addableItems } from '../canvas/addable';
import { compositeOf, fakeOfNodeId, orderedSamples, viewDoc, type Store } from '../store';

export type Item = {
  key: string;
  kind: 'node' | 'component' | 'port' | 'command' | 'add';
  label: string;
  detail: string;
  run: () => void;
};

export function buildItems(s: Store): Item[] {
  const doc = s.doc;
  const items: Item[] = [];
  const close = () => s.setPaletteOpen(false);
  const act = (fn: () => void) => () => {
    close();
    fn();
  };
  if (doc) {
    for (const n of (viewDoc(s) ?? doc).nodes) {
      items.push({
        key: `node:${n.id}`,
        kind: 'node',
        label: n.id,
        detail: n.component,
        run: act(() => s.focusLocation({ kind: 'node', node: n.id })),
      });
    }
    for (const f of s.fakeNodes) {
      items.push({
        key: `node:${f.id}`,
        kind: 'node',
        label: `${f.fake} fake`,
        detail: 'fake',
        run: act(() => {
          s.setSelection([f.id], []);
          s.focusNodes([f.id]);
        }),
      });
    }
    for (const c of doc.components) {
      const nodes = doc.nodes.filter((n) => n.component === c.id).map((n) => n.id);
      items.push({
        key: `component:${c.id}`,
        kind: 'component',
        label: c.id,
        detail: nodes.length ? `${nodes.length} node${nodes.length === 1 ? '' : 's'}` : 'no node yet: Enter adds one',
        run: act(() => {
          if (nodes.length) s.focusLocation({ kind: 'component', component: c.id, nodes });
          else s.addNode(c.id);
        }),
      });
    }
    for (const n of (viewDoc(s) ?? doc).nodes) {
      const info = s.components[n.component]?.info;
      if (!info) continue;
      for (const [side, ports] of [
        ['import', info.imports],
        ['export', info.exports],
      ] as const) {
        for (const p of ports) {
          items.push({
            key: `port:${n.id}:${side}:${p.name}`,
            kind: 'port',
            label: p.name,
            detail: `${side} of ${n.id}`,
            run: act(() => {
              s.selectPort({ node: n.id, port: p.name }, side);
              s.focusNodes([n.id]);
            }),
          });
        }
      }
    }
  }
  const command = (label: string, detail: string, fn: () => void, enabled = true) => {
    if (enabled) items.push({ key: `cmd:${label}`, kind: 'command', label, detail, run: act(fn) });
  };
  command('New project…', 'Ctrl+N', () => s.setNewProject({ dir: null }));
  command('Open…', 'a project, or a .wac recipe or composed .wasm as one (Ctrl+O)', () => void s.openProject(null));
  for (const sample of orderedSamples(s.samples)) {
    command(`Open the ${sample.name} sample`, sample.description || 'a sample project', () => void s.openSample(sample.name));
  }
  command('Add component…', 'from a file', () => void s.addComponents(null), !!doc);
  for (const a of addableItems(s)) {
    if (a.kind === 'command') continue;
    const what = a.kind === 'fake' ? a.label : a.kind === 'sample' ? `sample component ${a.label}` : `a node of ${a.label}`;
    items.push({ key: `cmd:${a.key}`, kind: 'add', label: `Add ${what}`, detail: a.detail, run: act(a.run) });
  }
  command('Auto-layout', 'lay the graph out left to right', () => void s.autoLayout(), !!doc);
  const picked = s.selectedNodes.filter((id) => !fakeOfNodeId(id));
  command('Group selection…', picked.length ? `${picked.length} selected node${picked.length === 1 ? '' : 's'} into a composite (Ctrl+G)` : 'select nodes first (Ctrl+G)', () => s.requestGroup(), !!doc && picked.length > 0);
  const shown = viewDoc(s);
  for (const n of shown?.nodes ?? []) {
    if (!compositeOf(doc, n.component)) continue;
    command(`Enter composite ${n.id}`, `${n.component}: its inner graph`, () => void s.enterComposite(n.id));
    command(`Ungroup ${n.id}`, 'its inner nodes in its place (Ctrl+Shift+G)', () => void s.ungroupNode(n.id));
  }
  for (const c of doc?.composites ?? []) {
    command(`Export composite ${c.name}…`, 'the composite alone, as a component', () => void s.exportComposite(c.name));
    command(`Save composite ${c.name} to library…`, 'a folder another project can use', () => void s.saveCompositeToLibrary(c.name));
  }
  if (s.inside.length) command('Go out of the composite', 'Esc', () => s.leaveComposite(s.inside.length - 1));
  command('Export…', 'Ctrl+E', () => s.setExportOpen(true), !!doc);
  command('Save', 'Ctrl+S', () => void s.save(false), !!doc);
  command('Save as…', 'Ctrl+Shift+S', () => void s.save(true), !!doc);
  command('Toggle theme', s.theme === 'dark' ? 'to light' : 'to dark', () => s.toggleTheme());
  return items;
}

