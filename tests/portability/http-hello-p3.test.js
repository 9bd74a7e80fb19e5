// samples/http-hello-p3 outside Patchbay: the exported WASI 0.3 handler
// (wasi:http/handler@0.3.0) served by `wasmtime serve` (CLI 49 serves p3
// handlers), answering what `patchbay serve` answers on the same project.
// jco does not transpile WASI 0.3 components yet (see FIELD-NOTES), so jco
// is not compared; the artifact's imports are checked against
// `wasm-tools component wit`. Each server runs in its own process group and
// is stopped with SIGTERM, even when an assertion fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { sample } from './lib/matrix.js';
import {
  exportProject, freePort, serveWithPatchbay, serveWithWasmtime, witImports, work,
} from './lib/tools.js';

const project = sample('http-hello-p3');
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
  test(`http-hello-p3 ${mode}: wasmtime serve answers what patchbay serve answers`, async (t) => {
    const dir = path.join(work(), `http-hello-p3-${mode}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const art = exportProject(project, dir, { open: mode === 'open' });
    assert.deepEqual([...witImports(art.wasm)].sort(), [...art.imports].sort());
    assert.ok(art.imports.includes('wasi:http/types@0.3.0'), art.imports.join(', '));
    const expected = await served((port) => serveWithPatchbay(project, port));
    assert.equal(expected[1].body, 'hello from patchbay over wasi:http 0.3: POST /orders/42?x=1\n');
    const got = await served((port) => serveWithWasmtime(art.wasm, port));
    t.diagnostic(`wasmtime serve: ${got.map((a) => `${a.request} → ${a.status} ${JSON.stringify(a.body)}`).join('; ')}`);
    assert.deepEqual(got, expected, 'wasmtime serve answered differently from patchbay serve');
  });
}
