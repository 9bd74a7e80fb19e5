// End-to-end tests of the Patchbay desktop app on the kv-service sample:
// the real app (Tauri + WebKitGTK) with the real Rust core behind it,
// driven with WebDriver pointer and keyboard input. Run with run.sh.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CLI, WAIT_MS, copyProject, withApp, withAppOn } from './lib/app.js';

const run = promisify(execFile);
const TEST_MS = 240_000;

const STORE = 'patchbay:kv/store';
const KV_WIRE = [`memory.${STORE}`, `service.${STORE}`];

/** The refusal the Rust checker gives for a wire, from `patchbay check --json`
 * on a copy of the project that has that wire: the oracle for what the UI
 * must show when the same wire is dropped. */
async function checkerReason(from, to) {
  const project = await copyProject('oracle');
  const file = path.join(project, 'patchbay.toml');
  const toml = await readFile(file, 'utf8');
  await writeFile(file, `${toml}\n[[wires]]\nfrom = "${from}"\nto = "${to}"\n`);
  let out;
  try {
    ({ stdout: out } = await run(CLI(), ['check', project, '--json']));
  } catch (e) {
    out = e.stdout; // check exits 1 when it finds errors
  }
  const problem = JSON.parse(out).problems.find((p) => p.location.kind === 'wire' && p.location.to === to);
  assert.ok(problem, `patchbay check reports no problem on the wire ${from} -> ${to}:\n${out}`);
  return problem.message;
}

/** Text with runs of white space (wrapped lines) made one space. */
const squash = (text) => text.replace(/\s+/g, ' ').trim();

/** Types the request into the run form's `req` field (the string input the
 * panel generates from `handle-request: func(req: string)`), clicks Run,
 * and returns the "Last run" region once this run is shown in it. */
function runRequest(app, request) {
  return app.runCall({ req: request }, { call: `handle-request(${JSON.stringify(request)})` });
}

test('kv-service opens from the command line; a removed wire is redrawn by dragging', { timeout: TEST_MS }, async () => {
  await withApp('redraw the kv wire', async (app) => {
    assert.ok(await app.node('memory').isDisplayed(), 'node memory is visible');
    assert.ok(await app.node('service').isDisplayed(), 'node service is visible');
    assert.equal(await app.wireCount(), 1, 'one wire');
    assert.ok(await app.wire(...KV_WIRE).isDisplayed(), 'the wire memory -> service is visible');
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems at first');

    await app.deleteWire(...KV_WIRE);
    assert.equal(await app.wireCount(), 0);
    await app.openTab('Problems');
    await app.until(
      async () => /unbound-import/.test(await app.problemsText()) && (await app.problemsText()).includes(STORE),
      'the problems panel to report the unwired import',
    );
    const problems = await app.problemsText();
    assert.match(problems, /1 error/);
    assert.match(problems, /import `patchbay:kv\/store` of node `service` is not wired/);

    const from = await app.handle('memory', 'export', STORE);
    const to = await app.handle('service', 'import', STORE);
    await app.dragWire(from, to);
    await app.until(() => app.wire(...KV_WIRE).isExisting(), 'the redrawn wire');
    assert.equal(await app.wireCount(), 1, 'exactly one wire again');
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems after rewiring');
    assert.match(await app.statusText(), /Wired memory\.patchbay:kv\/store → service\.patchbay:kv\/store/);
  });
});

test(
  'while a wire is dragged, the checker’s candidates are lit and the rest dimmed',
  { timeout: TEST_MS },
  async () => {
    await withApp('candidates are lit', async (app) => {
      await app.deleteWire(...KV_WIRE);
      const from = await app.handle('memory', 'export', STORE);
      const to = await app.handle('service', 'import', STORE);
      const other = await app.handle('service', 'import', 'wasi:cli/environment@0.2.6');
      await app.dragWire(from, to, {
        whileDragging: async () => {
          assert.equal(await app.dragMark(from), 'origin');
          assert.equal(await app.dragMark(to), 'lit', 'the one compatible import is lit');
          assert.equal(await app.dragMark(other), 'dim', 'an incompatible import is dimmed');
        },
      });
      await app.until(() => app.wire(...KV_WIRE).isExisting(), 'the wire');
    });
  },
);

test('an incompatible drop is refused with the checker’s reason', { timeout: TEST_MS }, async () => {
  const target = 'wasi:cli/environment@0.2.6';
  const reason = squash(await checkerReason(`memory.${STORE}`, `service.${target}`));
  await withApp('refuse an incompatible wire', async (app) => {
    const from = await app.handle('memory', 'export', STORE);
    const to = await app.handle('service', 'import', target);
    await app.dragWire(from, to, {
      // While the wire is dragged the checker's candidates are shown: the
      // WASI import is dimmed, not lit.
      whileDragging: async () => {
        assert.equal(await app.dragMark(from), 'origin');
        assert.equal(await app.dragMark(to), 'dim');
      },
    });
    await app.until(async () => (await app.statusText()).includes('Wire refused'), 'the refusal in the status line');
    const status = await app.statusText();
    assert.ok(status.includes(reason), `the status line shows the checker's reason\n  status: ${status}\n  reason: ${reason}`);
    // Shown once: no toast repeats the status line.
    assert.equal((await app.browser.$$('.pb-toast')).length, 0, 'no toast repeats the refusal');
    assert.equal(await app.wireCount(), 1, 'no wire was added');
    assert.ok(!(await app.wire(`memory.${STORE}`, `service.${target}`).isExisting()));
    assert.match(await app.problemsText(), /No problems/);
  });
});

test('handle-request runs from the run panel', { timeout: TEST_MS }, async () => {
  await withApp('run handle-request', async (app) => {
    // With "Fresh instance per call" on (runs share one instance otherwise:
    // session.test.js).
    await app.openTab('Run');
    await app.region('Run').$('input[role="switch"]').click();
    let lastRun = await runRequest(app, 'set greeting hello');
    let text = await lastRun.getText();
    assert.match(text, /✓ ok/);
    assert.equal(await (await lastRun.$('pre[aria-label="Result"]')).getText(), '"ok"');

    // Every run gets a fresh instance (and so a fresh in-memory store): the
    // value set by the previous run is gone.
    lastRun = await runRequest(app, 'get greeting');
    text = await lastRun.getText();
    assert.match(text, /✓ ok/);
    assert.equal(await (await lastRun.$('pre[aria-label="Result"]')).getText(), '"not found: greeting"');
  });
});

test('a denied import fails the run and names the interface', { timeout: TEST_MS }, async () => {
  await withApp('deny the kv store', async (app) => {
    await app.deleteWire(...KV_WIRE);
    // Select the import on the canvas, then choose Deny in the Binding panel.
    const label = await app.browser.$(`button[aria-label="Import ${STORE} of service"]`);
    await label.click();
    await app.openTab('Binding');
    const panel = await app.region('Capability');
    await app.until(async () => (await panel.getText()).includes(STORE), 'the binding of service.patchbay:kv/store');
    const deny = await panel.$('//button[@role="radio" and normalize-space(.)="Deny"]');
    await deny.click();
    await app.until(async () => (await deny.getAttribute('aria-checked')) === 'true', 'Deny to be chosen');
    const badge = await app.byTestId(`badge-service-${STORE}`);
    await app.until(async () => (await badge.getText()).trim() === 'deny', 'the deny badge on the port');
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'the graph to compose again');

    const lastRun = await runRequest(app, 'set greeting hello');
    const failure = await lastRun.$('[role="alert"]');
    await failure.waitForDisplayed({ timeout: WAIT_MS });
    const failureText = await failure.getText();
    assert.match(failureText, /denied/);
    assert.ok(failureText.includes(STORE), `the failure names ${STORE}: ${failureText}`);
    const denial = await lastRun.$(`.//li[contains(., "${STORE}#set")]`);
    await denial.waitForDisplayed({ timeout: WAIT_MS });
    const denialText = await denial.getText();
    assert.ok(denialText.includes(`${STORE}#set`), `the denial names ${STORE}#set: ${denialText}`);
    assert.match(denialText, /service/);
    const { hex } = (await denial.getCSSProperty('color')).parsed;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    assert.ok(r > 150 && g < 120 && b < 120, `the denial is red: ${hex}`);
  });
});

test('export writes a valid component and its recipe, after showing the attack surface', { timeout: TEST_MS }, async () => {
  await withApp('export the composition', async (app) => {
    await app.browser.keys(['Control', 'e']);
    const dialog = await app.browser.$('[role="dialog"][aria-modal="true"]');
    await dialog.waitForDisplayed({ timeout: WAIT_MS });
    await app.until(async () => (await dialog.getText()).includes('Attack surface'), 'the export preview');
    const names = await dialog.$$('.//section[h3[normalize-space(.)="Attack surface"]]//li/code').map((c) => c.getText());
    assert.ok(names.includes('wasi:cli/stdout@0.2.6'), `the surface lists the remaining imports: ${names}`);
    assert.ok(names.every((n) => n.startsWith('wasi:')), `only WASI imports remain (the kv store is wired): ${names}`);
    // The project grants the environment with no variable named, so the
    // sealed artifact answers an empty one itself and does not import it.
    assert.ok(!names.includes('wasi:cli/environment@0.2.6'), `the environment is sealed in: ${names}`);
    assert.ok(!names.includes(STORE));
    const outDir = path.join(app.project, 'out');
    assert.ok((await dialog.getText()).includes(outDir), `the default folder is ${outDir}`);

    await (await app.button('Export', dialog)).click();
    const written = await dialog.$('.//section[h3[normalize-space(.)="Written"]]');
    await written.waitForDisplayed({ timeout: 60_000 });
    const paths = (await written.$$('li code').map((c) => c.getText())).map((p) => p.trim());
    const wasm = paths.find((p) => p.endsWith('.wasm'));
    const wac = paths.find((p) => p.endsWith('.wac'));
    assert.ok(wasm && wac, `written: ${paths}`);
    assert.equal(path.dirname(wasm), outDir);
    assert.ok((await stat(wasm)).size > 0);
    await access(wac);
    assert.match(await readFile(wac, 'utf8'), /service/);
    await validate(wasm);
  });
});

/** Validates a component with `wasm-tools validate` when it is installed,
 * else by decoding it with the built CLI (`patchbay inspect`). */
async function validate(wasm) {
  try {
    await run('wasm-tools', ['validate', '--features', 'component-model', wasm]);
    return;
  } catch (e) {
    if (e.code !== 'ENOENT') throw new Error(`wasm-tools validate ${wasm} failed:\n${e.stderr}`);
  }
  const { stdout } = await run(CLI(), ['inspect', wasm]);
  assert.match(stdout, /export handle-request: func\(req: string\) -> string;/);
}

test('a project on the command line that does not open says why on the empty state', { timeout: TEST_MS }, async () => {
  const project = await copyProject('broken-toml');
  const manifest = path.join(project, 'patchbay.toml');
  const original = await readFile(manifest, 'utf8');
  await writeFile(manifest, 'version = 1\nname = "broken"\n[nodes.memory\n');
  await withAppOn('a broken project says why', project, async (app) => {
    const failure = await app.byTestId('open-error');
    await failure.waitForDisplayed({ timeout: WAIT_MS });
    await app.until(async () => (await failure.getText()).includes(`${manifest}:3:`), 'the file, line and column');
    assert.ok(squash(await failure.getText()).startsWith(`Cannot open ${project}`), await failure.getText());
    // Fixed on disk, the project opens with Try again, and the error goes.
    await writeFile(manifest, original);
    await (await app.button('Try again')).click();
    await app.waitForProject();
    assert.ok(!(await app.byTestId('open-error').isExisting()), 'the error is gone once the project opens');
  });
});
