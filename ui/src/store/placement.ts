// Where new nodes go: near what the person is looking at, on a free spot,
// so adding a node never sends the view away from the graph. The canvas
// registers what part of the graph is visible; without a canvas (tests, the
// first open) new nodes go to the right of the graph.

export type Rect = { x: number; y: number; width: number; height: number };
export type Point = { x: number; y: number };

let visible: (() => Rect | null) | null = null;

/** The canvas tells the store which part of the graph it shows (in graph
 *  coordinates); `null` unregisters. */
export function registerViewport(fn: (() => Rect | null) | null): void {
  visible = fn;
}

/** The part of the graph on screen, when a canvas is showing it. */
export function visibleArea(): Rect | null {
  return visible?.() ?? null;
}

const GAP = 40;

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/** Whether `r` lies wholly inside `area`. */
export function contains(area: Rect, r: Rect): boolean {
  return r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height;
}

/** The free spot nearest `near` (a top-left corner) for a `size` node that
 *  overlaps none of `taken` (with a gap): rings of candidates around
 *  `near`, nearest first. */
export function freeSpotNear(near: Point, size: { width: number; height: number }, taken: Rect[]): Point {
  const stepX = size.width + GAP;
  const stepY = Math.max(size.height, 80) / 2 + GAP;
  for (let ring = 0; ring < 12; ring++) {
    const spots: Point[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        spots.push({ x: near.x + i * stepX, y: near.y + j * stepY });
      }
    }
    spots.sort((a, b) => Math.hypot(a.x - near.x, a.y - near.y) - Math.hypot(b.x - near.x, b.y - near.y));
    const free = spots.find((p) => !taken.some((t) => overlaps({ ...p, ...size }, t)));
    if (free) return { x: Math.round(free.x), y: Math.round(free.y) };
  }
  return { x: Math.round(near.x), y: Math.round(near.y) };
}
