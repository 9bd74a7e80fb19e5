// End-to-end tests that the editor does not lie (issue 13): a fake is lit
// and accepted only where it can answer, and says why not elsewhere; a
// recovered document with a component added before the crash is analysed
// like any other, and the header and the Problems tab agree with it.
// Run with run.sh.

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { SAMPLES, launchApp } from '../app-driver/index.js';
import { APP, App, WAIT_MS, copyProject, withApp } from './lib/app.js';

const TEST_MS = 300_000;
const STORE = 'patchbay:kv/store';

const squash = (text) => text.replace(/\s+/g, ' ').trim();

test('the Logging fake is not lit on patchbay:kv/store, and a drop there is refused with the functions it cannot answer', { timeout: TEST_MS }, async () => {
  await withApp('logging fake refused on kv store', async (app) => {
    await app.deleteWire(`memory.${STORE}`, `service.${STORE}`);
    for (const fake of ['log', 'kv']) {
      await (await app.button(`Add the ${fake} fake`)).click();
      await app.node(`fake:${fake}`).waitForDisplayed({ timeout: WAIT_MS });
    }
    // Adding a node focuses it; bring the whole graph into view again.
    await app.browser.$('.react-flow__controls-fitview').click();
    const store = await app.handle('service', 'import', STORE);
    const log = await app.handle('fake:log', 'export', 'fake');
    const kv = await app.handle('fake:kv', 'export', 'fake');
    await app.dragWire(store, log, {
      // The backend decides: the kv fake answers get/set/delete/exists and
      // is lit; the Logging fake returns nothing and is not.
      whileDragging: async () => {
        await app.until(async () => (await app.dragMark(kv)) === 'lit', 'the kv fake to be lit');
        assert.notEqual(await app.dragMark(log), 'lit', 'the Logging fake is not lit');
      },
    });
    await app.until(async () => (await app.statusText()).includes('Wire refused'), 'the refusal');
    const status = await app.statusText();
    assert.match(status, /The Logging fake cannot serve `service\.patchbay:kv\/store`/);
    assert.match(status, /`get` returns option<string>/, 'it names the function it cannot answer');
    assert.match(status, /give those functions values/, 'it says what to do');
    // Shown once: no toast repeats it.
    const alerts = await app.browser.$$('.pb-toast');
    assert.equal(alerts.length, 0, 'no toast repeats the refusal');
    // Nothing was bound: the import is still unbound.
    await app.openTab('Problems');
    await app.until(async () => /unbound-import/.test(await app.problemsText()), 'the import to stay unbound');
    assert.doesNotMatch(await app.problemsText(), /fake-mismatch/);

    // The kv fake is accepted where the Logging fake was refused.
    await app.dragWire(store, kv);
    await app.until(async () => (await app.statusText()).includes('mocked by the kv fake'), 'the kv fake to mock the import');
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems with the kv fake');
  });
});

/** The header's problem summary (the toolbar button that opens Problems). */
async function headerSummary(app) {
  return squash(await app.browser.$('button[title="Show the problems"]').getText());
}

/** Launches the app on `project` with its state in `state` and its samples
 * in `samples`, runs `body(app)`, and always ends the app. */
async function withAppState(project, state, samples, body) {
  const launched = await launchApp({ project, app: APP(), env: { PATCHBAY_STATE_DIR: state, PATCHBAY_SAMPLES: samples } });
  const app = new App(launched.browser, project);
  try {
    await body(app);
  } catch (e) {
    await app.screenshot('recovery-with-an-added-component');
    throw e;
  } finally {
    await launched.close();
  }
}

/** What the editor does when a component is added (the sample components
 * are permitted by `sampleComponents`, then `addComponents`) and the
 * document autosaved: a cache put between memory and service. */
async function addCacheAndAutosave(app, cacheFile) {
  return app.browser.session.evaluate(async (file, store) => {
    const invoke = (name, request) => window.__TAURI_INTERNALS__.invoke(name, { request });
    const opened = await invoke('startup', {});
    const doc = opened.doc;
    await invoke('sample_components', {});
    const [view] = await invoke('add_components', { doc, paths: [file] });
    doc.components.push({ id: view.id, path: view.path, build: null, watch: [], hash: view.hash });
    doc.nodes.push({ id: 'cache', component: view.id, x: 180, y: 220 });
    doc.wires = [
      { from: { node: 'memory', port: store }, to: { node: 'cache', port: store } },
      { from: { node: 'cache', port: store }, to: { node: 'service', port: store } },
    ];
    await invoke('save_recovery', { doc });
    return view.id;
  }, cacheFile, STORE);
}

for (const gone of [false, true]) {
  test(`recovery of a project with an added component${gone ? ' whose file is gone offers Locate and Remove' : ' brings it back, analysed'}`, { timeout: TEST_MS }, async () => {
    const project = await copyProject(gone ? 'recover-gone' : 'recover');
    const home = await mkdtemp(path.join(path.dirname(project), 'home-'));
    const state = path.join(home, 'state');
    const samples = path.join(home, 'samples');
    await mkdir(path.join(samples, 'wasm'), { recursive: true });
    const cacheFile = path.join(samples, 'wasm', 'kv-cache.wasm');
    await copyFile(path.join(SAMPLES, 'wasm', 'kv-cache.wasm'), cacheFile);

    await withAppState(project, state, samples, async (app) => {
      await app.waitForProject();
      assert.equal(await addCacheAndAutosave(app, cacheFile), 'kv-cache');
    });
    // The app was closed without saving (as a crash leaves it).
    if (gone) await rm(cacheFile);

    await withAppState(project, state, samples, async (app) => {
      await app.waitForProject();
      await (await app.button('Recover')).click();
      await app.node('cache').waitForDisplayed({ timeout: WAIT_MS });
      await app.openTab('Problems');
      if (!gone) {
        // The cache is a component like the others, wired in, and the
        // header, the Problems tab and the graph agree.
        assert.doesNotMatch(squash(await app.node('cache').getText()), /not in the project/);
        await app.wire(`cache.${STORE}`, `service.${STORE}`).waitForDisplayed({ timeout: WAIT_MS });
        await app.until(async () => (await app.problemsText()).includes('No problems'), 'the recovered graph to compose');
        assert.equal(await headerSummary(app), 'No problems');
        return;
      }
      // The file is gone: the user is told, the header counts the error
      // the Problems tab shows, and Remove fixes it.
      await app.until(async () => /component-missing/.test(await app.problemsText()), 'the missing file as a problem');
      assert.match(await app.statusText(), /kv-cache cannot be opened: locate the file or remove it/);
      assert.match(await headerSummary(app), /^[1-9]\d* errors?/);
      assert.doesNotMatch(await app.problemsText(), /No problems/);
      const panel = app.region('Problems');
      assert.ok(await (await app.button('Locate file…', panel)).isDisplayed());
      await (await app.button('Remove kv-cache', panel)).click();
      await app.until(async () => !(await app.node('cache').isExisting()), 'the cache node to be removed');
      await app.until(async () => !/component-missing/.test(await app.problemsText()), 'the missing file to be fixed');
      // Its wires went with it: service's store is unbound, and the header
      // counts what the Problems tab lists.
      await app.until(async () => /unbound-import/.test(await app.problemsText()), 'the unbound import');
      const errors = /(\d+) errors?/.exec(await app.problemsText())?.[1];
      assert.ok(errors, await app.problemsText());
      assert.match(await headerSummary(app), new RegExp(`^${errors} errors?`));
    });
  });
}
