import type { Connection, Edge, FinalConnectionState, IsValidConnection } from '@xyflow/react';
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

/** What a wire dropped where React Flow found no valid connection means:
 *  on a collapsed group with several ports that fit, open it and ask which;
 *  between two ports of one side, refuse (once, on the status line, which
 *  says what to do and clears when the document changes); on any other
 *  port, ask the checker, whose refusal says why. */
export function endConnection(store: Store, state: Pick<FinalConnectionState, 'isValid' | 'fromHandle' | 'toHandle'>): void {
  const from = state.fromHandle;
  const to = state.toHandle;
  const onGroup = !state.isValid && to?.id && to.type === 'target' ? groupDropOf(store, { node: to.nodeId, port: to.id }) : null;
  store.endDrag();
  if (onGroup && onGroup.candidates.length > 1) {
    // Several ports of the group fit: open it, and let the person choose.
    const { group, candidates } = onGroup;
    store.setGroupExpanded(to!.nodeId, group.package, true);
    store.setStatus({
      text: `${candidates.length} imports of ${group.package} on ${to!.nodeId} can take this wire: drop it on one of them`,
      kind: 'info',
    });
    return;
  }
  if (state.isValid || !from || !to || !from.id || !to.id) return;
  if (from.nodeId === to.nodeId && from.id === to.id && from.type === to.type) return;
  if (from.type === to.type) {
    store.setStatus({ text: sameSideRefusal(from.type === 'source' ? 'export' : 'import'), kind: 'error' });
    return;
  }
  // Dropped on a port the checker did not offer: ask it why, and say so.
  const a: PortAddr = { node: from.nodeId, port: from.id };
  // On a collapsed group that nothing in fits, ask about the port it shows first.
  const b: PortAddr = { node: to.nodeId, port: onGroup ? onGroup.group.ports[0].name : to.id };
  void (from.type === 'source' ? store.connect(a, b) : store.connect(b, a));
}

/** The refusal of a wire between two exports or two imports, with what to do. */
export function sameSideRefusal(side: 'export' | 'import'): string {
  return `Wire refused: both ends are ${side}s. Drag from an export (right side of a node) to an import (left side).`;
}
