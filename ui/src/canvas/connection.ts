import type { Connection, Edge, IsValidConnection } from '@xyflow/react';
import { samePortAddr, useStore, type FlowEdge } from '../store';

/** Whether a connection React Flow proposes is one the checker offered. */
export const isCandidateConnection: IsValidConnection<FlowEdge> = (c: Connection | Edge) => {
  const d = useStore.getState().drag;
  if (!d || d.pending || !c.sourceHandle || !c.targetHandle) return false;
  const source = { node: c.source, port: c.sourceHandle };
  const target = { node: c.target, port: c.targetHandle };
  if (d.direction === 'import') return samePortAddr(source, d.from) && d.compatible.some((p) => samePortAddr(p, target));
  return samePortAddr(target, d.from) && d.compatible.some((p) => samePortAddr(p, source));
};
