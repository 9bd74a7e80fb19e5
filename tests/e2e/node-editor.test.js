// The editor as node-editor users expect it, in the real app: starting from
// an empty folder, replacing a wire by dropping on a wired import, splicing
// a node into a wire, the node search (double-click, Tab) and Patchbay's
// own context menu. Run with run.sh.

import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { WAIT_MS, withApp, withAppOn } from './lib/app.js';

const TEST_MS = 300_000;
const STORE = 'patchbay:kv/store';
const KV_WIRE = [`memory.${STORE}`, `service.${STORE}`];

/** A point of the empty canvas (the pane itself is under it), away from
 * nodes, the status line and the corner controls. */
async function emptyPoint(app) {
  return app.until(
    () =>
      app.browser.execute(() => {
        const box = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
        for (let fy = 0.2; fy < 0.85; fy += 0.05) {
          for (let fx = 0.15; fx < 0.8; fx += 0.05) {
            const x = Math.round(box.left + box.width * fx);
            const y = Math.round(box.top + box.height * fy);
            if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
          }
        }
        return null;
      }),
    'an empty spot of the canvas',
  );
}

/** A point of node `id` that is not covered by another node. */
async function visiblePoint(app, id) {
  const node = await app.node(id);
  return app.until(
    () =>
      app.browser.execute((el) => {
        const b = el.getBoundingClientRect();
        for (let fy = 0.05; fy < 1; fy += 0.1) {
          for (let fx = 0.1; fx < 1; fx += 0.1) {
            const x = Math.round(b.left + b.width * fx);
            const y = Math.round(b.top + b.height * fy);
            if (el.contains(document.elementFromPoint(x, y))) return { x, y };
          }
        }
        return null;
      }, node),
    `a visible point of ${id}`,
  );
}

/** Double-clicks the canvas at `at` with real pointer input. */
async function doubleClick(app, at) {
  await app.browser
    .action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ x: at.x, y: at.y, origin: 'viewport', duration: 0 })
    .down({ button: 0 })
    .up({ button: 0 })
    .pause(40)
    .down({ button: 0 })
    .up({ button: 0 })
    .perform();
}

/** Right-clicks `at` with real pointer input. */
async function rightClick(app, at) {
  await app.browser
    .action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ x: at.x, y: at.y, origin: 'viewport', duration: 0 })
    .down({ button: 2 })
    .up({ button: 2 })
    .perform();
}

/** Opens the node search at an empty spot (double-click), types `query`
 * and takes the first result with Enter. */
async function addBySearch(app, query) {
  await doubleClick(app, await emptyPoint(app));
  const input = app.browser.$('input[aria-label="Add a node: search components, samples and fakes"]');
  await input.waitForDisplayed({ timeout: WAIT_MS });
  await input.setValue(query);
  await app.browser.keys('Enter');
  await app.until(async () => !(await input.isExisting()), 'the node search to close');
}

/** Clicks a menu item of the open context menu by its text. */
async function menuItem(app, text) {
  const item = app.browser.$(`//*[@role="menuitem" and starts-with(normalize-space(.), ${JSON.stringify(text)})]`);
  await item.waitForClickable({ timeout: WAIT_MS });
  await item.click();
}

/** Drags node `id` by its header so that its centre lands on `target`. */
async function dragNodeTo(app, id, target) {
  const node = await app.node(id);
  const box = await app.browser.execute((el) => {
    const b = el.getBoundingClientRect();
    return { left: b.left, top: b.top, width: b.width, height: b.height };
  }, node);
  const grab = { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + 14) };
  const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  const drop = { x: Math.round(target.x - (centre.x - grab.x)), y: Math.round(target.y - (centre.y - grab.y)) };
  const steps = 12;
  const move = app.browser
    .action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ x: grab.x, y: grab.y, origin: 'viewport', duration: 0 })
    .down({ button: 0 })
    .pause(50);
  for (let i = 1; i <= steps; i++) {
    move.move({
      x: Math.round(grab.x + ((drop.x - grab.x) * i) / steps),
      y: Math.round(grab.y + ((drop.y - grab.y) * i) / steps),
      origin: 'viewport',
      duration: 30,
    });
  }
  await move.pause(80).up({ button: 0 }).perform();
}

test('an empty folder becomes a project: two components, a wire, a run', { timeout: TEST_MS }, async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'patchbay-new-'));
  await withAppOn('new project from an empty folder', folder, async (app) => {
    // The empty folder is offered for a new project instead of "No such file".
    const alert = app.browser.$('[data-testid="open-error"]');
    await alert.waitForDisplayed({ timeout: 2 * WAIT_MS });
    assert.match(await alert.getText(), /holds no patchbay\.toml/);
    await (await app.button('Create a project here…')).click();
    const name = app.browser.$('input[aria-label="Project name"]');
    await name.waitForDisplayed({ timeout: WAIT_MS });
    await name.setValue('fresh');
    await (await app.button('Create project')).click();
    await app.byTestId('empty-canvas').waitForDisplayed({ timeout: 2 * WAIT_MS });
    const written = await readFile(path.join(folder, 'patchbay.toml'), 'utf8');
    assert.match(written, /name = "fresh"/);
    await app.openTab('Problems');
    await app.until(async () => /nothing to compose yet/.test(await app.problemsText()), 'the note that there is nothing to compose');

    // One component from the empty canvas's sample list, one from the node search.
    await (await app.button('kv-memory', app.region('Sample components'))).click();
    await app.node('kv-memory').waitForDisplayed({ timeout: 2 * WAIT_MS });
    await addBySearch(app, 'kv-service');
    await app.node('kv-service').waitForDisplayed({ timeout: 2 * WAIT_MS });

    await app.dragWire(await app.handle('kv-memory', 'export', STORE), await app.handle('kv-service', 'import', STORE));
    await app.until(() => app.wire(`kv-memory.${STORE}`, `kv-service.${STORE}`).isExisting(), 'the wire');

    // The node menus export handle-request and grant each node's WASI imports.
    await rightClick(app, await visiblePoint(app, 'kv-service'));
    await menuItem(app, 'Export handle-request');
    for (const id of ['kv-service', 'kv-memory']) {
      await rightClick(app, await visiblePoint(app, id));
      await menuItem(app, 'Grant its WASI imports');
    }
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems once wired, exported and granted');

    await app.openTab('Run');
    const lastRun = await app.runCall({ req: 'set greeting hi' }, { call: 'handle-request("set greeting hi")' });
    assert.match(await lastRun.getText(), /✓ ok/);
    assert.equal(await (await lastRun.$('pre[aria-label="Result"]')).getText(), '"ok"');
    // Numbered from 1 in this project.
    assert.equal(await app.lastRunNumber(), 1);

    await app.browser.keys(['Control', 's']);
    await app.until(async () => /\[\[wires\]\]/.test(await readFile(path.join(folder, 'patchbay.toml'), 'utf8')), 'the saved wire');
    const saved = await readFile(path.join(folder, 'patchbay.toml'), 'utf8');
    assert.match(saved, /from = "kv-service\.handle-request"/);
    assert.match(saved, /\[bindings\."kv-service\.wasi:\*"\]/);
  });
});

test('dropping a wire on a wired import replaces the wire, and one undo restores it', { timeout: TEST_MS }, async () => {
  await withApp('replace a wire', async (app) => {
    await addBySearch(app, 'kv-memory');
    const added = 'kv-memory';
    await app.node(added).waitForDisplayed({ timeout: WAIT_MS });
    await app.dragWire(await app.handle(added, 'export', STORE), await app.handle('service', 'import', STORE));
    await app.until(() => app.wire(`${added}.${STORE}`, `service.${STORE}`).isExisting(), 'the new wire');
    assert.ok(!(await app.wire(...KV_WIRE).isExisting()), 'the old wire is gone');
    assert.equal(await app.wireCount(), 1);
    assert.match(await app.statusText(), /Rewired service\.patchbay:kv\/store: kv-memory\.patchbay:kv\/store replaces memory\.patchbay:kv\/store/);
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems after the replacement');

    await app.browser.execute(() => document.activeElement?.blur());
    await app.browser.keys(['Control', 'z']);
    await app.until(() => app.wire(...KV_WIRE).isExisting(), 'the old wire back after one undo');
    assert.equal(await app.wireCount(), 1);
  });
});

test('a node dropped on a wire is spliced into it, and the request still runs', { timeout: TEST_MS }, async () => {
  await withApp('splice a cache', async (app) => {
    await addBySearch(app, 'kv-cache');
    await app.node('kv-cache').waitForDisplayed({ timeout: 2 * WAIT_MS });
    const edge = await app.wire(...KV_WIRE);
    await dragNodeTo(app, 'kv-cache', await app.wireMiddle(edge));
    await app.until(
      async () =>
        (await app.wire(`memory.${STORE}`, `kv-cache.${STORE}`).isExisting()) &&
        (await app.wire(`kv-cache.${STORE}`, `service.${STORE}`).isExisting()),
      'the cache spliced between memory and service',
    );
    assert.ok(!(await app.wire(...KV_WIRE).isExisting()), 'the direct wire is gone');
    assert.match(await app.statusText(), /Spliced kv-cache/);
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems after the splice');
    const lastRun = await app.runCall({ req: 'set a 1' }, { call: 'handle-request("set a 1")' });
    assert.match(await lastRun.getText(), /✓ ok/);
  });
});

test('right-click opens Patchbay’s menu, never the webview’s', { timeout: TEST_MS }, async () => {
  await withApp('context menu', async (app) => {
    // The webview's menu (Reload, Inspect) is kept away outside text fields.
    const prevented = await app.browser.execute(() => {
      const e = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
      return !document.querySelector('header').dispatchEvent(e);
    });
    assert.equal(prevented, true, 'a right-click on the toolbar shows no webview menu');

    await rightClick(app, await app.wireMiddle(await app.wire(...KV_WIRE)));
    await menuItem(app, 'Delete wire');
    await app.until(async () => !(await app.wire(...KV_WIRE).isExisting()), 'the wire deleted from its menu');

    await rightClick(app, await emptyPoint(app));
    const menu = app.browser.$('[role="menu"][aria-label="Canvas"]');
    await menu.waitForDisplayed({ timeout: WAIT_MS });
    assert.match(await menu.getText(), /Add node…/);
    await app.browser.keys('Escape');
    await app.until(async () => !(await menu.isExisting()), 'the menu to close on Escape');

    // Tab at the pointer opens the node search too.
    const at = await emptyPoint(app);
    await app.browser.action('pointer').move({ x: at.x, y: at.y, origin: 'viewport', duration: 0 }).perform();
    await app.browser.execute(() => document.activeElement?.blur());
    await app.browser.keys('Tab');
    const search = app.browser.$('input[aria-label="Add a node: search components, samples and fakes"]');
    await search.waitForDisplayed({ timeout: WAIT_MS });

    // Ctrl+K's sample commands are not cut short.
    await app.browser.keys('Escape');
    await app.browser.keys(['Control', 'k']);
    const cut = await app.until(
      () =>
        app.browser.execute(() => {
          const labels = [...document.querySelectorAll('.pb-palette__label')].filter((l) => /^Open the .* sample$/.test(l.textContent));
          return labels.length ? labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent) : null;
        }),
      'the palette',
    );
    assert.deepEqual(cut, [], 'no sample command is elided');
  });
});
