// The layout slice: auto-layout of the document with ELK (layout.ts), using
// the node sizes the canvas measured, or estimates (metrics.ts), and the
// wire routes ELK computed with it (drawn by WireEdge while they still fit).

import { errorText } from './backend';
import { viewDoc } from './inside';
import { FAKE_PORT, fakeEdgeId, fakeLinks, fakeNodeId, wireId } from './doc';
import { layeredLayout, type Layout, type LayoutNode } from './layout';
import { estimateComponentNode, estimateFakeNode, type NodeGeometry } from './metrics';
import { importRowsOf } from './selectors';
import type { Slice, Store } from './types';

type LayoutState = 'wireRoutes';
type LayoutActions = 'autoLayout';
export type LayoutSlice = Pick<Store, LayoutState | LayoutActions>;

export function layoutInitial(): Pick<Store, LayoutState> {
  return { wireRoutes: {} };
}

let measurer: ((id: string) => NodeGeometry | null) | null = null;

/** The canvas registers how to read measured node sizes for the layout. */
export function registerMeasurer(fn: ((id: string) => NodeGeometry | null) | null): void {
  measurer = fn;
}

export const createLayoutSlice: Slice<LayoutSlice> = (set, get) => ({
  ...layoutInitial(),
  async autoLayout() {
    // Inside a composite: its definition, which has no fake nodes.
    const { components } = get();
    const doc = viewDoc(get());
    const fakeNodes = get().inside.length ? [] : get().fakeNodes;
    if (!doc) return;
    const nodes: LayoutNode[] = [];
    for (const n of doc.nodes) {
      const g = measurer?.(n.id) ?? estimateComponentNode(components[n.component], importRowsOf(get(), n.id));
      nodes.push({ id: n.id, ...g });
    }
    for (const f of fakeNodes) nodes.push({ id: f.id, ...(measurer?.(f.id) ?? estimateFakeNode()) });
    const edges = doc.wires.map((w) => ({
      id: wireId(w),
      source: w.from.node,
      sourcePort: w.from.port,
      target: w.to.node,
      targetPort: w.to.port,
    }));
    for (const l of fakeLinks(doc)) {
      edges.push({
        id: fakeEdgeId(l.fake, l.selector),
        source: fakeNodeId(l.fake),
        sourcePort: FAKE_PORT,
        target: l.to.node,
        targetPort: l.to.port,
      });
    }
    let laid: Layout;
    set((s) => ({ busy: { ...s.busy, layout: true } }));
    try {
      laid = await layeredLayout(nodes, edges);
    } catch (e) {
      get().toast(`Auto-layout failed: ${errorText(e)}`, 'error');
      return;
    } finally {
      set((s) => {
        const busy = { ...s.busy };
        delete busy.layout;
        return { busy };
      });
    }
    if (viewDoc(get()) !== doc) return;
    get().moveNodes(laid.positions);
    // The routes fit these positions; WireEdge draws one while its ends are
    // where the layout put them, and a curve once a node at either end moves.
    set({ wireRoutes: laid.routes });
    get().focusNodes([]);
  },
});
