import { describe, expect, it } from 'vitest';
import { layeredLayout, type LayoutNode, type Point } from '../store/layout';
import { along, fitRoute, midpoint, roundedPath, ROUTE_SLACK } from './route';
import { wireUnderNode } from './splice';

/** A node of `width`×`height` with imports on the left and exports on the right at these heights. */
function node(id: string, ins: string[], outs: string[], height = 120): LayoutNode {
  const at = (i: number) => 40 + i * 24;
  return { id, width: 300, height, inPorts: ins.map((p, i) => ({ id: p, y: at(i) })), outPorts: outs.map((p, i) => ({ id: p, y: at(i) })) };
}

/** Whether the segment a→b passes through the inside of `box` (shrunk by 1 px). */
function crosses(a: Point, b: Point, box: { x: number; y: number; width: number; height: number }): boolean {
  return along([a, b], 2).some((p) => p.x > box.x + 1 && p.x < box.x + box.width - 1 && p.y > box.y + 1 && p.y < box.y + box.height - 1);
}

describe('wire routes from the layout', () => {
  it('route a wire that skips a layer around the node in between, from the export port to the import port', async () => {
    // source → middle → sink, and source → sink directly: drawn straight, the
    // direct wire would run through `middle`.
    const nodes = [node('source', [], ['out', 'direct']), node('middle', ['in'], ['out'], 400), node('sink', ['in', 'direct'], [])];
    const edges = [
      { id: 'w1', source: 'source', sourcePort: 'out', target: 'middle', targetPort: 'in' },
      { id: 'w2', source: 'middle', sourcePort: 'out', target: 'sink', targetPort: 'in' },
      { id: 'w3', source: 'source', sourcePort: 'direct', target: 'sink', targetPort: 'direct' },
    ];
    const { positions, routes } = await layeredLayout(nodes, edges);
    expect(Object.keys(routes).sort()).toEqual(['w1', 'w2', 'w3']);
    const box = (id: string) => ({ ...positions[id], width: 300, height: nodes.find((n) => n.id === id)!.height });
    const direct = routes.w3;
    // It starts at source's `direct` export (east side) and ends at sink's `direct` import (west side).
    expect(direct[0].x).toBeGreaterThanOrEqual(positions.source.x + 300);
    expect(direct[0].y).toBe(positions.source.y + 64);
    expect(direct.at(-1)!.x).toBeLessThanOrEqual(positions.sink.x);
    expect(direct.at(-1)!.y).toBe(positions.sink.y + 64);
    // Every leg is horizontal or vertical, and none runs through a node.
    for (const [id, route] of Object.entries(routes)) {
      for (let i = 1; i < route.length; i++) {
        const [a, b] = [route[i - 1], route[i]];
        expect(a.x === b.x || a.y === b.y, `${id} leg ${i}`).toBe(true);
        for (const n of ['source', 'middle', 'sink']) expect(crosses(a, b, box(n)), `${id} leg ${i} crosses ${n}`).toBe(false);
      }
    }
    // Drawn straight, the direct wire would have crossed the middle node.
    expect(crosses(direct[0], direct.at(-1)!, box('middle'))).toBe(true);
  });

  it('returns no routes for an empty graph', async () => {
    expect(await layeredLayout([], [])).toEqual({ positions: {}, routes: {} });
  });
});

describe('fitting a route to the handles', () => {
  const route: Point[] = [
    { x: 308, y: 64 },
    { x: 340, y: 64 },
    { x: 340, y: 500 },
    { x: 792, y: 500 },
    { x: 792, y: 64 },
    { x: 832, y: 64 },
  ];

  it('moves the ends onto the handles and keeps the end legs straight', () => {
    const fitted = fitRoute(route, { x: 304, y: 66 }, { x: 836, y: 61 })!;
    expect(fitted[0]).toEqual({ x: 304, y: 66 });
    expect(fitted[1]).toEqual({ x: 340, y: 66 });
    expect(fitted.at(-2)).toEqual({ x: 792, y: 61 });
    expect(fitted.at(-1)).toEqual({ x: 836, y: 61 });
    for (let i = 1; i < fitted.length; i++) expect(fitted[i - 1].x === fitted[i].x || fitted[i - 1].y === fitted[i].y).toBe(true);
  });

  it('is not drawn once a node at either end has moved', () => {
    expect(fitRoute(route, { x: 308 + ROUTE_SLACK + 1, y: 64 }, { x: 832, y: 64 })).toBeNull();
    expect(fitRoute(route, { x: 308, y: 64 }, { x: 832, y: 64 - ROUTE_SLACK - 1 })).toBeNull();
    expect(fitRoute([], { x: 0, y: 0 }, { x: 0, y: 0 })).toBeNull();
  });

  it('turns a straight route whose ends moved apart into a step', () => {
    const fitted = fitRoute(
      [
        { x: 0, y: 10 },
        { x: 100, y: 10 },
      ],
      { x: 0, y: 10 },
      { x: 100, y: 16 },
    );
    expect(fitted).toEqual([
      { x: 0, y: 10 },
      { x: 50, y: 10 },
      { x: 50, y: 16 },
      { x: 100, y: 16 },
    ]);
  });

  it('draws rounded corners and finds the middle along the route', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 100 },
    ];
    expect(roundedPath(pts, 10)).toBe('M 0,0 L 90,0 Q 100,0 100,10 L 100,100');
    // A short leg rounds less.
    expect(roundedPath([{ x: 0, y: 0 }, { x: 8, y: 0 }, { x: 8, y: 50 }], 10)).toBe('M 0,0 L 4,0 Q 8,0 8,4 L 8,50');
    expect(midpoint(pts)).toEqual({ x: 100, y: 0 });
    expect(midpoint([{ x: 0, y: 0 }, { x: 40, y: 0 }])).toEqual({ x: 20, y: 0 });
  });

  it('a node dropped on a routed wire finds it where it is drawn, not where a curve would be', () => {
    // A wire routed down and around: the straight curve between its ends passes y = 0, the route y = 300.
    const wire = {
      id: 'w',
      source: { x: 0, y: 0 },
      target: { x: 600, y: 0 },
      ends: ['a', 'b'],
      route: [
        { x: 0, y: 0 },
        { x: 40, y: 0 },
        { x: 40, y: 300 },
        { x: 560, y: 300 },
        { x: 560, y: 0 },
        { x: 600, y: 0 },
      ],
    };
    const onRoute = { x: 200, y: 250, width: 200, height: 100 };
    const onCurve = { x: 200, y: -50, width: 200, height: 100 };
    expect(wireUnderNode('c', onRoute, [wire])).toBe('w');
    expect(wireUnderNode('c', onCurve, [wire])).toBeNull();
    expect(wireUnderNode('c', onCurve, [{ ...wire, route: null }])).toBe('w');
  });
});
