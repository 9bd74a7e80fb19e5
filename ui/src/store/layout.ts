// Port-aware layered layout with ELK: imports on the west side, exports on
// the east, each side in a fixed order, wires flowing left to right.

import type { ELK, ElkNode, ElkExtendedEdge } from 'elkjs/lib/elk-api';

export type LayoutPort = { id: string; y: number };
export type LayoutNode = { id: string; width: number; height: number; inPorts: LayoutPort[]; outPorts: LayoutPort[] };
export type LayoutEdge = { source: string; sourcePort: string; target: string; targetPort: string };

let elkPromise: Promise<ELK> | null = null;

async function loadElk(): Promise<ELK> {
  if (import.meta.env.MODE === 'test') {
    // Unit tests run in Node without workers.
    const { default: ElkBundled } = await import('elkjs/lib/elk.bundled.js');
    return new ElkBundled();
  }
  // In the app ELK runs in a worker, so a large layout never blocks the page.
  const [{ default: ElkApi }, { default: workerUrl }] = await Promise.all([
    import('elkjs/lib/elk-api.js'),
    import('elkjs/lib/elk-worker.min.js?url'),
  ]);
  return new ElkApi({ workerUrl });
}

function elk(): Promise<ELK> {
  elkPromise ??= loadElk();
  return elkPromise;
}

const portId = (node: string, side: 'in' | 'out', port: string) => `${node}\u0000${side}\u0000${port}`;

/** Positions (top-left corners) for every node. */
export async function layeredLayout(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
): Promise<Record<string, { x: number; y: number }>> {
  if (nodes.length === 0) return {};
  const known = new Set<string>();
  const children: ElkNode[] = nodes.map((n) => {
    // Ports sit on the node's edge: imports on the west, exports on the east.
    const port = (side: 'in' | 'out', p: { id: string; y: number }) => {
      const id = portId(n.id, side, p.id);
      known.add(id);
      return {
        id,
        width: 8,
        height: 8,
        x: side === 'in' ? -8 : n.width,
        y: p.y - 4,
        layoutOptions: { 'org.eclipse.elk.port.side': side === 'in' ? 'WEST' : 'EAST' },
      };
    };
    const ports = [...n.inPorts.map((p) => port('in', p)), ...n.outPorts.map((p) => port('out', p))];
    return {
      id: n.id,
      width: n.width,
      height: n.height,
      ports,
      layoutOptions: { 'org.eclipse.elk.portConstraints': 'FIXED_ORDER' },
    };
  });
  const elkEdges: ElkExtendedEdge[] = [];
  edges.forEach((e, i) => {
    const s = portId(e.source, 'out', e.sourcePort);
    const t = portId(e.target, 'in', e.targetPort);
    if (known.has(s) && known.has(t)) elkEdges.push({ id: `e${i}`, sources: [s], targets: [t] });
  });
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '140',
      'elk.spacing.nodeNode': '48',
      'elk.spacing.componentComponent': '80',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'true',
    },
    children,
    edges: elkEdges,
  };
  const laid = await (await elk()).layout(graph);
  const out: Record<string, { x: number; y: number }> = {};
  for (const c of laid.children ?? []) {
    out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  }
  return out;
}
