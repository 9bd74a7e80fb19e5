// samples/kv-service outside Patchbay (kv-service wired to kv-memory), and a
// copy of it with every `*.wasi:*` import denied: sealed, that copy imports
// nothing at all, and still answers handle-request under every runtime.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { assertSameReturn, describe, exportAndTranspile, runEverywhere, sample } from './lib/matrix.js';
import { work } from './lib/tools.js';
import { str } from './lib/values.js';

const request = (line) => ({ instance: null, fn: 'handle-request', args: [str(line)] });

// Each runtime runs each call in a fresh instance, so the store starts
// empty every time: `get` after a `set` in another call finds nothing.
const cases = [
  [request('set a 1'), '"ok"'],
  [request('get a'), '"not found: a"'],
  [request('frobnicate'), '"error: unknown command \\"frobnicate\\"; usage: set KEY VALUE | get KEY"'],
];

async function compare(t, project, art) {
  for (const [c, expected] of cases) {
    await t.test(`handle-request(${c.args[0].v})`, (tt) => {
      const outcomes = runEverywhere(project, art, c);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertSameReturn(c, outcomes, expected);
    });
  }
}

for (const mode of ['sealed', 'open']) {
  test(`kv-service ${mode}: patchbay call, wasmtime and jco answer alike`, async (t) => {
    const project = sample('kv-service');
    const art = exportAndTranspile(project, 'kv-service', mode);
    t.diagnostic(`${mode} artifact imports ${art.imports.length} interfaces (the project grants *.wasi:*), checked against wasm-tools`);
    await compare(t, project, art);
  });
}

test('kv-service in one jco instance keeps its store across calls (wasmtime --invoke cannot)', async (t) => {
  // jco's bindings are one instance for the life of the importing process;
  // this is the one place the suite uses that on purpose.
  const art = exportAndTranspile(sample('kv-service'), 'kv-service-one-instance', 'sealed');
  const mod = await import(`file://${art.js}`);
  assert.equal(mod.handleRequest('set a 1'), 'ok');
  assert.equal(mod.handleRequest('get a'), '1');
});

/** A copy of kv-service whose every `*.wasi:*` import is denied. */
function deniedCopy() {
  const dir = path.join(work(), 'kv-service-denied-project');
  fs.mkdirSync(dir, { recursive: true });
  const original = fs.readFileSync(path.join(sample('kv-service'), 'patchbay.toml'), 'utf8');
  const wasm = path.join(sample('kv-service'), '..', 'wasm');
  const copy = original
    .replaceAll('"../wasm/', `"${wasm}/`)
    .split('\n')
    .filter((l) => !/^(build|watch) = /.test(l))
    .join('\n')
    .replace(/(\[bindings\."\*\.wasi:\*"\]\nmode = )"grant"/, '$1"deny"');
  assert.ok(copy.includes('[bindings."*.wasi:*"]\nmode = "deny"'), `could not deny *.wasi:* in a copy of kv-service:\n${copy}`);
  fs.writeFileSync(path.join(dir, 'patchbay.toml'), copy);
  return dir;
}

test('kv-service with *.wasi:* denied: the sealed artifact imports nothing and still answers', async (t) => {
  const project = deniedCopy();
  const art = exportAndTranspile(project, 'kv-service-denied', 'sealed');
  // exportAndTranspile checked `wasm-tools component wit` lists the same.
  assert.deepEqual(art.imports, [], `patchbay export says the artifact still imports:\n${art.stdout}`);
  assert.match(art.stdout, /^imports: none$/m);
  t.diagnostic('sealed artifact: zero imports (patchbay export and wasm-tools component wit agree)');
  await compare(t, project, art);
});
