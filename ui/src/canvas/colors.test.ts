import { describe, expect, it } from 'vitest';
import { packageHue } from './colors';

describe('packageHue', () => {
  it('is stable, keeps wasi packages in one family and others out of it', () => {
    expect(packageHue('patchbay:kv')).toBe(packageHue('patchbay:kv'));
    for (const p of ['wasi:io', 'wasi:cli', 'wasi:http', 'wasi:filesystem', 'wasi:random']) {
      const h = packageHue(p)!;
      expect(h).toBeGreaterThanOrEqual(205);
      expect(h).toBeLessThanOrEqual(235);
    }
    for (const p of ['patchbay:kv', 'patchbay:orders', 'test:shapes', 'acme:billing']) {
      const h = packageHue(p)!;
      expect(h < 165 || h >= 275).toBe(true);
    }
    expect(packageHue(null)).toBeNull();
  });
});
