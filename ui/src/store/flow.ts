// The React Flow view of the document: nodes and edges derived from the doc,
// fake nodes, selection, analysis and wire activity. Derivation reuses the
// previous node and edge objects whenever nothing about them changed, so
// React Flow re-renders only what changed (this keeps 500 nodes smooth).

import type { Analysis, FakeName, Problem, ProjectDoc } from './backend';
import { FAKE_PORT, fakeEdgeId, fakeLinks, fakeNodeId, wireId, type FakeNode } from './doc';
import { problemIndex } from './selectors';
import type { FlowEdge, FlowNode } from './types';

// The node and edge types live with the store's types (types.ts).
export type { ComponentNodeData, FakeNodeData, ComponentFlowNode, FakeFlowNode, FlowNode, FlowEdge, WireEdgeData } from './types';

export type FlowInputs = {
  doc: ProjectDoc | null;
  fakeNodes: FakeNode[];
  selectedNodes: string[];
  selectedEdges: string[];
  analysis: Analysis | null;
  activeWires: Record<string, number>;
};

export function reconcileNodes(prev: FlowNode[], input: FlowInputs): FlowNode[] {
  const { doc, fakeNodes, selectedNodes } = input;
  if (!doc) return prev.length ? [] : prev;
  const before = new Map(prev.map((n) => [n.id, n]));
  const selected = new Set(selectedNodes);
  const out: FlowNode[] = [];
  let changed = prev.length !== doc.nodes.length + fakeNodes.length;
  const keep = (node: FlowNode) => {
    if (prev[out.length] !== node) changed = true;
    out.push(node);
  };
  /** Keeps `old` when nothing shown changed, else a node that reuses its
   *  position, data and measured size where they did not change. */
  const place = (
    id: string,
    type: FlowNode['type'],
    at: { x: number; y: number },
    data: FlowNode['data'],
    sameData: (old: FlowNode) => boolean,
    ariaLabel: string,
  ) => {
    const old = before.get(id);
    // While a node is dragged its live position wins over the document's.
    const position = old?.dragging ? old.position : { x: at.x, y: at.y };
    const samePosition = !!old && old.position.x === position.x && old.position.y === position.y;
    const isSelected = selected.has(id);
    const dataKept = !!old && old.type === type && sameData(old);
    if (old && samePosition && dataKept && !!old.selected === isSelected) {
      keep(old);
      return;
    }
    keep({
      id,
      type,
      position: samePosition ? old!.position : position,
      data: dataKept ? old!.data : data,
      selected: isSelected,
      measured: old?.measured,
      dragging: old?.dragging,
      ariaLabel,
    } as FlowNode);
  };
  for (const n of doc.nodes) {
    place(
      n.id,
      'component',
      n,
      { component: n.component },
      (old) => old.type === 'component' && old.data.component === n.component,
      `Node ${n.id} (${n.component})`,
    );
  }
  for (const f of fakeNodes) {
    place(f.id, 'fake', f, { fake: f.fake }, (old) => old.type === 'fake' && old.data.fake === f.fake, `Fake ${f.fake}`);
  }
  return changed ? out : prev;
}

const ACTIVE_MS = 600;

export function reconcileEdges(prev: FlowEdge[], input: FlowInputs, now: number): FlowEdge[] {
  const { doc, selectedEdges, analysis, activeWires, fakeNodes } = input;
  if (!doc) return prev.length ? [] : prev;
  const before = new Map(prev.map((e) => [e.id, e]));
  const selected = new Set(selectedEdges);
  const index = problemIndex(analysis);
  const out: FlowEdge[] = [];
  let changed = false;
  const seen = new Set<string>();
  const add = (
    id: string,
    source: string,
    sourceHandle: string,
    target: string,
    targetHandle: string,
    problems: Problem[] | null,
    fake: FakeName | null,
    label: string,
  ) => {
    if (seen.has(id)) return;
    seen.add(id);
    const t = activeWires[id];
    const active = t !== undefined && now - t < ACTIVE_MS;
    const isSelected = selected.has(id);
    const old = before.get(id);
    if (
      old &&
      old.source === source &&
      old.target === target &&
      old.sourceHandle === sourceHandle &&
      old.targetHandle === targetHandle &&
      !!old.selected === isSelected &&
      old.data?.problems === problems &&
      old.data?.active === active &&
      old.data?.fake === fake
    ) {
      out.push(old);
      if (prev[out.length - 1] !== old) changed = true;
      return;
    }
    changed = true;
    out.push({
      id,
      type: 'wire',
      source,
      sourceHandle,
      target,
      targetHandle,
      selected: isSelected,
      data: { problems, active, fake },
      ariaLabel: label,
      zIndex: problems ? 1 : 0,
    });
  };
  doc.wires.forEach((w, i) => {
    add(
      wireId(w),
      w.from.node,
      w.from.port,
      w.to.node,
      w.to.port,
      index.byWire.get(i) ?? null,
      null,
      `Wire ${w.from.node}.${w.from.port} to ${w.to.node}.${w.to.port}`,
    );
  });
  const present = new Set(fakeNodes.map((f) => f.fake));
  for (const l of fakeLinks(doc)) {
    if (!present.has(l.fake)) continue;
    add(fakeEdgeId(l.fake, l.selector), fakeNodeId(l.fake), FAKE_PORT, l.to.node, l.to.port, null, l.fake, `Fake ${l.fake} mocks ${l.selector}`);
  }
  if (out.length !== prev.length) changed = true;
  return changed ? out : prev;
}
