// samples/http-hello outside Patchbay: the exported wasi:http handler served
// by `wasmtime serve` and by `jco serve`, answering what `patchbay serve`
// answers on the same project. Each server runs in its own process group and
// is stopped with SIGTERM, even when an assertion fails.
//
// `wasmtime serve` links only wasi:http by default; -S cli adds the WASI CLI
// interfaces (stdio, environment) the Rust guest imports.
import assert from 'node:assert/strict';
import test from 'node:test';
import { exportAndTranspile, sample } from './lib/matrix.js';
import { freePort, serveWithJco, serveWithPatchbay, serveWithWasmtime } from './lib/tools.js';

const project = sample('http-hello');
const requests = [
  ['GET', '/'],
  ['POST', '/orders/42?x=1'],
  ['DELETE', '/a/b/c'],
];

/** Status, content type and body of each request, against a server on PORT. */
async function answers(port) {
  const out = [];
  for (const [method, target] of requests) {
    const res = await fetch(`http://127.0.0.1:${port}${target}`, { method });
    out.push({ request: `${method} ${target}`, status: res.status, type: res.headers.get('content-type'), body: await res.text() });
  }
  return out;
}

async function served(start) {
  const port = await freePort();
  const server = await start(port);
  try {
    return await answers(port);
  } finally {
    await server.stop();
  }
}

for (const mode of ['sealed', 'open']) {
  test(`http-hello ${mode}: wasmtime serve and jco serve answer what patchbay serve answers`, async (t) => {
    const art = exportAndTranspile(project, 'http-hello', mode);
    t.diagnostic(`${mode} artifact imports ${art.imports.length} interfaces, checked against wasm-tools`);
    const expected = await served((port) => serveWithPatchbay(project, port));
    assert.equal(expected[1].body, 'hello from patchbay: POST /orders/42?x=1\n');
    for (const [name, start] of [['wasmtime serve', serveWithWasmtime], ['jco serve', serveWithJco]]) {
      const got = await served((port) => start(art.wasm, port));
      t.diagnostic(`${name}: ${got.map((a) => `${a.request} → ${a.status} ${JSON.stringify(a.body)}`).join('; ')}`);
      assert.deepEqual(got, expected, `${name} answered differently from patchbay serve`);
    }
  });
}
