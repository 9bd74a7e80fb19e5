// std-interfaces (built with wasmCloud's SDK) and std-interfaces-spin
// (built with Spin's SDK, Spin 3's versions of the interfaces) outside
// Patchbay. Each artifact keeps the standard interfaces as imports, sealed or open: the
// samples grant a key-value store and configuration, which are the engine's
// to give (the `kv` and `config` fakes would be sealed in; see
// crates/patchbay-host/tests/seal_std.rs). The
// standalone wasmtime CLI (49) cannot run it: it has no `wasi:logging`,
// and its `-S config` serves `wasi:config/store@0.2.0-rc.1`, not the
// `@0.2.0-draft` wasmCloud's SDK imports (nor Spin 3's
// `@0.2.0-draft-2024-09-27`); the test pins that refusal, so a
// wasmtime that starts serving them shows up here. jco has no
// implementation of these interfaces, so it is not run.
import assert from 'node:assert/strict';
import test from 'node:test';
import { exportAndTranspile, sample } from './lib/matrix.js';
import { patchbayCall, wasmtimeInvoke } from './lib/tools.js';
import { str } from './lib/values.js';

const STANDARD = [
  'wasi:keyvalue/store@0.2.0-draft',
  'wasi:keyvalue/atomics@0.2.0-draft',
  'wasi:keyvalue/batch@0.2.0-draft',
  'wasi:config/store@0.2.0-draft',
  'wasi:logging/logging@0.1.0-draft',
];

for (const mode of ['sealed', 'open']) {
  test(`std-interfaces ${mode}: the standard interfaces stay imports, which wasmtime's CLI does not serve`, () => {
    const project = sample('std-interfaces');
    const art = exportAndTranspile(project, 'std-interfaces', mode);
    for (const i of STANDARD) assert.ok(art.imports.includes(i), `${mode} artifact imports ${i}: ${art.imports}`);
    const c = { instance: null, fn: 'greet', args: [str('ana')] };
    const patchbay = patchbayCall(project, c);
    assert.equal(patchbay.kind, 'returned', JSON.stringify(patchbay));
    assert.equal(patchbay.wave, '"hello, ana!"');
    const wasmtime = wasmtimeInvoke(art.wasm, c);
    assert.equal(wasmtime.kind, 'trapped', JSON.stringify(wasmtime));
    assert.match(wasmtime.message, /wasi:(logging|config|keyvalue)\/\S+@0\.[12]\.0-draft/);
  });
}

const SPIN_3 = [
  'wasi:keyvalue/store@0.2.0-draft2',
  'wasi:keyvalue/atomics@0.2.0-draft2',
  'wasi:config/store@0.2.0-draft-2024-09-27',
];

for (const mode of ['sealed', 'open']) {
  test(`std-interfaces-spin ${mode}: Spin 3's versions stay imports, which wasmtime's CLI does not serve`, () => {
    const project = sample('std-interfaces-spin');
    const art = exportAndTranspile(project, 'std-interfaces-spin', mode);
    for (const i of SPIN_3) assert.ok(art.imports.includes(i), `${mode} artifact imports ${i}: ${art.imports}`);
    const c = { instance: null, fn: 'setting', args: [str('greeting')] };
    const patchbay = patchbayCall(project, c);
    assert.equal(patchbay.kind, 'returned', JSON.stringify(patchbay));
    assert.equal(patchbay.wave, 'ok(some("hello"))');
    const wasmtime = wasmtimeInvoke(art.wasm, c);
    assert.equal(wasmtime.kind, 'trapped', JSON.stringify(wasmtime));
    assert.match(wasmtime.message, /wasi:(config|keyvalue)\/\S+@0\.2\.0-draft/);
  });
}
