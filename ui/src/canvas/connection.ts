import type { Connection, Edge, IsValidConnection } from '@xyflow/react';
import { collapsedGroupOf, importRowsOf, samePortAddr, useStore, type FlowEdge, type PortAddr, type PortGroup, type Store } from '../store';

/** A drop on an import hidden in a collapsed group: the group, and which of
 *  its ports the dragged wire may reach. */
export type GroupDrop = { group: PortGroup; candidates: PortAddr[] };

/** The collapsed group an import handle belongs to, while a wire is dragged
 *  towards imports; null for a port drawn on its own row. */
export function groupDropOf(s: Store, addr: PortAddr): GroupDrop | null {
  const d = s.drag;
  if (!d || d.pending || d.direction !== 'import') return null;
  const group = collapsedGroupOf(importRowsOf(s, addr.node), addr.port);
  if (!group) return null;
  const candidates = group.ports
    .map((p) => ({ node: addr.node, port: p.name }))
    .filter((p) => d.compatible.some((c) => samePortAddr(c, p)));
  return { group, candidates };
}

/** The import a drop on `addr` means: the handles of a collapsed group are
 *  stacked on its row, so a drop on the row means the group's one
 *  candidate, when it has exactly one. */
export function dropTarget(s: Store, addr: PortAddr): PortAddr {
  const g = groupDropOf(s, addr);
  return g && g.candidates.length === 1 ? g.candidates[0] : addr;
}

/** Whether a connection React Flow proposes is one the checker offered. */
export const isCandidateConnection: IsValidConnection<FlowEdge> = (c: Connection | Edge) => {
  const s = useStore.getState();
  const d = s.drag;
  if (!d || d.pending || !c.sourceHandle || !c.targetHandle) return false;
  const source = { node: c.source, port: c.sourceHandle };
  const target = { node: c.target, port: c.targetHandle };
  if (d.direction === 'import') {
    const to = dropTarget(s, target);
    return samePortAddr(source, d.from) && d.compatible.some((p) => samePortAddr(p, to));
  }
  return samePortAddr(target, d.from) && d.compatible.some((p) => samePortAddr(p, source));
};
