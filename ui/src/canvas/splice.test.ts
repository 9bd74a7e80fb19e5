import { describe, expect, it } from 'vitest';
import { freeSpotNear } from '../store/placement';
import { wirePoints, wireUnderNode } from './splice';

describe('wireUnderNode', () => {
  const wire = { id: 'w', source: { x: 300, y: 100 }, target: { x: 900, y: 100 }, ends: ['a', 'b'] };

  it('finds the wire whose curve crosses the middle of the dropped node', () => {
    expect(wireUnderNode('c', { x: 450, y: 20, width: 300, height: 160 }, [wire])).toBe('w');
  });

  it('ignores a wire that only grazes the node’s edge, and the node’s own wires', () => {
    expect(wireUnderNode('c', { x: 450, y: 85, width: 300, height: 160 }, [wire])).toBeNull();
    expect(wireUnderNode('a', { x: 450, y: 20, width: 300, height: 160 }, [wire])).toBeNull();
  });

  it('picks the wire nearest the node’s centre', () => {
    const other = { id: 'v', source: { x: 300, y: 140 }, target: { x: 900, y: 140 }, ends: ['x', 'y'] };
    expect(wireUnderNode('c', { x: 450, y: 60, width: 300, height: 160 }, [wire, other])).toBe('v');
  });

  it('follows the curve React Flow draws between handles at different heights', () => {
    const points = wirePoints({ x: 0, y: 0 }, { x: 400, y: 200 });
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points.at(-1)).toEqual({ x: 400, y: 200 });
    // Symmetric S-curve: its middle is the middle of the two ends.
    expect(points[16].x).toBeCloseTo(200);
    expect(points[16].y).toBeCloseTo(100);
  });
});

describe('freeSpotNear', () => {
  const size = { width: 300, height: 160 };

  it('takes the spot asked for when it is free', () => {
    expect(freeSpotNear({ x: 10.4, y: 20 }, size, [])).toEqual({ x: 10, y: 20 });
  });

  it('moves to the nearest spot that overlaps no node', () => {
    const taken = [{ x: 0, y: 0, width: 300, height: 160 }];
    const spot = freeSpotNear({ x: 0, y: 0 }, size, taken);
    const overlaps = spot.x < 340 && spot.x + 340 > 0 && spot.y < 200 && spot.y + 200 > 0;
    expect(overlaps).toBe(false);
    expect(Math.hypot(spot.x, spot.y)).toBeLessThan(400);
  });
});
