// End-to-end test of composite nodes in the real app, on kv-service: select
// both nodes, Group (Ctrl+G, a name), one composite node shows with its
// marker; double-click enters it (its two nodes and their wire, the
// breadcrumb and the composite's ports in a bar above the graph that covers
// no node, the inner imports' binding badges), the breadcrumb leads out; the
// request answers as before grouping; the saved patchbay.toml holds the
// composite; Ungroup (Ctrl+Shift+G) brings the two nodes back and the saved
// file has no composite. With PATCHBAY_E2E_SHOTS set to a folder, it keeps
// screenshots of the composite node and of the inside (imports folded and
// listed). Run with run.sh.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { WAIT_MS, withApp } from './lib/app.js';

const TEST_MS = 300_000;
const STORE = 'patchbay:kv/store';

async function shot(app, name) {
  const dir = process.env.PATCHBAY_E2E_SHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await app.browser.saveScreenshot(path.join(dir, `${name}.png`));
}

/** Presses keys with the focus on no text field. */
async function keys(app, pressed) {
  await app.browser.execute(() => document.activeElement?.blur());
  await app.browser.keys(pressed);
}

async function doubleClick(app, element) {
  const at = await app.centre(element);
  await app.browser
    .action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ x: Math.round(at.x), y: Math.round(at.y), origin: 'viewport', duration: 0 })
    .down({ button: 0 })
    .up({ button: 0 })
    .pause(40)
    .down({ button: 0 })
    .up({ button: 0 })
    .perform();
}

/** Where the inner nodes are against the bar inside a composite: each
 * node's box, whether it meets the bar's, and whether its title is what a
 * person sees at its place (nothing drawn over it). */
async function insideLayout(app) {
  return app.browser.execute(() => {
    const bar = document.querySelector('[data-testid="inside-bar"]')?.getBoundingClientRect() ?? null;
    const meets = (a, b) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
    return {
      bar: bar && { top: bar.top, bottom: bar.bottom, height: bar.height },
      nodes: [...document.querySelectorAll('.react-flow__node')].map((n) => {
        const box = n.getBoundingClientRect();
        const title = n.querySelector('.pb-node__title');
        const t = title.getBoundingClientRect();
        const seen = document.elementFromPoint(t.left + Math.min(t.width / 2, 24), t.top + t.height / 2);
        return { id: n.getAttribute('data-id'), top: box.top, meetsBar: !!bar && meets(box, bar), titleSeen: !!seen && title.contains(seen) };
      }),
    };
  });
}

/** Every node's title is seen and no node meets the bar. */
function assertClear(layout, what) {
  assert.ok(layout.bar && layout.bar.height > 0, `the bar shows (${what})`);
  assert.equal(layout.nodes.length, 2, `two inner nodes (${what}): ${JSON.stringify(layout)}`);
  for (const n of layout.nodes) {
    assert.equal(n.meetsBar, false, `${n.id} is clear of the bar (${what}): ${JSON.stringify(layout)}`);
    assert.equal(n.titleSeen, true, `${n.id}'s title is not covered (${what}): ${JSON.stringify(layout)}`);
  }
}

/** Selects every node and groups them as `name` (Ctrl+A, Ctrl+G). */
async function groupAll(app, name, count) {
  await keys(app, ['Control', 'a']);
  await keys(app, ['Control', 'g']);
  const dialog = await app.browser.$('[role="dialog"][aria-modal="true"]');
  await dialog.waitForDisplayed({ timeout: WAIT_MS });
  assert.match(await dialog.getText(), new RegExp(`Group ${count} nodes`));
  const input = await dialog.$('input[aria-label="Composite name"]');
  await input.clearValue();
  await input.setValue(name);
  await (await app.button('Group', dialog)).click();
  await app.node(name).waitForDisplayed({ timeout: 2 * WAIT_MS });
  await app.handle(name, 'export', 'handle-request').waitForExist({ timeout: 2 * WAIT_MS });
  return app.node(name);
}

async function setA(app) {
  const lastRun = await app.runCall({ req: 'set a 1' }, { call: 'handle-request("set a 1")' });
  assert.match(await lastRun.getText(), /✓ ok/);
  return (await (await lastRun.$('pre[aria-label="Result"]')).getText()).trim();
}

/** Saves (Ctrl+S) and returns patchbay.toml once `saved(text)` holds. */
async function save(app, saved, what) {
  await keys(app, ['Control', 's']);
  const file = path.join(app.project, 'patchbay.toml');
  return app.until(async () => {
    const text = await readFile(file, 'utf8');
    return saved(text) ? text : null;
  }, what);
}

test('group two nodes into a composite, enter it, run, save, ungroup', { timeout: TEST_MS }, async () => {
  await withApp('composites group enter ungroup', async (app) => {
    const before = await setA(app);

    // Group both nodes.
    const stage = await groupAll(app, 'stage', 2);
    await app.until(async () => !(await app.node('memory').isExisting()) && !(await app.node('service').isExisting()), 'one node in place of two');
    assert.match((await stage.getText()).replace(/\s+/g, ' '), /composite · stage · 2 nodes/);
    assert.match(await stage.getAttribute('class'), /pb-node--composite/);
    await app.openTab('Problems');
    await app.until(async () => (await app.problemsText()).includes('No problems'), 'no problems once grouped', 2 * WAIT_MS);
    await shot(app, 'composite-node');

    // Enter it: its two nodes and their wire, and the way back.
    await doubleClick(app, stage);
    const crumb = await app.byTestId('breadcrumb');
    await crumb.waitForDisplayed({ timeout: WAIT_MS });
    assert.match((await crumb.getText()).replace(/\s+/g, ' '), /kv-service\s*›\s*stage/);
    await app.node('memory').waitForDisplayed({ timeout: WAIT_MS });
    await app.node('service').waitForDisplayed({ timeout: WAIT_MS });
    await app.wire(`memory.${STORE}`, `service.${STORE}`).waitForExist({ timeout: WAIT_MS });
    // The bar above the graph covers no node: every title is readable,
    // with the imports folded and with their list open.
    await app.until(async () => (await insideLayout(app)).nodes.length === 2, 'the inner nodes laid out');
    assertClear(await insideLayout(app), 'imports folded');
    // The inner imports the top level's `*.wasi:*` grant binds show its
    // badge, as at the top level; the wired one shows none.
    const badges = () => app.browser.$$('[data-testid^="badge-service-wasi:"]');
    await app.until(async () => (await badges()).length > 0, 'the inner imports\' badges');
    for (const b of await badges()) assert.equal((await b.getText()).trim(), 'grant');
    assert.equal(await app.byTestId(`badge-service-${STORE}`).isExisting(), false, 'no badge on the wired import');
    await shot(app, 'composite-inside');
    const count = await app.browser.$('//button[contains(normalize-space(.), "ports in")]');
    await count.click();
    const list = await app.browser.$('ul[aria-label="Imports of composite stage"]');
    await list.waitForDisplayed({ timeout: WAIT_MS });
    assert.ok((await list.$$('li')).length > 0, 'the composite has imports');
    await app.until(async () => {
      const l = await insideLayout(app);
      return l.bar.height > 60 && l.nodes.every((n) => n.top >= l.bar.bottom);
    }, 'the graph below the opened list');
    assertClear(await insideLayout(app), 'imports listed');
    await shot(app, 'composite-inside-imports');
    await count.click();
    await (await app.button('kv-service', crumb)).click();
    await app.node('stage').waitForDisplayed({ timeout: WAIT_MS });
    assert.equal(await crumb.isExisting(), false, 'no breadcrumb at the top level');

    // The same answer as before grouping, and the file holds the composite.
    assert.equal(await setA(app), before);
    const grouped = await save(app, (t) => t.includes('composite = "stage"'), 'the saved composite');
    assert.match(grouped, /^\[composites\.stage\.nodes\.memory\]/m);
    assert.match(grouped, /composite = "stage"/);

    // Ungroup: the two nodes come back, the definition goes.
    await app.node('stage').click();
    await keys(app, ['Control', 'Shift', 'g']);
    await app.node('memory').waitForDisplayed({ timeout: 2 * WAIT_MS });
    await app.node('service').waitForDisplayed({ timeout: WAIT_MS });
    assert.equal(await app.node('stage').isExisting(), false);
    assert.equal(await setA(app), before);
    const ungrouped = await save(app, (t) => !t.includes('composite'), 'the saved file without the composite');
    assert.doesNotMatch(ungrouped, /composites/);
    assert.match(ungrouped, /^\[nodes\.memory\]/m);
  });
});

