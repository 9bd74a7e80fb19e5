import { describe, expect, it } from 'vitest';
import type { ProjectDoc } from '../store/backend';
import { explainImport, formatBytes, formatMicros, formatMillis, locationText, shortHash, wireIndexOf } from './text';

const doc: ProjectDoc = {
  name: 'p',
  fakeNodes: [],
  components: [],
  nodes: [],
  wires: [
    { from: { node: 'memory', port: 'patchbay:kv/log' }, to: { node: 'service', port: 'patchbay:kv/log' } },
    { from: { node: 'memory', port: 'patchbay:kv/store' }, to: { node: 'service', port: 'patchbay:kv/store' } },
    { from: { node: 'calc', port: 'tax' }, to: { node: 'service', port: 'tax' } },
  ],
  exports: [],
  bindings: [],
};

describe('panel text helpers', () => {
  it('finds the wire a traced call went over', () => {
    const entry = { caller: 'service', callee: 'memory', args: [], result: '', startMicros: 0, micros: 1 };
    expect(wireIndexOf(doc, { ...entry, function: 'patchbay:kv/store#set' })).toBe(1);
    expect(wireIndexOf(doc, { ...entry, function: 'patchbay:kv/store@1.0.0#get' })).toBe(1);
    expect(wireIndexOf(doc, { ...entry, caller: 'service', callee: 'calc', function: 'tax' })).toBe(2);
    expect(wireIndexOf(doc, { ...entry, caller: 'nobody', function: 'x#y' })).toBe(-1);
  });

  it('names locations, sizes, durations and hashes', () => {
    expect(locationText({ kind: 'wire', index: 0, from: 'a.x', to: 'b.x' })).toBe('wire #1 a.x → b.x');
    expect(locationText({ kind: 'binding', selector: '*.wasi:*' })).toBe('binding *.wasi:*');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatMicros(76)).toBe('76 µs');
    expect(formatMicros(1500)).toBe('1.50 ms');
    expect(formatMicros(2_040_000)).toBe('2.04 s');
    expect(formatMillis(0.08344999999)).toBe('83 µs');
    expect(formatMillis(5.4321)).toBe('5.43 ms');
    expect(formatMillis(12.3456)).toBe('12.3 ms');
    expect(formatMillis(153.49)).toBe('153 ms');
    expect(shortHash('sha256:0123456789abcdef')).toBe('sha256:0123456789ab');
  });

  it('explains what an import gives a guest', () => {
    expect(explainImport('wasi:filesystem/preopens@0.2.6')).toMatch(/file access/);
    expect(explainImport('wasi:http/outgoing-handler@0.2.6')).toMatch(/network/);
    expect(explainImport('patchbay:kv/store')).toMatch(/custom interface/);
  });
});
