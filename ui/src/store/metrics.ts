// Sizes shared by the node components (inline styles) and the layout's size
// estimate, so a layout computed before React measured anything still fits.

import type { ComponentView } from './backend';
import type { ImportRow } from './portGroups';

export const NODE_WIDTH = 300;
export const FAKE_NODE_WIDTH = 200;
export const FAKE_NODE_HEIGHT = 64;
/** Title, component id and padding. */
export const NODE_HEADER = 52;
/** The "imports" / "exports" caption above each list of ports. */
export const SECTION_CAPTION = 20;
export const PORT_ROW = 24;
export const NODE_FOOTER = 8;

export type NodeGeometry = {
  width: number;
  height: number;
  inPorts: { id: string; y: number }[];
  outPorts: { id: string; y: number }[];
};

/** The size of a component node (function signatures hidden) and the
 *  centre of each handle. `rows` are its import rows (see portGroups.ts);
 *  without them every import is a row of its own. The handles of a
 *  collapsed group's ports sit on the group's row. */
export function estimateComponentNode(view: ComponentView | undefined, rows?: readonly ImportRow[]): NodeGeometry {
  const imports = view?.info?.imports ?? [];
  const exports = view?.info?.exports ?? [];
  const importRows: readonly ImportRow[] = rows ?? imports.map((port) => ({ kind: 'port', port, group: null }));
  let y = NODE_HEADER;
  const inPorts: NodeGeometry['inPorts'] = [];
  const outPorts: NodeGeometry['outPorts'] = [];
  if (importRows.length) {
    y += SECTION_CAPTION;
    for (const r of importRows) {
      if (r.kind === 'port') inPorts.push({ id: r.port.name, y: y + PORT_ROW / 2 });
      else if (!r.group.expanded) for (const p of r.group.ports) inPorts.push({ id: p.name, y: y + PORT_ROW / 2 });
      y += PORT_ROW;
    }
  }
  if (exports.length) {
    y += SECTION_CAPTION;
    for (const p of exports) {
      outPorts.push({ id: p.name, y: y + PORT_ROW / 2 });
      y += PORT_ROW;
    }
  }
  if (!view?.info) y += PORT_ROW * 2;
  return { width: NODE_WIDTH, height: y + NODE_FOOTER, inPorts, outPorts };
}

export function estimateFakeNode(): NodeGeometry {
  return {
    width: FAKE_NODE_WIDTH,
    height: FAKE_NODE_HEIGHT,
    inPorts: [],
    outPorts: [{ id: 'fake', y: FAKE_NODE_HEIGHT / 2 }],
  };
}

/** Whether nodes drawn at their positions would overlap (estimated sizes):
 *  then the file's positions were not made for this editor (a generated
 *  project, or one written by hand) and the graph is laid out on open. */
export function nodesOverlap(
  nodes: { id: string; component: string; x: number; y: number }[],
  components: Record<string, ComponentView>,
  rowsOf?: (node: string) => readonly ImportRow[],
): boolean {
  const boxes = nodes.map((n) => {
    const g = estimateComponentNode(components[n.component], rowsOf?.(n.id));
    return { x: n.x, y: n.y, w: g.width, h: g.height };
  });
  boxes.sort((a, b) => a.x - b.x);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].x < a.x + a.w; j++) {
      const b = boxes[j];
      if (b.y < a.y + a.h && a.y < b.y + b.h) return true;
    }
  }
  return false;
}
