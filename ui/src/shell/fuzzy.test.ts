import { describe, expect, it } from 'vitest';
import { fuzzyMatch } from './fuzzy';

describe('fuzzyMatch', () => {
  it('matches subsequences and rejects others', () => {
    expect(fuzzyMatch('kvs', 'kv-service')).not.toBeNull();
    expect(fuzzyMatch('svk', 'kv-service')).toBeNull();
    expect(fuzzyMatch('', 'anything')?.score).toBe(0);
  });

  it('ranks substrings, word starts and exact names first', () => {
    const score = (q: string, t: string) => fuzzyMatch(q, t)?.score ?? -Infinity;
    expect(score('store', 'patchbay:kv/store')).toBeGreaterThan(score('store', 'wasi:cli/stdout-or-error'));
    expect(score('memory', 'memory')).toBeGreaterThan(score('memory', 'kv-memory'));
    expect(score('hr', 'handle-request')).toBeGreaterThan(score('hr', 'ahxr'));
  });

  it('reports matched positions', () => {
    expect(fuzzyMatch('kv', 'patchbay:kv/store')?.positions).toEqual([9, 10]);
  });
});

describe('fuzzyMatch scatter', () => {
  it('drops matches scattered across the middle of words', () => {
    expect(fuzzyMatch('store', 'wasi:cli/terminal-input@0.2.6')).toBeNull();
    expect(fuzzyMatch('hr', 'handle-request')).not.toBeNull();
  });
});
