// samples/sandbox-demo outside Patchbay: one component, three nodes bound
// three ways. Sealed, the `mocked` node's mocks and the `denied` node's
// denials are inside the artifact, so wasmtime and jco answer the mock's
// values and trap naming the denial, whatever the runner offers. Open, the
// artifact carries no binding and the runner decides.
//
// Every runtime gets the same runner's choice: GREETING in the environment
// and the sample's data folder at /data (`patchbay call` grants exactly
// those to `granted` from the project file).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { assertAllTrap, assertSameReturn, describe, exportAndTranspile, runEverywhere, sample } from './lib/matrix.js';
import { freePort, startServer, work } from './lib/tools.js';
import { str } from './lib/values.js';

const project = sample('sandbox-demo');
const runner = {
  env: { GREETING: 'hello from the runner' },
  dirs: { '/data': path.join(project, 'data') },
};
const probe = (instance, fn, ...args) => ({ instance, fn, args, returnsResult: fn !== 'run-all' });
const url = 'http://127.0.0.1:8080/';
const motd = 'Hello from a folder the sandbox was allowed to read.\\n';

// What the granted node does is the runner's grant in every runtime.
const grantedCases = [
  [probe('granted', 'read-env', str('GREETING')), 'ok("hello from the runner")'],
  [probe('granted', 'read-file', str('/data/motd.txt')), `ok("${motd}")`],
];

const denials = [
  [probe('denied', 'read-env', str('GREETING')), 'wasi:cli/environment@0.2.12#get-environment'],
  [probe('denied', 'read-file', str('/data/motd.txt')), 'wasi:filesystem/preopens@0.2.12#get-directories'],
  [probe('denied', 'fetch', str(url)), 'wasi:http/outgoing-handler@0.2.12#handle'],
];

test('sandbox-demo: calls not compared outside', (t) => {
  // Said, not skipped silently.
  t.diagnostic('write-file, connect: the sample grants no writable folder and no sockets, so every runtime refuses them in its own words (host error texts differ)');
  t.diagnostic('now-ms, random-u64: clock and random answers differ on every run by nature');
});

test('sandbox-demo sealed: mocks answer and denials trap under patchbay call, wasmtime and jco', async (t) => {
  const art = exportAndTranspile(project, 'sandbox-demo', 'sealed');
  t.diagnostic(`sealed artifact imports ${art.imports.length} interfaces (the granted node's), checked against wasm-tools`);

  const mocked = [
    [probe('mocked', 'read-env', str('GREETING')), 'ok("hello from a mock")'],
    // The mock answers no folders, so /data does not exist even though the
    // runner offers it.
    [probe('mocked', 'read-file', str('/data/motd.txt')), 'err("cannot read /data/motd.txt: No such file or directory (os error 44)")'],
    [probe('mocked', 'fetch', str(url)), `err("cannot fetch ${url}: ErrorCode::InternalError(Some(\\"answered by a mock\\"))")`],
    [probe('mocked', 'run-all'), undefined],
  ];
  for (const [c, expected] of [...mocked, ...grantedCases]) {
    await t.test(`${c.instance}#${c.fn}`, (tt) => {
      const outcomes = runEverywhere(project, art, c, runner);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertSameReturn(c, outcomes, expected);
    });
  }
  for (const [c, fn] of denials) {
    await t.test(`${c.instance}#${c.fn} traps naming the denial`, (tt) => {
      const outcomes = runEverywhere(project, art, c, runner);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertAllTrap(c, outcomes, [`denied: node denied called ${fn}`]);
      const [iface, func] = fn.split('#');
      assert.equal(outcomes.patchbay.report.failure.kind, 'denied');
      assert.ok(outcomes.patchbay.message.includes(`node \`denied\` called \`${iface}#${func}\``), outcomes.patchbay.message);
    });
  }
});

test('sandbox-demo open: no binding is baked in, the runner decides', async (t) => {
  const art = exportAndTranspile(project, 'sandbox-demo', 'open');
  for (const [c, expected] of grantedCases) {
    await t.test(`${c.instance}#${c.fn}`, (tt) => {
      const outcomes = runEverywhere(project, art, c, runner);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertSameReturn(c, outcomes, expected);
    });
  }
  // Outside, the open artifact's mocked and denied nodes read what the
  // runner gives; `patchbay call` still applies the project's bindings. So
  // here the outside runtimes agree with each other and not with Patchbay.
  for (const c of [probe('mocked', 'read-env', str('GREETING')), probe('denied', 'read-env', str('GREETING'))]) {
    await t.test(`${c.instance}#${c.fn} reads the runner's environment`, (tt) => {
      const outcomes = runEverywhere(project, art, c, runner);
      tt.diagnostic(`\n${describe(outcomes)}`);
      for (const runtime of ['wasmtime', 'jco']) {
        assert.equal(outcomes[runtime].kind, 'returned', `${runtime}:\n${describe(outcomes)}`);
        assert.equal(outcomes[runtime].wave, 'ok("hello from the runner")', `${runtime}:\n${describe(outcomes)}`);
      }
      const inPatchbay = outcomes.patchbay.kind === 'returned' ? outcomes.patchbay.wave : outcomes.patchbay.message;
      assert.notEqual(inPatchbay, 'ok("hello from the runner")', 'patchbay call applies the project binding');
    });
  }
});

/**
 * A copy of sandbox-demo whose `granted` node may reach 127.0.0.1:PORT
 * instead of :8080 (which something else on the machine may hold), with
 * absolute paths.
 */
function copyAllowing(port) {
  const dir = path.join(work(), `sandbox-demo-port-${port}`);
  fs.mkdirSync(dir, { recursive: true });
  const copy = fs.readFileSync(path.join(project, 'patchbay.toml'), 'utf8')
    .replaceAll('"../wasm/', `"${path.join(project, '..', 'wasm')}/`)
    .replace('{ host = "data", guest = "/data" }', `{ host = "${path.join(project, 'data')}", guest = "/data" }`)
    .replace('allow = ["127.0.0.1:8080"]', `allow = ["127.0.0.1:${port}"]`)
    .split('\n')
    .filter((l) => !/^(build|watch) = /.test(l))
    .join('\n');
  assert.ok(copy.includes(`allow = ["127.0.0.1:${port}"]`), `could not move the grant to port ${port}:\n${copy}`);
  fs.writeFileSync(path.join(dir, 'patchbay.toml'), copy);
  return dir;
}

test('sandbox-demo granted#fetch reaches a local server under every runtime, sealed and open', async (t) => {
  // The server is its own process: the runtimes are spawned synchronously,
  // which would block a server in this one.
  const port = await freePort();
  const server = await startServer(process.execPath, ['-e', `require('node:http')
    .createServer((req, res) => res.end('pong ' + req.method + ' ' + req.url))
    .listen(${port}, '127.0.0.1')`], port);
  try {
    const copy = copyAllowing(port);
    const c = probe('granted', 'fetch', str(`http://127.0.0.1:${port}/ping`));
    for (const mode of ['sealed', 'open']) {
      const art = exportAndTranspile(copy, 'sandbox-demo-fetch', mode);
      await t.test(mode, (tt) => {
        const outcomes = runEverywhere(copy, art, c, runner);
        tt.diagnostic(`\n${describe(outcomes)}`);
        assertSameReturn(c, outcomes, 'ok("200 pong GET /ping")');
      });
    }
  } finally {
    await server.stop();
  }
});
