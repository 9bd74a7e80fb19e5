// Fakes and grant scopes sealed into the artifact (projects/sealed-scopes):
// the runner offers more than the project grants (a second variable, the
// real clock and random source), and the artifact's own stubs narrow it
// back, so `patchbay call`, the wasmtime CLI and jco answer alike: only
// GREETING is readable, the clock reads the fixed time, the seeded random
// source draws the numbers Patchbay draws, and the kv fake answers its
// seeded values.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { assertSameReturn, describe, exportAndTranspile, runEverywhere } from './lib/matrix.js';
import { suiteDir } from './lib/tools.js';
import { str } from './lib/values.js';

const project = path.join(suiteDir, 'projects', 'sealed-scopes');
const runner = { env: { GREETING: 'hello from the runner', SECRET: 'not for the guest' } };
const probe = (instance, fn, ...args) => ({ instance, fn, args, returnsResult: fn.startsWith('read-') });
const root = (fn, ...args) => ({ instance: null, fn, args });

test('sealed scopes and fakes answer alike under patchbay call, wasmtime and jco', async (t) => {
  const art = exportAndTranspile(project, 'sealed-scopes', 'sealed');
  // The scoped node's environment filter reads the runner's environment,
  // and no node reaches the runner's random source. (The wall clock stays
  // imported: the granted wasi:filesystem/types uses its `datetime` type.)
  assert.ok(art.imports.includes('wasi:cli/environment@0.2.12'), art.imports.join('\n'));
  assert.ok(!art.imports.includes('wasi:random/random@0.2.12'), `the random source is still imported:\n${art.imports.join('\n')}`);
  const cases = [
    [probe('scoped', 'read-env', str('GREETING')), 'ok("hello from the runner")'],
    [probe('scoped', 'read-env', str('SECRET')), 'err("cannot read env SECRET: environment variable not found")'],
    [probe('scoped', 'now-ms'), '1700000000123'],
    [probe('scoped', 'random-u64'), undefined],
    [probe('faked', 'now-ms'), '0'],
    [probe('faked', 'random-u64'), undefined],
    [root('kv', str('get a')), '"one"'],
    [root('kv', str('get b')), '"not found: b"'],
  ];
  for (const [c, expected] of cases) {
    await t.test(`${c.instance ?? ''}#${c.fn}(${c.args.map((a) => a.v).join(', ')})`, (tt) => {
      const outcomes = runEverywhere(project, art, c, runner);
      tt.diagnostic(`\n${describe(outcomes)}`);
      assertSameReturn(c, outcomes, expected);
    });
  }
});
