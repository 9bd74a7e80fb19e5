// The document slice: the open document with its undo/redo history (immer),
// the components it uses, its fake nodes, and the edits (add, move, delete,
// copy, paste, bind). Every edit goes through `updateDoc(label, recipe)`.

import { produce } from 'immer';
import { commands, errorText, type ComponentView, type FakeName, type ProjectDoc } from './backend';
import {
  baseName,
  copyFromDoc,
  deleteFromDoc,
  fakeLinks,
  fakeNodeId,
  fakeOfNodeId,
  isFakeNodeId,
  pasteIntoDoc,
  placeFakeNode,
  reconcileFakeNodes,
  setBindingInDoc,
  uniqueId,
  wireId,
} from './doc';
import { HISTORY_LIMIT, isCancelled, rt, scheduleAnalyze, scheduleRecovery } from './runtime';
import type { GetState, SetState, Slice, State, Store } from './types';

type DocState = 'doc' | 'savedDoc' | 'components' | 'dirty' | 'past' | 'future' | 'fakeNodes' | 'clipboard';
type DocActions =
  | 'updateDoc' | 'undo' | 'redo' | 'setBinding' | 'addComponents' | 'addNode' | 'addFakeNode'
  | 'moveNodes' | 'deleteSelection' | 'copySelection' | 'paste';
export type DocSlice = Pick<Store, DocState | DocActions>;

export function docInitial(): Pick<State, DocState> {
  return {
    doc: null,
    savedDoc: null,
    components: {},
    dirty: false,
    past: [],
    future: [],
    fakeNodes: [],
    clipboard: null,
  };
}

/** Runs after every change of `doc`: dirty flag, fake nodes, selection
 *  pruning, and the debounced analysis and recovery autosave. */
export function afterDocChange(set: SetState, get: GetState): void {
  const { doc, savedDoc, fakeNodes, selectedNodes, selectedEdges, selectedPort } = get();
  if (!doc) return;
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const nextFakes = reconcileFakeNodes(doc, fakeNodes);
  for (const f of nextFakes) nodeIds.add(f.id);
  const edgeIds = new Set(doc.wires.map(wireId));
  for (const l of fakeLinks(doc)) edgeIds.add(`fake:${l.fake}->${l.selector}`);
  const nextNodes = selectedNodes.filter((id) => nodeIds.has(id));
  const nextEdges = selectedEdges.filter((id) => edgeIds.has(id));
  const { expandedGroups } = get();
  const gone = Object.keys(expandedGroups).filter((id) => !nodeIds.has(id));
  if (gone.length) {
    const next = { ...expandedGroups };
    for (const id of gone) delete next[id];
    set({ expandedGroups: next });
  }
  set({
    dirty: doc !== savedDoc,
    fakeNodes: nextFakes,
    selectedNodes: nextNodes.length === selectedNodes.length ? selectedNodes : nextNodes,
    selectedEdges: nextEdges.length === selectedEdges.length ? selectedEdges : nextEdges,
    selectedPort: selectedPort && nodeIds.has(selectedPort.node) ? selectedPort : null,
  });
  scheduleAnalyze(get);
  scheduleRecovery(get);
}

/** Where to put new nodes: to the right of everything, one under another. */
function freeSpot(doc: ProjectDoc, index: number): { x: number; y: number } {
  if (doc.nodes.length === 0) return { x: 0, y: index * 240 };
  let maxX = -Infinity;
  let minY = Infinity;
  for (const n of doc.nodes) {
    maxX = Math.max(maxX, n.x);
    minY = Math.min(minY, n.y);
  }
  return { x: maxX + 380, y: minY + index * 240 };
}

export const createDocSlice: Slice<DocSlice> = (set, get) => ({
  ...docInitial(),

  updateDoc(label, recipe) {
    const { doc, past } = get();
    if (!doc) return;
    const next = produce(doc, recipe);
    if (next === doc) return;
    const trimmed = past.length >= HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT + 1) : past;
    set({ doc: next, past: [...trimmed, { doc, label }], future: [] });
    afterDocChange(set, get);
  },

  undo() {
    const { doc, past, future } = get();
    if (!doc || past.length === 0) return;
    const entry = past[past.length - 1];
    set({ doc: entry.doc, past: past.slice(0, -1), future: [...future, { doc, label: entry.label }] });
    afterDocChange(set, get);
  },

  redo() {
    const { doc, past, future } = get();
    if (!doc || future.length === 0) return;
    const entry = future[future.length - 1];
    set({ doc: entry.doc, future: future.slice(0, -1), past: [...past, { doc, label: entry.label }] });
    afterDocChange(set, get);
  },

  setBinding(selector, binding) {
    get().updateDoc(binding ? `Bind ${selector}` : `Remove binding ${selector}`, (d) =>
      setBindingInDoc(d, selector, binding),
    );
  },

  async addComponents(paths) {
    const doc = get().doc;
    if (!doc) {
      get().toast('Open a project first, then add components to it.', 'warning');
      return;
    }
    let views: ComponentView[];
    try {
      views = await commands.addComponents({ doc, paths });
    } catch (e) {
      if (!isCancelled(e)) get().toast(errorText(e), 'error');
      return;
    }
    if (views.length === 0) return;
    const added: string[] = [];
    get().updateDoc(views.length === 1 ? `Add ${views[0].id}` : `Add ${views.length} components`, (d) => {
      const taken = new Set(d.nodes.map((n) => n.id));
      const known = new Set(d.components.map((c) => c.id));
      views.forEach((v, i) => {
        if (!known.has(v.id)) {
          d.components.push({ id: v.id, path: v.path, build: null, watch: [], hash: v.hash });
          known.add(v.id);
        }
        const id = uniqueId(v.id, taken);
        taken.add(id);
        d.nodes.push({ id, component: v.id, ...freeSpot(d, i) });
        added.push(id);
      });
    });
    set((s) => {
      const components = { ...s.components };
      for (const v of views) components[v.id] = v;
      return { components, selectedNodes: added, selectedEdges: [] };
    });
    for (const v of views) if (v.error) get().toast(`${baseName(v.path)}: ${v.error}`, 'error');
    get().focusNodes(added);
  },

  addNode(componentId, at) {
    const doc = get().doc;
    if (!doc || !doc.components.some((c) => c.id === componentId)) return null;
    const id = uniqueId(componentId, new Set(doc.nodes.map((n) => n.id)));
    get().updateDoc(`Add node ${id}`, (d) => {
      d.nodes.push({ id, component: componentId, ...(at ?? freeSpot(d, 0)) });
    });
    set({ selectedNodes: [id], selectedEdges: [] });
    get().focusNodes([id]);
    return id;
  },

  addFakeNode(fake, at) {
    const { fakeNodes, doc } = get();
    if (!doc) return;
    const id = fakeNodeId(fake);
    if (!fakeNodes.some((f) => f.id === id)) {
      let pos = at;
      if (!pos) {
        const xs = doc.nodes.map((n) => n.x);
        const ys = doc.nodes.map((n) => n.y);
        const minX = xs.length ? Math.min(...xs) : 0;
        const minY = ys.length ? Math.min(...ys) : 0;
        pos = { x: minX - 300, y: minY + fakeNodes.length * 100 };
      }
      const placed = { x: Math.round(pos.x), y: Math.round(pos.y) };
      get().updateDoc(`Add the ${fake} fake`, (d) => placeFakeNode(d, fake, placed));
    }
    set({ selectedNodes: [id], selectedEdges: [] });
    get().focusNodes([id]);
  },

  moveNodes(positions) {
    const { doc, fakeNodes } = get();
    if (!doc) return;
    const fakesMoved = fakeNodes.filter((f) => {
      const p = positions[f.id];
      return p && (p.x !== f.x || p.y !== f.y);
    });
    const moved = doc.nodes.filter((n) => {
      const p = positions[n.id];
      return p && (p.x !== n.x || p.y !== n.y);
    });
    const count = moved.length + fakesMoved.length;
    if (count === 0) return;
    const label = count > 1 ? `Move ${count} nodes` : `Move ${moved[0]?.id ?? `the ${fakesMoved[0].fake} fake`}`;
    get().updateDoc(label, (d) => {
      for (const n of d.nodes) {
        const p = positions[n.id];
        if (p) {
          n.x = Math.round(p.x);
          n.y = Math.round(p.y);
        }
      }
      // A fake's place is saved once it has been moved (or added by hand).
      for (const f of fakesMoved) {
        const p = positions[f.id];
        placeFakeNode(d, f.fake, { x: Math.round(p.x), y: Math.round(p.y) });
      }
    });
  },

  deleteSelection() {
    const { doc, selectedNodes, selectedEdges } = get();
    if (!doc || (selectedNodes.length === 0 && selectedEdges.length === 0)) return;
    const nodeIds = new Set(selectedNodes.filter((id) => !isFakeNodeId(id)));
    const removedFakes = new Set<FakeName>();
    for (const id of selectedNodes) {
      const fake = fakeOfNodeId(id);
      if (fake) removedFakes.add(fake);
    }
    const edgeIds = new Set(selectedEdges);
    const count = nodeIds.size + removedFakes.size + edgeIds.size;
    get().updateDoc(count === 1 ? 'Delete' : `Delete ${count} items`, (d) =>
      deleteFromDoc(d, nodeIds, edgeIds, removedFakes),
    );
    set({ selectedNodes: [], selectedEdges: [], selectedPort: null });
  },

  copySelection() {
    const { doc, selectedNodes } = get();
    if (!doc) return;
    const clip = copyFromDoc(doc, new Set(selectedNodes));
    if (!clip) return;
    rt.pasteCount = 0;
    set({
      clipboard: clip,
      status: { text: `Copied ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}`, kind: 'info' },
    });
  },

  paste() {
    const { doc, clipboard } = get();
    if (!doc || !clipboard) return;
    rt.pasteCount++;
    let added: string[] = [];
    get().updateDoc(`Paste ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}`, (d) => {
      added = pasteIntoDoc(d, clipboard, { x: 40 * rt.pasteCount, y: 40 * rt.pasteCount });
    });
    set({ selectedNodes: added, selectedEdges: [], selectedPort: null });
  },
});
