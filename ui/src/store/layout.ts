// Port-aware layered layout with ELK: imports on the west side, exports on
// the east, each side in a fixed order, wires flowing left to right, routed
// orthogonally around the nodes (ELK's bend points, kept as wire routes).

import type { ELK, ElkNode, ElkExtendedEdge } from 'elkjs/lib/elk-api';

export type LayoutPort = { id: string; y: number };
export type LayoutNode = { id: string; width: number; height: number; inPorts: LayoutPort[]; outPorts: LayoutPort[] };
/** `id` names the wire's route in the result (the canvas's edge id). */
export type LayoutEdge = { id: string; source: string; sourcePort: string; target: string; targetPort: string };
export type Point = { x: number; y: number };
/** Where every node goes (top-left corners), and each wire's route: its
 *  start at the export, its bend points, its end at the import. */
export type Layout = { positions: Record<string, Point>; routes: Record<string, Point[]> };

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

/** Positions for every node and routes for the wires ELK could route. */
export async function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Layout> {
  if (nodes.length === 0) return { positions: {}, routes: {} };
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
      // Ports stay where the node draws its handles, so routes end at them.
      layoutOptions: { 'org.eclipse.elk.portConstraints': 'FIXED_POS' },
    };
  });
  const elkEdges: ElkExtendedEdge[] = [];
  edges.forEach((e) => {
    const s = portId(e.source, 'out', e.sourcePort);
    const t = portId(e.target, 'in', e.targetPort);
    if (known.has(s) && known.has(t)) elkEdges.push({ id: e.id, sources: [s], targets: [t] });
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
      // Wires run in the channels between layers and around nodes, never
      // through one; a little room between parallel wires and node borders.
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '12',
      'elk.layered.spacing.edgeNodeBetweenLayers': '24',
      'elk.spacing.edgeNode': '24',
    },
    children,
    edges: elkEdges,
  };
  const laid = await (await elk()).layout(graph);
  const positions: Record<string, Point> = {};
  for (const c of laid.children ?? []) {
    positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  }
  return { positions, routes: routesOf(laid) };
}

/** Each laid-out edge's route in the graph's coordinates (the root's, which
 *  holds every edge here): the start, the bend points, the end of its one
 *  section. An edge ELK gave no single section has no route. */
export function routesOf(laid: ElkNode): Record<string, Point[]> {
  const routes: Record<string, Point[]> = {};
  for (const e of laid.edges ?? []) {
    const sections = (e as ElkExtendedEdge).sections ?? [];
    if (sections.length !== 1) continue;
    const { startPoint, bendPoints = [], endPoint } = sections[0];
    routes[e.id] = [startPoint, ...bendPoints, endPoint].map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
  }
  return routes;
}
