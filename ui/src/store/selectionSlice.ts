// The selection slice: selected nodes, edges and port, expanded import
// groups, canvas focus, React Flow's nodes and edges with their changes, and
// wiring: the drag candidates (asked of the Rust checker) and `connect`.

import { applyNodeChanges } from '@xyflow/react';
import { commands, errorText, type FakeName, type PortAddr, type ProjectDoc } from './backend';
import {
  FAKE_PORT,
  fakeBinding,
  fakeOfNodeId,
  parseExactSelector,
  replaceWireInDoc,
  samePort,
  selectorOf,
  setBindingInDoc,
  spliceIntoDoc,
  wireId,
} from './doc';
import { viewDoc } from './inside';
import { collapsedGroupOf } from './portGroups';
import { rt } from './runtime';
import { importRowsOf } from './selectors';
import type { PortSide, SetState, Slice, State, Store } from './types';

type SelectionState =
  | 'flowNodes' | 'flowEdges' | 'selectedNodes' | 'selectedEdges' | 'selectedPort' | 'drag'
  | 'expandedGroups' | 'focus' | 'nodeSearch' | 'contextMenu';
type SelectionActions =
  | 'onNodesChange' | 'onEdgesChange' | 'setGroupExpanded' | 'setSelection' | 'selectPort'
  | 'showNodeBindings' | 'focusLocation' | 'focusNodes' | 'connect' | 'spliceNode' | 'beginDrag' | 'endDrag'
  | 'setNodeSearch' | 'setContextMenu';
export type SelectionSlice = Pick<Store, SelectionState | SelectionActions>;

export function selectionInitial(): Pick<State, SelectionState> {
  return {
    flowNodes: [],
    flowEdges: [],
    selectedNodes: [],
    selectedEdges: [],
    selectedPort: null,
    drag: null,
    expandedGroups: {},
    focus: null,
    nodeSearch: null,
    contextMenu: null,
  };
}

/** The document without the wire into `to`: what a replacing wire is
 *  checked against (an import takes one wire). */
function withoutWireInto(doc: ProjectDoc, to: PortAddr): ProjectDoc {
  return { ...doc, wires: doc.wires.filter((w) => !samePort(w.to, to)) };
}

/** The port of `node` among `ports`, preferring one named `name`, then
 *  one `free` accepts. */
function pick(ports: PortAddr[], node: string, name: string, free: (p: PortAddr) => boolean): PortAddr | null {
  const own = ports.filter((p) => p.node === node && free(p));
  return own.find((p) => p.port === name) ?? own[0] ?? null;
}

const fakeTargetCache = new WeakMap<ProjectDoc, Map<FakeName, Promise<PortAddr[]>>>();

function fakeTargetsFor(doc: ProjectDoc, fake: FakeName): Promise<PortAddr[]> {
  let perDoc = fakeTargetCache.get(doc);
  if (!perDoc) {
    perDoc = new Map();
    fakeTargetCache.set(doc, perDoc);
  }
  let p = perDoc.get(fake);
  if (!p) {
    p = commands.fakeTargets({ doc, fake });
    perDoc.set(fake, p);
    p.catch(() => perDoc.delete(fake));
  }
  return p;
}

/** A refusal shows once, on the status line (which clears it when the
 *  document changes, e.g. on undo), never also as a toast. */
function refuser(set: SetState): (reason: string) => void {
  return function refuse(reason: string): void {
    set({ status: { text: `Wire refused: ${reason}`, kind: 'error' } });
  };
}

export const createSelectionSlice: Slice<SelectionSlice> = (set, get) => {
  const refuse = refuser(set);

  return {
    ...selectionInitial(),

    onNodesChange(changes) {
      // Positions while dragging and measured sizes stay in the view; the
      // document gets positions once, when a drag ends (moveNodes).
      const live = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
      if (live.length) set((s) => ({ flowNodes: applyNodeChanges(live, s.flowNodes) }));
      // A drag that ended, or a move with the arrow keys: one undo step.
      const settled: Record<string, { x: number; y: number }> = {};
      let any = false;
      for (const c of live) {
        if (c.type === 'position' && c.dragging === false && c.position) {
          settled[c.id] = c.position;
          any = true;
        }
      }
      if (any) get().moveNodes(settled);
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length) {
        const { selectedNodes, selectedEdges } = get();
        const next = new Set(selectedNodes);
        for (const c of picks) {
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        get().setSelection([...next], selectedEdges);
      }
    },

    onEdgesChange(changes) {
      const picks = changes.filter((c) => c.type === 'select');
      if (!picks.length) return;
      const { selectedNodes, selectedEdges } = get();
      const next = new Set(selectedEdges);
      for (const c of picks) {
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      get().setSelection(selectedNodes, [...next]);
    },

    setGroupExpanded(node, pkg, expanded) {
      const current = get().expandedGroups[node] ?? [];
      if (current.includes(pkg) === expanded) return;
      const next = expanded ? [...current, pkg] : current.filter((p) => p !== pkg);
      set((s) => ({ expandedGroups: { ...s.expandedGroups, [node]: next } }));
    },

    setSelection(nodes, edges) {
      const s = get();
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (same(s.selectedNodes, nodes) && same(s.selectedEdges, edges)) return;
      set({
        selectedNodes: nodes,
        selectedEdges: edges,
        selectedPort: s.selectedPort && nodes.includes(s.selectedPort.node) ? s.selectedPort : null,
      });
    },

    selectPort(addr, side = 'import') {
      // A port hidden in a collapsed group comes into view.
      if (side === 'import') {
        const group = collapsedGroupOf(importRowsOf(get(), addr.node), addr.port);
        if (group) get().setGroupExpanded(addr.node, group.package, true);
      }
      set({
        selectedPort: { node: addr.node, port: addr.port, side },
        selectedNodes: [addr.node],
        selectedEdges: [],
        rightTab: side === 'import' ? 'binding' : 'inspector',
      });
    },

    showNodeBindings(node) {
      set({ selectedNodes: [node], selectedEdges: [], selectedPort: null, rightTab: 'binding' });
    },

    focusLocation(loc) {
      const doc = viewDoc(get());
      if (!doc) return;
      switch (loc.kind) {
        case 'project':
          set({ rightTab: 'inspector' });
          return;
        case 'node':
          set({ selectedNodes: [loc.node], selectedEdges: [], selectedPort: null });
          get().focusNodes([loc.node]);
          return;
        case 'component': {
          const nodes = loc.nodes.length ? loc.nodes : doc.nodes.filter((n) => n.component === loc.component).map((n) => n.id);
          set({ selectedNodes: nodes, selectedEdges: [], selectedPort: null });
          get().focusNodes(nodes);
          return;
        }
        case 'port': {
          const view = get().components[doc.nodes.find((n) => n.id === loc.node)?.component ?? ''];
          const isExport =
            !view?.info?.imports.some((p) => p.name === loc.port) && view?.info?.exports.some((p) => p.name === loc.port);
          get().selectPort({ node: loc.node, port: loc.port }, isExport ? 'export' : 'import');
          get().focusNodes([loc.node]);
          return;
        }
        case 'wire': {
          const w = doc.wires[loc.index];
          const nodes = w ? [w.from.node, w.to.node] : [loc.from.split('.')[0], loc.to.split('.')[0]];
          set({ selectedNodes: [], selectedEdges: w ? [wireId(w)] : [], selectedPort: null });
          get().focusNodes(nodes);
          return;
        }
        case 'binding': {
          const exact = parseExactSelector(loc.selector);
          if (exact && doc.nodes.some((n) => n.id === exact.node)) {
            get().selectPort(exact, 'import');
            get().focusNodes([exact.node]);
          } else {
            const node = loc.selector.split('.')[0];
            const known = doc.nodes.some((n) => n.id === node);
            set({ selectedNodes: known ? [node] : [], selectedEdges: [], selectedPort: null, rightTab: 'binding' });
            if (known) get().focusNodes([node]);
          }
          return;
        }
        case 'export': {
          const e = doc.exports[loc.index];
          if (!e) return;
          get().selectPort(e.from, 'export');
          get().focusNodes([e.from.node]);
          return;
        }
        case 'composite':
          get().focusInside(loc);
          return;
      }
    },

    focusNodes(nodes) {
      set({ focus: { seq: ++rt.focusSeq, nodes } });
    },

    async connect(fromIn, toIn) {
      let from = fromIn;
      let to = toIn;
      if (fakeOfNodeId(to.node)) [from, to] = [to, from];
      const doc = viewDoc(get());
      if (!doc) return false;
      const fake = fakeOfNodeId(from.node);
      if (fake) {
        const selector = selectorOf(to);
        // A wired import: the fake takes the wire's place (asked of the
        // document without it).
        const wired = doc.wires.find((w) => samePort(w.to, to));
        const asked = wired ? withoutWireInto(doc, to) : doc;
        let targets: PortAddr[];
        try {
          targets = await fakeTargetsFor(asked, fake);
        } catch (e) {
          refuse(errorText(e));
          return false;
        }
        if (!targets.some((t) => samePort(t, to))) {
          // The backend names the functions the fake cannot answer.
          const why = await commands.checkFake({ doc: asked, fake, node: to.node, port: to.port }).catch(() => null);
          refuse(why?.reason ?? `the ${fake} fake cannot serve ${selector}`);
          return false;
        }
        get().updateDoc(`Mock ${selector} with the ${fake} fake`, (d) => {
          d.wires = d.wires.filter((w) => !samePort(w.to, to));
          setBindingInDoc(d, selector, fakeBinding(fake));
        });
        set({ status: { text: `${selector} is mocked by the ${fake} fake`, kind: 'info' } });
        return true;
      }
      // A drop on an import that already has a wire replaces that wire, as
      // node editors do: the new wire is checked against the document
      // without the old one, and both changes are one undo step.
      const old = doc.wires.find((w) => samePort(w.to, to));
      if (old && samePort(old.from, from)) {
        set({ status: { text: `${selectorOf(from)} already feeds ${selectorOf(to)}`, kind: 'info' } });
        return false;
      }
      let verdict;
      try {
        verdict = await commands.checkWire({ doc: old ? withoutWireInto(doc, to) : doc, from, to });
      } catch (e) {
        refuse(errorText(e));
        return false;
      }
      if (!verdict.ok) {
        refuse(verdict.reason ?? `${selectorOf(from)} cannot feed ${selectorOf(to)}`);
        return false;
      }
      const label = old
        ? `Replace wire ${selectorOf(old.from)} → ${selectorOf(to)} with ${selectorOf(from)}`
        : `Wire ${selectorOf(from)} → ${selectorOf(to)}`;
      get().updateDoc(label, (d) => replaceWireInDoc(d, from, to));
      set({
        status: {
          text: old
            ? `Rewired ${selectorOf(to)}: ${selectorOf(from)} replaces ${selectorOf(old.from)}`
            : `Wired ${selectorOf(from)} → ${selectorOf(to)}`,
          kind: 'info',
        },
      });
      return true;
    },

    async spliceNode(node, edge) {
      const doc = viewDoc(get());
      const wire = doc?.wires.find((w) => wireId(w) === edge);
      if (!doc || !wire || wire.from.node === node || wire.to.node === node) return false;
      const name = `${selectorOf(wire.from)} → ${selectorOf(wire.to)}`;
      let takes: PortAddr[];
      let feeds: PortAddr[];
      try {
        // The backend's rule, both ways: imports that take the wire's
        // source, exports that can feed its target.
        const [a, b] = await Promise.all([
          commands.candidates({ doc, port: wire.from }),
          commands.candidates({ doc, port: wire.to }),
        ]);
        takes = a.ports;
        feeds = b.ports;
      } catch (e) {
        set({ status: { text: `Not spliced into ${name}: ${errorText(e)}`, kind: 'error' } });
        return false;
      }
      if (viewDoc(get()) !== doc) return false;
      const unwired = (p: PortAddr) => !doc.wires.some((w) => samePort(w.to, p));
      const input = pick(takes, node, wire.to.port, unwired);
      const output = pick(feeds, node, wire.from.port, () => true);
      if (!input || !output) {
        const missing = !input
          ? `no free import of ${node} takes ${selectorOf(wire.from)}`
          : `no export of ${node} can feed ${selectorOf(wire.to)}`;
        set({ status: { text: `Not spliced into ${name}: ${missing}`, kind: 'info' } });
        return false;
      }
      get().updateDoc(`Splice ${node} into ${name}`, (d) => spliceIntoDoc(d, wire, node, input.port, output.port));
      set({
        status: {
          text: `Spliced ${node}: ${selectorOf(wire.from)} → ${selectorOf(input)}, ${selectorOf(output)} → ${selectorOf(wire.to)}`,
          kind: 'info',
        },
      });
      return true;
    },

    setNodeSearch(point) {
      set({ nodeSearch: point, contextMenu: null });
    },

    setContextMenu(menu) {
      set({ contextMenu: menu, nodeSearch: null });
    },

    async beginDrag(port, side) {
      const doc = viewDoc(get());
      if (!doc) return;
      const seq = ++rt.dragSeq;
      const fake = fakeOfNodeId(port.node);
      set({
        drag: { from: port, side, direction: side === 'import' ? 'export' : 'import', compatible: [], pending: true },
      });
      try {
        let compatible: PortAddr[];
        let direction: PortSide;
        if (fake) {
          compatible = await fakeTargetsFor(doc, fake);
          direction = 'import';
        } else {
          const fakes = side === 'import' ? get().fakeNodes : [];
          const [c, fakeHits] = await Promise.all([
            commands.candidates({ doc, port }),
            Promise.all(
              fakes.map(async (f) => {
                try {
                  const targets = await fakeTargetsFor(doc, f.fake);
                  return targets.some((t) => samePort(t, port)) ? f.id : null;
                } catch {
                  return null;
                }
              }),
            ),
          ]);
          compatible = [...c.ports];
          // `c.direction` is the side the drag started from; the candidates
          // are on the other side.
          direction = c.direction === 'import' ? 'export' : 'import';
          for (const id of fakeHits) if (id) compatible.push({ node: id, port: FAKE_PORT });
        }
        if (seq !== rt.dragSeq) return;
        set({ drag: { from: port, side, direction, compatible, pending: false } });
      } catch (e) {
        if (seq !== rt.dragSeq) return;
        set({ drag: null, status: { text: errorText(e), kind: 'error' } });
      }
    },

    endDrag() {
      rt.dragSeq++;
      if (get().drag) set({ drag: null });
    },
  };
};
