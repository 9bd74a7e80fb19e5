// Mock stubs under other engines: kv-service alone, its store mocked (none
// of the samples uses `cases`, `sequence` or `trap`), every WASI import
// denied, so the sealed artifact imports nothing and every answer comes
// from the generated stub code. Each kind is compared under `patchbay
// call`, `wasmtime run --invoke` and jco.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { assertAllTrap, assertSameReturn, describe, exportAndTranspile, runEverywhere, sample } from './lib/matrix.js';
import { work } from './lib/tools.js';
import { str } from './lib/values.js';

const request = (line) => ({ instance: null, fn: 'handle-request', args: [str(line)] });

/** A project: kv-service with `patchbay:kv/store` mocked by STORE (TOML lines). */
function mockedProject(name, store) {
  const dir = path.join(work(), `${name}-project`);
  fs.mkdirSync(dir, { recursive: true });
  const wasm = path.join(sample('kv-service'), '..', 'wasm', 'kv-service.wasm');
  fs.writeFileSync(path.join(dir, 'patchbay.toml'), `version = 1
name = "${name}"

[components.kv-service]
path = "${wasm}"

[nodes.service]
component = "kv-service"
position = { x = 0.0, y = 0.0 }

[[exports]]
from = "service.handle-request"

[bindings."service.patchbay:kv/store"]
mode = "mock"
${store}

[bindings."*.wasi:*"]
mode = "deny"
`);
  return dir;
}

async function sealedWithoutImports(t, name, store) {
  const project = mockedProject(name, store);
  const art = exportAndTranspile(project, name, 'sealed');
  assert.deepEqual(art.imports, [], `the sealed artifact still imports:\n${art.stdout}`);
  t.diagnostic('sealed artifact: zero imports (patchbay export and wasm-tools component wit agree)');
  return { project, art };
}

test('a cases mock (string arguments, a fallback) answers alike', async (t) => {
  const { project, art } = await sealedWithoutImports(t, 'kv-cases',
    `functions.get = { cases = [{ args = '("a")', returns = 'some("one")' }, { args = '("ключ")', returns = 'some("значение ✓")' }], returns = "none" }
functions.set = { returns = "()" }`);
  for (const [line, expected] of [
    ['get a', '"one"'],
    // Not ASCII: UTF-8 in the stub's memory, UTF-16 in JavaScript.
    ['get ключ', '"значение ✓"'],
    ['get ab', '"not found: ab"'],
    ['set a 1', '"ok"'],
  ]) {
    await t.test(line, (tt) => {
      const c = request(line);
      const outcomes = runEverywhere(project, art, c);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertSameReturn(c, outcomes, expected);
    });
  }
});

test('a sequence mock answers alike per instance, and counts on in one jco instance', async (t) => {
  const { project, art } = await sealedWithoutImports(t, 'kv-sequence',
    `functions.get = { sequence = ['some("first")', 'some("second")', "none"] }
functions.set = { returns = "()" }`);
  // A fresh instance per call everywhere: each starts the counter at 0.
  await t.test('first call of an instance', (tt) => {
    const c = request('get a');
    const outcomes = runEverywhere(project, art, c);
    tt.diagnostic(`\n${describe(outcomes)}`);
    assertSameReturn(c, outcomes, '"first"');
  });
  // One jco instance keeps the stub's counter; the last value repeats.
  // (`wasmtime run --invoke` makes one call per instance, so it cannot
  // show this.)
  await t.test('calls in one jco instance', async () => {
    const mod = await import(`file://${art.js}`);
    const answers = ['get a', 'get b', 'get c', 'get d'].map((l) => mod.handleRequest(l));
    assert.deepEqual(answers, ['first', 'second', 'not found: c', 'not found: d']);
  });
});

test('a trap mock traps alike, naming the mock', async (t) => {
  const { project, art } = await sealedWithoutImports(t, 'kv-trap',
    `functions.get = { returns = "none" }
functions.set = { trap = "read-only store" }`);
  const c = request('set a 1');
  const outcomes = runEverywhere(project, art, c);
  t.diagnostic(`\n${describe(outcomes)}`);
  assertAllTrap(c, outcomes, ['mock: node service called patchbay:kv/store#set: trap: read-only store']);
  assert.ok(outcomes.patchbay.message.includes('read-only store'), outcomes.patchbay.message);
  const ok = request('get a');
  assertSameReturn(ok, runEverywhere(project, art, ok), '"not found: a"');
});
