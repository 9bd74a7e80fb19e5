// Wires drawn along the routes auto-layout computed (ELK's orthogonal bend
// points, kept in the store as `wireRoutes`): fitted to the handles React
// Flow measured, drawn with rounded corners. A route whose ends no longer
// meet the handles (a node at either end moved, or is being dragged) is not
// drawn; the wire is a curve again, as in every node editor, until the next
// auto-layout.

export type Point = { x: number; y: number };

/** How far (px, either axis) a route's end may be from its handle and still
 *  be drawn: the handle sits a few pixels off the port ELK was given. */
export const ROUTE_SLACK = 12;

/** `route` with its ends moved onto `source` and `target` (the handles as
 *  drawn), its first and last legs kept straight, every leg horizontal or
 *  vertical; null when either end is more than `ROUTE_SLACK` away, so the
 *  route was made for other positions. */
export function fitRoute(route: readonly Point[], source: Point, target: Point): Point[] | null {
  if (route.length < 2) return null;
  const first = route[0];
  const last = route[route.length - 1];
  const near = (a: Point, b: Point) => Math.abs(a.x - b.x) <= ROUTE_SLACK && Math.abs(a.y - b.y) <= ROUTE_SLACK;
  if (!near(first, source) || !near(last, target)) return null;
  const pts = route.map((p) => ({ ...p }));
  // Keep the legs at either end straight: a bend on the end's line moves with it.
  const follow = (end: number, next: number, to: Point) => {
    if (next <= 0 || next >= pts.length - 1) return;
    if (pts[next].y === pts[end].y) pts[next].y = to.y;
    else if (pts[next].x === pts[end].x) pts[next].x = to.x;
  };
  follow(0, 1, source);
  follow(pts.length - 1, pts.length - 2, target);
  pts[0] = { ...source };
  pts[pts.length - 1] = { ...target };
  // A leg left slanted (a straight route whose ends moved apart) becomes a step.
  const out: Point[] = [pts[0]];
  for (let i = 1; i < pts.length; i++) {
    const a = out[out.length - 1];
    const b = pts[i];
    if (a.x !== b.x && a.y !== b.y) {
      const mid = (a.x + b.x) / 2;
      out.push({ x: mid, y: a.y }, { x: mid, y: b.y });
    }
    if (a.x !== b.x || a.y !== b.y) out.push(b);
  }
  return out.length >= 2 ? out : null;
}

/** An SVG path along `points` with corners rounded by up to `radius` (less
 *  where a leg is short). */
export function roundedPath(points: readonly Point[], radius = 10): string {
  if (points.length === 0) return '';
  let d = `M ${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const into = toward(b, a, r);
    const out = toward(b, c, r);
    d += ` L ${into.x},${into.y} Q ${b.x},${b.y} ${out.x},${out.y}`;
  }
  const end = points[points.length - 1];
  return `${d} L ${end.x},${end.y}`;
}

function toward(from: Point, to: Point, distance: number): Point {
  const len = Math.hypot(to.x - from.x, to.y - from.y);
  if (len === 0) return from;
  return { x: from.x + ((to.x - from.x) / len) * distance, y: from.y + ((to.y - from.y) / len) * distance };
}

/** The point halfway along `points` (where a wire's problem marker goes). */
export function midpoint(points: readonly Point[]): Point {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let left = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i] && lengths[i] > 0) return toward(points[i], points[i + 1], left);
    left -= lengths[i];
  }
  return points[points.length - 1] ?? { x: 0, y: 0 };
}

/** Points every `step` pixels along `points` (for hit tests). */
export function along(points: readonly Point[], step = 8): Point[] {
  const out: Point[] = points.length ? [points[0]] : [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / step));
    for (let k = 1; k <= n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n });
  }
  return out;
}
