// The remaining samples outside Patchbay (kv-bench, hostile), and a check
// that every sample under samples/ has a portability test, so a new sample
// cannot be skipped silently.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { assertAllTrap, assertSameReturn, describe, exportAndTranspile, runEverywhere, sample } from './lib/matrix.js';
import { repo } from './lib/tools.js';
import { str, u32, u64 } from './lib/values.js';

const root = (fn, ...args) => ({ instance: null, fn, args });

// Samples and the file that tests each.
const covered = {
  'sandbox-demo': 'sandbox-demo.test.js',
  'kv-service': 'kv-service.test.js',
  'order-pipeline': 'order-pipeline.test.js',
  'order-pipeline-polyglot': 'order-pipeline.test.js',
  streams: 'streams.test.js',
  'http-hello': 'http-hello.test.js',
  'http-hello-p3': 'http-hello-p3.test.js',
  'kv-bench': 'other-samples.test.js',
  hostile: 'other-samples.test.js',
  'std-interfaces': 'std-interfaces.test.js',
  'std-interfaces-spin': 'std-interfaces.test.js',
};

test('every sample has a portability test', () => {
  const samples = fs.readdirSync(path.join(repo, 'samples'))
    .filter((d) => fs.existsSync(path.join(repo, 'samples', d, 'patchbay.toml')));
  assert.deepEqual(samples.filter((s) => !(s in covered)), [], 'samples without a test in tests/portability');
});

for (const mode of ['sealed', 'open']) {
  test(`kv-bench ${mode}: hammer answers alike`, async (t) => {
    const project = sample('kv-bench');
    const art = exportAndTranspile(project, 'kv-bench', mode);
    for (const n of [0, 100, 1000]) {
      const c = root('hammer', u32(n));
      await t.test(`hammer(${n})`, (tt) => {
        const outcomes = runEverywhere(project, art, c);
        tt.diagnostic(`\n${describe(outcomes)}`);
        assertSameReturn(c, outcomes, String(n));
      });
    }
  });

  test(`hostile ${mode}: the well-behaved calls and a guest panic alike`, async (t) => {
    const project = sample('hostile');
    const art = exportAndTranspile(project, 'hostile', mode);
    // spin() never returns and allocate(big) / recurse(deep) / flood(many)
    // exist to hit a host's limits: `patchbay call` stops them with its
    // timeout, memory, stack and output caps, which the wasmtime CLI and
    // node set differently (wasmtime has no timeout unless asked). Those
    // limits are the host's, not the artifact's, so only the calls that
    // finish within every runtime's defaults are compared.
    t.diagnostic('not compared outside: spin() (never returns), allocate/recurse/flood past a limit (each runtime has its own limits)');
    for (const c of [root('ok'), root('allocate', u32(1)), root('recurse', u64(100)), root('flood', u64(3))]) {
      await t.test(`${c.fn}(${c.args.map((a) => a.v).join(', ')})`, (tt) => {
        const outcomes = runEverywhere(project, art, c);
        tt.diagnostic(`\n${describe(outcomes)}`);
        assertSameReturn(c, outcomes);
        // What the guest printed (flood's lines) is the same everywhere.
        for (const runtime of ['wasmtime', 'jco']) {
          assert.equal(outcomes[runtime].stdout, outcomes.patchbay.stdout, `${runtime}'s guest stdout differs`);
        }
      });
    }
    await t.test('fail("boom") traps with the guest\'s panic message', (tt) => {
      const c = root('fail', str('boom'));
      const outcomes = runEverywhere(project, art, c);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertAllTrap(c, outcomes);
      assert.match(outcomes.patchbay.report.stderr, /panicked at .*\nboom\n/);
      assert.match(outcomes.wasmtime.message, /panicked at .*\nboom\n/);
      assert.match(outcomes.jco.stderr, /panicked at .*\nboom\n/);
    });
  });
}
