// The document slice: the open document with its undo/redo history (immer),
// the components it uses, its fake nodes, and the edits (add, move, delete,
// copy, paste, bind). Every edit goes through `updateDoc(label, recipe)`.

import { produce } from 'immer';
import { commands, errorText, type ComponentView, type FakeName, type ProjectDoc } from './backend';
import {
  baseName,
  copyFromDoc,
  deleteFromDoc,
  renameNodeInDoc,
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
import { currentComposite, editRecipe, validSteps, viewDoc } from './inside';
import { HISTORY_LIMIT, isCancelled, rt, scheduleAnalyze, scheduleRecovery } from './runtime';
import { NODE_WIDTH } from './metrics';
import { contains, freeSpotNear, visibleArea, type Point, type Rect } from './placement';
import type { GetState, SetState, Slice, State, Store } from './types';

type DocState = 'doc' | 'savedDoc' | 'components' | 'dirty' | 'past' | 'future' | 'fakeNodes' | 'clipboard';
type DocActions =
  | 'updateDoc' | 'undo' | 'redo' | 'setBinding' | 'addComponents' | 'addNode' | 'addFakeNode'
  | 'duplicateNode' | 'renameNode' | 'moveNodes' | 'deleteSelection' | 'copySelection' | 'paste';
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
  const { doc, savedDoc, fakeNodes, selectedNodes, selectedEdges, selectedPort, inside } = get();
  if (!doc) return;
  // A composite entered that is gone (undone, ungrouped) is left.
  const steps = validSteps(doc, inside);
  if (steps !== inside) set({ inside: steps });
  const shown = viewDoc(get())!;
  const nodeIds = new Set(shown.nodes.map((n) => n.id));
  const nextFakes = reconcileFakeNodes(doc, fakeNodes);
  if (!steps.length) for (const f of nextFakes) nodeIds.add(f.id);
  const edgeIds = new Set(shown.wires.map(wireId));
  for (const l of fakeLinks(shown)) edgeIds.add(`fake:${l.fake}->${l.selector}`);
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

/** Where to put a new node without a canvas to look at: to the right of
 *  everything, one under another. */
function rightOfGraph(doc: ProjectDoc, index: number): Point {
  if (doc.nodes.length === 0) return { x: 0, y: index * 240 };
  let maxX = -Infinity;
  let minY = Infinity;
  for (const n of doc.nodes) {
    maxX = Math.max(maxX, n.x);
    minY = Math.min(minY, n.y);
  }
  return { x: maxX + 380, y: minY + index * 240 };
}

const NEW_NODE = { width: NODE_WIDTH, height: 160 };

/** Spots for `count` new nodes: at `at` (the pointer) or, with none, near
 *  the middle of what the canvas shows, each on a free spot; and whether
 *  the view must move to show them (only when they fall outside it). */
function spotsForNew(get: GetState, count: number, at?: Point): { spots: Point[]; outOfView: boolean } {
  const doc = viewDoc(get())!;
  const area = visibleArea();
  const taken: Rect[] = get().flowNodes.map((n) => ({
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? NODE_WIDTH,
    height: n.measured?.height ?? NEW_NODE.height,
  }));
  const spots: Point[] = [];
  for (let i = 0; i < count; i++) {
    let spot: Point;
    if (at && i === 0) spot = { x: Math.round(at.x), y: Math.round(at.y) };
    else if (at || area) {
      const near = at ?? { x: area!.x + area!.width / 2 - NEW_NODE.width / 2, y: area!.y + area!.height / 2 - NEW_NODE.height / 2 };
      spot = freeSpotNear(near, NEW_NODE, taken);
    } else spot = rightOfGraph(doc, i);
    spots.push(spot);
    taken.push({ ...spot, ...NEW_NODE });
  }
  const outOfView = !area || spots.some((p) => !contains(area, { ...p, width: NEW_NODE.width, height: 60 }));
  return { spots, outOfView };
}

/** Makes `next` the document as one undoable edit called `label` (nothing
 *  when it is the document already). */
export function commitDoc(set: SetState, get: GetState, label: string, next: ProjectDoc): void {
  const { doc, past } = get();
  if (!doc || next === doc) return;
  const trimmed = past.length >= HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT + 1) : past;
  set({ doc: next, past: [...trimmed, { doc, label }], future: [] });
  afterDocChange(set, get);
}

export const createDocSlice: Slice<DocSlice> = (set, get) => ({
  ...docInitial(),

  updateDoc(label, recipe) {
    const { doc } = get();
    if (!doc) return;
    // Inside a composite, the recipe edits its definition (inside.ts).
    commitDoc(set, get, label, produce(doc, editRecipe(currentComposite(get()), recipe)));
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

  async addComponents(paths, at) {
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
    const { spots, outOfView } = spotsForNew(get, views.length, at);
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
        d.nodes.push({ id, component: v.id, ...spots[i] });
        added.push(id);
      });
    });
    set((s) => {
      const components = { ...s.components };
      for (const v of views) components[v.id] = v;
      return { components, selectedNodes: added, selectedEdges: [] };
    });
    for (const v of views) if (v.error) get().toast(`${baseName(v.path)}: ${v.error}`, 'error');
    if (outOfView) get().focusNodes(added);
  },

  addNode(componentId, at) {
    const doc = viewDoc(get());
    if (!doc || !doc.components.some((c) => c.id === componentId)) return null;
    const id = uniqueId(componentId, new Set(doc.nodes.map((n) => n.id)));
    const { spots, outOfView } = spotsForNew(get, 1, at);
    get().updateDoc(`Add node ${id}`, (d) => {
      d.nodes.push({ id, component: componentId, ...spots[0] });
    });
    set({ selectedNodes: [id], selectedEdges: [] });
    if (outOfView) get().focusNodes([id]);
    return id;
  },

  duplicateNode(nodeId) {
    const doc = viewDoc(get());
    const clip = doc && copyFromDoc(doc, new Set([nodeId]));
    if (!clip) return null;
    let added: string[] = [];
    get().updateDoc(`Duplicate ${nodeId}`, (d) => {
      added = pasteIntoDoc(d, clip, { x: 40, y: 40 });
    });
    set({ selectedNodes: added, selectedEdges: [], selectedPort: null });
    return added[0] ?? null;
  },

  renameNode(from, to) {
    const doc = viewDoc(get());
    const id = to.trim();
    if (!doc || !id || id === from) return false;
    if (doc.nodes.some((n) => n.id === id)) {
      get().setStatus({ text: `Not renamed: a node is already called ${id}`, kind: 'error' });
      return false;
    }
    get().updateDoc(`Rename ${from} to ${id}`, (d) => {
      renameNodeInDoc(d, from, id);
    });
    set((s) => ({
      selectedNodes: s.selectedNodes.map((n) => (n === from ? id : n)),
      selectedPort: s.selectedPort?.node === from ? { ...s.selectedPort, node: id } : s.selectedPort,
    }));
    return true;
  },

  addFakeNode(fake, at) {
    const { fakeNodes, doc } = get();
    if (!doc) return;
    if (currentComposite(get()) !== null) {
      // Inside a composite, its unwired imports are its ports: bound (or
      // faked) on the composite node outside.
      get().setStatus({ text: `Fakes serve the composite node's ports: go out of it to add the ${fake} fake`, kind: 'error' });
      return;
    }
    const id = fakeNodeId(fake);
    // A fake has one node: adding it again shows the one there is.
    let show = fakeNodes.some((f) => f.id === id);
    if (!show) {
      let pos: Point;
      if (at || visibleArea()) {
        const placed = spotsForNew(get, 1, at);
        pos = placed.spots[0];
        show = placed.outOfView;
      } else {
        const xs = doc.nodes.map((n) => n.x);
        const ys = doc.nodes.map((n) => n.y);
        const minX = xs.length ? Math.min(...xs) : 0;
        const minY = ys.length ? Math.min(...ys) : 0;
        pos = { x: Math.round(minX - 300), y: Math.round(minY + fakeNodes.length * 100) };
        show = true;
      }
      get().updateDoc(`Add the ${fake} fake`, (d) => placeFakeNode(d, fake, pos));
    }
    set({ selectedNodes: [id], selectedEdges: [] });
    if (show) get().focusNodes([id]);
  },

  moveNodes(positions) {
    const { fakeNodes } = get();
    const doc = viewDoc(get());
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
    const { selectedNodes, selectedEdges } = get();
    const doc = viewDoc(get());
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
    const { selectedNodes } = get();
    const doc = viewDoc(get());
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
    const { clipboard } = get();
    const doc = viewDoc(get());
    if (!doc || !clipboard) return;
    rt.pasteCount++;
    let added: string[] = [];
    get().updateDoc(`Paste ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}`, (d) => {
      added = pasteIntoDoc(d, clipboard, { x: 40 * rt.pasteCount, y: 40 * rt.pasteCount });
    });
    set({ selectedNodes: added, selectedEdges: [], selectedPort: null });
  },
});
