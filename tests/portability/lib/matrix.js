// The comparison every sample's test goes through: export the project sealed
// and open, check each artifact's imports against `wasm-tools component
// wit`, transpile it with jco, then run a call under `patchbay call`,
// `wasmtime run --invoke` and jco and compare the outcomes.
//
// Fresh instance per call everywhere: `patchbay call` and `wasmtime run
// --invoke` instantiate once per process, and jcoCall runs each call in its
// own node process (jco would otherwise keep one instance across calls, so
// state such as kv-service's store would carry over; kv-service.test.js
// shows that difference on purpose).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  exportProject, jcoCall, jcoTranspile, patchbayCall, repo, waveCall, wasmtimeInvoke, witImports, work,
} from './tools.js';

/** The project folder of a sample. */
export const sample = (name) => path.join(repo, 'samples', name);

/**
 * Exports PROJECT in MODE ('sealed' or 'open') into the work folder under
 * LABEL, checks that `wasm-tools component wit` lists the imports `patchbay
 * export` said the artifact has, and transpiles it with jco.
 */
export function exportAndTranspile(project, label, mode) {
  const dir = path.join(work(), `${label}-${mode}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const art = exportProject(project, dir, { open: mode === 'open' });
  const fromWit = witImports(art.wasm);
  assert.deepEqual([...fromWit].sort(), [...art.imports].sort(),
    `${label} ${mode}: the imports \`patchbay export\` lists differ from \`wasm-tools component wit ${art.wasm}\``);
  art.js = jcoTranspile(art.wasm, path.join(dir, 'jco'));
  art.mode = mode;
  return art;
}

/** Runs call C on the project and on the artifact under wasmtime and jco. */
export function runEverywhere(project, art, c, runner = {}) {
  return {
    patchbay: patchbayCall(project, c, runner.env),
    wasmtime: wasmtimeInvoke(art.wasm, c, runner),
    jco: jcoCall(art.js, c, runner),
  };
}

// A trap's first line and the lines that say what trapped (a deny stub's
// function name, the trap itself, a guest panic).
function trapSummary(message) {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.slice(1).filter((l) => /denied|mock:|wasm trap|unreachable|panicked/.test(l));
  return [lines[0], ...[...new Set(telling)].slice(0, 2)].join(' | ');
}
const show = (o) => (o.kind === 'returned' ? `returned ${o.wave}` : `trapped: ${trapSummary(o.message)}`);

/** A readable line per runtime, for the test's output and failure messages. */
export function describe(outcomes) {
  return Object.entries(outcomes).map(([k, o]) => `  ${k.padEnd(8)} ${show(o)}`).join('\n');
}

/** Every runtime returned WAVE text EXPECTED (when given), and all the same. */
export function assertSameReturn(c, outcomes, expected) {
  const label = `${waveCall(c, '#')}\n${describe(outcomes)}`;
  for (const [runtime, o] of Object.entries(outcomes)) {
    assert.equal(o.kind, 'returned', `${runtime} did not return: ${label}`);
  }
  const want = expected ?? outcomes.patchbay.wave;
  for (const [runtime, o] of Object.entries(outcomes)) {
    assert.equal(o.wave, want, `${runtime} answered differently: ${label}`);
  }
}

/** Every runtime trapped; each outside runtime's message contains every string in NAMES. */
export function assertAllTrap(c, outcomes, names = []) {
  const label = `${waveCall(c, '#')}\n${describe(outcomes)}`;
  for (const [runtime, o] of Object.entries(outcomes)) {
    assert.equal(o.kind, 'trapped', `${runtime} did not trap: ${label}`);
  }
  for (const runtime of ['wasmtime', 'jco']) {
    for (const name of names) {
      assert.ok(outcomes[runtime].message.includes(name), `${runtime}'s trap does not name \`${name}\`: ${label}`);
    }
  }
}
