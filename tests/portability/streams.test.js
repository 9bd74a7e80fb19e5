// samples/streams outside Patchbay: two WASI 0.3 (async) components, a
// stream<u32> crossing the inner wire. jco does not transpile WASI 0.3
// components yet (see FIELD-NOTES), so this sample runs under `patchbay
// call` and the wasmtime CLI only; its artifact's imports are still checked
// against `wasm-tools component wit`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { describe, sample } from './lib/matrix.js';
import { exportProject, patchbayCall, wasmtimeInvoke, witImports, work } from './lib/tools.js';
import { u32 } from './lib/values.js';

const sum = (n) => ({ instance: null, fn: 'sum', args: [u32(n)] });

for (const mode of ['sealed', 'open']) {
  test(`streams ${mode}: patchbay call and wasmtime answer alike`, async (t) => {
    const project = sample('streams');
    const dir = path.join(work(), `streams-${mode}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const art = exportProject(project, dir, { open: mode === 'open' });
    assert.deepEqual([...witImports(art.wasm)].sort(), [...art.imports].sort());
    for (const [n, expected] of [[0, '0'], [10, '55'], [1000, '500500']]) {
      await t.test(`sum(${n})`, (tt) => {
        const outcomes = { patchbay: patchbayCall(project, sum(n)), wasmtime: wasmtimeInvoke(art.wasm, sum(n)) };
        tt.diagnostic(`\n${describe(outcomes)}`);
        for (const [runtime, o] of Object.entries(outcomes)) {
          assert.equal(o.kind, 'returned', `${runtime}: ${describe(outcomes)}`);
          assert.equal(o.wave, expected, `${runtime}: ${describe(outcomes)}`);
        }
      });
    }
  });
}
