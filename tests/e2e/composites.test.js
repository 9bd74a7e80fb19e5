// End-to-end test of composite nodes in the real app, on kv-service: select
// both nodes, Group (Ctrl+G, a name), one composite node shows with its
// marker; double-click enters it (its two nodes and their wire, the
// breadcrumb), the breadcrumb leads out; the request answers as before
// grouping; the saved patchbay.toml holds the composite; Ungroup
// (Ctrl+Shift+G) brings the two nodes back and the saved file has no
// composite. With PATCHBAY_E2E_SHOTS set to a folder, it keeps a screenshot
// of the composite node and one of the inside. Run with run.sh.

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
    await keys(app, ['Control', 'a']);
    await keys(app, ['Control', 'g']);
    const dialog = await app.browser.$('[role="dialog"][aria-modal="true"]');
    await dialog.waitForDisplayed({ timeout: WAIT_MS });
    assert.match(await dialog.getText(), /Group 2 nodes/);
    const name = await dialog.$('input[aria-label="Composite name"]');
    await name.clearValue();
    await name.setValue('stage');
    await (await app.button('Group', dialog)).click();
    await app.node('stage').waitForDisplayed({ timeout: 2 * WAIT_MS });
    await app.until(async () => !(await app.node('memory').isExisting()) && !(await app.node('service').isExisting()), 'one node in place of two');
    const stage = await app.node('stage');
    assert.match((await stage.getText()).replace(/\s+/g, ' '), /composite · stage · 2 nodes/);
    assert.match(await stage.getAttribute('class'), /pb-node--composite/);
    await app.handle('stage', 'export', 'handle-request').waitForExist({ timeout: 2 * WAIT_MS });
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
    await shot(app, 'composite-inside');
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
