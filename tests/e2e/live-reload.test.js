// End-to-end tests of live reload in the real app: the file watcher (the
// host's ProjectWatcher, the same one `patchbay watch` uses) runs a
// component's `build` command when its Rust source changes, the node takes
// the rebuilt component and the last call runs again; an edit of
// patchbay.toml made outside the app reaches the canvas, and with unsaved
// changes the app asks which side to keep. Run with run.sh.

import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, SAMPLES } from '../app-driver/index.js';
import { WAIT_MS, withApp, withAppOn } from './lib/app.js';

/** A cold build of kv-service for wasm32-wasip2 took 51 s on an idle
 * 2-core machine (a warm one, 1 s): leave room for a busy one. */
const BUILD_MS = 480_000;
const TEST_MS = BUILD_MS + 240_000;

/**
 * A copy of the kv-service sample that can rebuild kv-service from source:
 * the samples' cargo workspace with only the kv-service crate, `build.sh`,
 * the built components and the WIT, laid out as in the repository. The
 * build goes to a cargo target folder of its own (kept between runs, so
 * later runs are warm), never to the repository's.
 */
async function buildableProject() {
  const root = await mkdtemp(path.join(process.env.PATCHBAY_E2E_WORK ?? tmpdir(), 'live-'));
  const samples = path.join(root, 'samples');
  await cp(path.join(REPO, 'wit'), path.join(root, 'wit'), { recursive: true });
  for (const file of ['Cargo.toml', 'Cargo.lock', 'build.sh']) await cp(path.join(SAMPLES, file), path.join(samples, file));
  await cp(path.join(SAMPLES, 'components', 'kv-service'), path.join(samples, 'components', 'kv-service'), {
    recursive: true,
    filter: (f) => !f.split(path.sep).includes('target'),
  });
  await mkdir(path.join(samples, 'wasm'), { recursive: true });
  for (const c of ['kv-memory', 'kv-service']) await cp(path.join(SAMPLES, 'wasm', `${c}.wasm`), path.join(samples, 'wasm', `${c}.wasm`));
  const project = path.join(samples, 'kv-service');
  await mkdir(project, { recursive: true });
  const target = `${process.env.PATCHBAY_SAMPLES_TARGET ?? path.join(homedir(), '.cache', 'patchbay', 'samples-target')}-e2e`;
  const toml = await readFile(path.join(SAMPLES, 'kv-service', 'patchbay.toml'), 'utf8');
  const build = 'build = "bash ../build.sh kv-service"';
  assert.ok(toml.includes(build), `samples/kv-service/patchbay.toml builds kv-service with ${build}`);
  await writeFile(path.join(project, 'patchbay.toml'), toml.replace(build, `build = "PATCHBAY_SAMPLES_TARGET='${target}' bash ../build.sh kv-service"`));
  return { root, project, source: path.join(samples, 'components', 'kv-service', 'src', 'lib.rs') };
}

/** The result shown under "Last run" ('' while there is none). */
async function resultText(app) {
  const result = await (await app.region('Last run')).$('pre[aria-label="Result"]');
  return (await result.isExisting()) ? (await result.getText()).trim() : '';
}

async function toastTexts(app) {
  const toasts = await app.browser.$$('[role="status"], [role="alert"]');
  const texts = [];
  for (const t of toasts) texts.push((await t.getText()).replace(/\s+/g, ' ').trim());
  return texts;
}

test('a Rust source edit rebuilds the component, updates its node and re-runs the last call', { timeout: TEST_MS }, async () => {
  const { root, project, source } = await buildableProject();
  try {
    await withAppOn('rebuild on a source edit', project, async (app) => {
      await app.waitForProject();
      await app.runCall({ req: 'get a' }, { call: 'handle-request("get a")' });
      assert.equal(await resultText(app), '"not found: a"');
      const runs = await app.lastRunNumber();

      // The edit a person makes in their editor: a new reply text.
      const rust = await readFile(source, 'utf8');
      assert.ok(rust.includes('format!("not found: {key}")'), 'kv-service replies "not found: KEY"');
      await writeFile(source, rust.replace('format!("not found: {key}")', 'format!("missing: {key}")'));
      const edited = Date.now();

      // The build starts, shows in the status line and the Output panel,
      // and ends with its output there.
      // (A warm build takes a second: the status may already say what it
      // reloaded when it is first read.)
      await app.until(async () => /Building `kv-service`|Built `kv-service`|kv-service\.wasm changed on disk/.test(await app.statusText()), 'the build of kv-service to start');
      await app.until(async () => /Built `kv-service` in/.test(await app.statusText()) || (await app.statusText()).includes('changed on disk'), 'the build of kv-service to finish', BUILD_MS);
      await app.openTab('Output');
      let shown = '';
      try {
        await app.until(async () => {
          shown = await (await app.region('Output')).getText();
          return /✓ built/.test(shown) && shown.includes('build output of kv-service') && shown.includes('Compiling kv-service');
        }, 'the finished build in the Output panel');
      } catch (e) {
        e.message += `\nthe Output panel shows: ${shown}\nthe status line: ${await app.statusText()}`;
        throw e;
      }

      // The node takes the rebuilt component, and the last call runs again
      // on its own, with the new reply.
      await app.until(async () => (await app.lastRunNumber()) > runs && (await resultText(app)) === '"missing: a"', 'the re-run with the rebuilt kv-service', 60_000);
      console.log(`# from the edit to the re-run's new result: ${((Date.now() - edited) / 1000).toFixed(1)} s`);
      assert.ok(await app.node('service').isDisplayed(), 'the service node is still on the canvas');
      await app.openTab('Problems');
      await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems with the rebuilt kv-service');
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('an outside edit of patchbay.toml reloads the canvas, and asks first when there are unsaved changes', { timeout: 240_000 }, async () => {
  await withApp('reload on a project file edit', async (app) => {
    const file = path.join(app.project, 'patchbay.toml');
    const original = await readFile(file, 'utf8');
    const withNode = (id, y) => `${original}\n[nodes.${id}]\ncomponent = "kv-memory"\nposition = { x = 0.0, y = ${y}.0 }\n`;

    // A clean editor: the document is replaced, and a toast says so.
    await writeFile(file, withNode('spare', 300));
    await app.until(() => app.node('spare').isDisplayed(), 'the node added in patchbay.toml on the canvas');
    await app.until(async () => (await toastTexts(app)).some((t) => t.includes('patchbay.toml changed on disk; reloaded')), 'the reload toast');
    assert.equal(await app.wireCount(), 1);

    // Unsaved changes: the app asks, and Reload from disk takes the file.
    await app.deleteWire('memory.patchbay:kv/store', 'service.patchbay:kv/store');
    await writeFile(file, withNode('other', 450));
    const dialog = await app.browser.$('[role="alertdialog"]');
    await app.until(async () => (await dialog.isExisting()) && (await dialog.getText()).includes('patchbay.toml changed on disk'), 'the choice between the file and the editor');
    assert.equal(await app.wireCount(), 0, 'nothing changed before the choice');
    await (await app.button('Reload from disk', dialog)).click();
    await app.until(() => app.node('other').isDisplayed(), 'the file’s new node');
    await app.until(async () => (await app.wireCount()) === 1, 'the file’s wire back on the canvas');
    assert.ok(!(await app.node('spare').isExisting()), 'the node the file no longer has is gone');
  });
});
