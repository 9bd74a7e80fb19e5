// Which wire a node was dropped on: the wire whose drawn curve crosses the
// middle of the node. Geometry only; whether the node fits into the wire is
// the backend's answer (see `spliceNode` in the store).

import { along } from './route';

export type Point = { x: number; y: number };
export type Box = { x: number; y: number; width: number; height: number };
/** A wire as drawn: its handles, and its route when it is drawn along one. */
export type DrawnWire = { id: string; source: Point; target: Point; ends: string[]; route?: Point[] | null };

/** React Flow's control-point offset of a bezier edge (`getBezierPath`,
 *  curvature 0.25) for a handle `distance` before the other end. */
function controlOffset(distance: number, curvature = 0.25): number {
  return distance >= 0 ? 0.5 * distance : curvature * 25 * Math.sqrt(-distance);
}

/** Points along the wire as React Flow draws it: right-hand source handle,
 *  left-hand target handle. */
export function wirePoints(source: Point, target: Point, samples = 32): Point[] {
  const c1 = { x: source.x + controlOffset(target.x - source.x), y: source.y };
  const c2 = { x: target.x - controlOffset(target.x - source.x), y: target.y };
  const out: Point[] = [];
  for (let i = 0; i <= samples; i++) {
    const t = i / samples;
    const u = 1 - t;
    out.push({
      x: u * u * u * source.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * target.x,
      y: u * u * u * source.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * target.y,
    });
  }
  return out;
}

/** The wire under a node dropped at `box`: one whose curve passes through
 *  the node's middle (its box less a quarter on each side), not one of the
 *  node's own wires. The nearest to the node's centre when several do. */
export function wireUnderNode(node: string, box: Box, wires: DrawnWire[]): string | null {
  const inner = { x: box.x + box.width / 4, y: box.y + box.height / 4, width: box.width / 2, height: box.height / 2 };
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  let best: { id: string; d: number } | null = null;
  for (const w of wires) {
    if (w.ends.includes(node)) continue;
    for (const p of w.route ? along(w.route) : wirePoints(w.source, w.target)) {
      const inside = p.x >= inner.x && p.x <= inner.x + inner.width && p.y >= inner.y && p.y <= inner.y + inner.height;
      if (!inside) continue;
      const d = Math.hypot(p.x - centre.x, p.y - centre.y);
      if (!best || d < best.d) best = { id: w.id, d };
    }
  }
  return best?.id ?? null;
}
