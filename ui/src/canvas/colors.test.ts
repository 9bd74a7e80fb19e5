import { describe, expect, it } from 'vitest';
import { packageHue } from './colors';

describe('packageHue', () => {
  it('is stable, keeps wasi packages in one family and others out of it', () => {
    expect(packageHue('patchbay:kv')).toBe(packageHue('patchbay:kv'));
    for (const p of ['wasi:io', 'wasi:cli', 'wasi:http', 'wasi:filesystem', 'wasi:random']) {
      const h = packageHue(p)!;
      expect(h).toBeGreaterThanOrEqual(195);
      expect(h).toBeLessThanOrEqual(230);
    }
    for (const p of ['patchbay:kv', 'patchbay:orders', 'test:shapes', 'acme:billing']) {
      const h = packageHue(p)!;
      expect(h < 185 || h >= 245).toBe(true);
    }
    expect(packageHue(null)).toBeNull();
  });
});
