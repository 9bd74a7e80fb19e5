// A composed binary opened as a graph in the real app: the CLI composes the
// kv-cache-chain fixture (memory → far cache → near cache → service) at
// test time; the app, started on that .wasm, offers to import it, writes
// the project into a new folder beside it (components extracted), opens it;
// a wire is changed by dropping on the wired import, the request runs on
// the recomposed graph, and the saved project composes (CLI) into a binary
// that decomposes to the new wiring. Run with run.sh.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CLI, WAIT_MS, withAppOn } from './lib/app.js';

const run = promisify(execFile);
const TEST_MS = 300_000;
const STORE = 'patchbay:kv/store';
const FIXTURE = path.resolve(import.meta.dirname, '..', 'compose', 'kv-cache-chain');

test('a composed binary opens as a graph, is rewired, recomposed and run', { timeout: TEST_MS }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'patchbay-open-binary-'));
  const wasm = path.join(dir, 'chain.wasm');
  await run(CLI(), ['compose', FIXTURE, '-o', wasm]);

  await withAppOn('open a composed binary', wasm, async (app) => {
    const dialog = app.browser.$('[role="dialog"]');
    await dialog.waitForDisplayed({ timeout: 2 * WAIT_MS });
    assert.match(await dialog.getText(), /Import chain\.wasm as a project/);
    assert.match(await dialog.getText(), /is a component binary, not a project/);
    // The default: a new folder beside the file, named after it.
    const output = app.byTestId('import-output');
    await app.until(async () => (await output.getText()).includes(path.join(dir, 'chain')), 'the project folder');
    await (await app.button('Import and open')).click();

    // The project is written and opens: one node per instance, the cache
    // twice.
    app.project = path.join(dir, 'chain');
    await app.until(() => existsSync(path.join(app.project, 'patchbay.toml')), 'the imported patchbay.toml', 2 * WAIT_MS);
    await app.waitForProject();
    for (const id of ['memory', 'far', 'near', 'service']) {
      assert.ok(await app.node(id).isDisplayed(), `node ${id}`);
    }
    assert.equal(await app.wireCount(), 3);
    assert.ok(await app.wire(`near.${STORE}`, `service.${STORE}`).isExisting());
    const files = (await readdir(path.join(dir, 'chain', 'components'))).sort();
    assert.equal(files.length, 3, `three distinct components extracted: ${files}`);
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems after the import');

    // Rewire: memory feeds the service directly (a drop on the wired import
    // replaces its wire).
    await app.dragWire(await app.handle('memory', 'export', STORE), await app.handle('service', 'import', STORE));
    await app.until(() => app.wire(`memory.${STORE}`, `service.${STORE}`).isExisting(), 'the new wire');
    assert.ok(!(await app.wire(`near.${STORE}`, `service.${STORE}`).isExisting()), 'the old wire is replaced');
    assert.equal(await app.wireCount(), 3);

    // Recomposed and run.
    let lastRun = await app.runCall({ req: 'set a 1' }, { call: 'handle-request("set a 1")' });
    assert.match(await lastRun.getText(), /✓ ok/);
    lastRun = await app.runCall({ req: 'get a' }, { call: 'handle-request("get a")' });
    assert.match(await lastRun.getText(), /✓ ok/);

    // Saved, the project composes with the CLI into a binary whose
    // decomposition has the new wiring.
    await app.browser.keys(['Control', 's']);
    await app.until(
      async () => (await readFile(path.join(dir, 'chain', 'patchbay.toml'), 'utf8')).includes(`from = "memory.${STORE}"\nto = "service.${STORE}"`),
      'the saved wire',
    );
  });

  const again = path.join(dir, 'again.wasm');
  await run(CLI(), ['compose', path.join(dir, 'chain'), '-o', again]);
  await run(CLI(), ['import', again, '-o', path.join(dir, 'again')]);
  const toml = await readFile(path.join(dir, 'again', 'patchbay.toml'), 'utf8');
  assert.match(toml, new RegExp(`from = "memory\\.${STORE.replace('/', '\\/')}"\\nto = "service\\.`));
});
