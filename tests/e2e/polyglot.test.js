// End-to-end test of the polyglot order pipeline in the real app: the
// validator is Python (componentize-py), the tax calculator JavaScript
// (componentize-js), the invoice formatter and the order service Rust. An
// order typed as WAVE in the Run panel answers exactly what the all-Rust
// pipeline answers (`patchbay call` on samples/order-pipeline, the oracle),
// and the Trace tab shows the order service's calls across the wires into
// the Python, JavaScript and Rust nodes. Run with run.sh.
//
// The first analysis compiles about 30 MB of components (CPython and
// SpiderMonkey inside), so this test waits longer than the others.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CLI, WAIT_MS, copyProject, withAppOn } from './lib/app.js';
import { SAMPLES } from '../app-driver/index.js';

const run = promisify(execFile);
const COMPILE_MS = 8 * 60_000;
const TEST_MS = 20 * 60_000;

const ORDER =
  '{id: "o-1", customer: "acme", region: eu, items: [{sku: "a", quantity: 2, unit-price-cents: 1000}, {sku: "b", quantity: 1, unit-price-cents: 250}], coupon: none}';

/** The all-Rust pipeline's answer to `call`, from the CLI. */
async function rustAnswer(call) {
  const { stdout } = await run(CLI(), ['call', path.join(SAMPLES, 'order-pipeline'), call], { maxBuffer: 1 << 20 });
  return stdout.trim();
}

/** The Trace tab's rows as `caller → callee function` lines. */
async function traceRows(app) {
  const rows = await app.region('Trace').$$('tr.pbp-trace-row');
  const out = [];
  for (const row of rows) {
    const cells = await row.$$('td');
    const ends = (await cells[0].getText()).replace(/\s+/g, ' ').trim();
    const call = (await cells[1].getText()).replace(/\s+/g, ' ').trim();
    out.push(`${ends} ${call}`);
  }
  return out;
}

test('the polyglot order pipeline runs in the app, traced across Python, JavaScript and Rust', { timeout: TEST_MS }, async () => {
  const call = `process-order(${ORDER})`;
  const expected = await rustAnswer(call);
  assert.match(expected, /^ok\(/, 'the Rust pipeline accepts the order');

  const project = await copyProject('polyglot pipeline', 'order-pipeline-polyglot');
  await withAppOn('polyglot pipeline', project, async (app) => {
    await app.waitForProject(COMPILE_MS);
    await app.openTab('Run');
    const panel = app.region('Run');
    const wave = panel.$('[role="radiogroup"][aria-label="Argument input"] button[role="radio"]:last-child');
    await wave.waitForClickable({ timeout: WAIT_MS });
    assert.equal((await wave.getText()).trim(), 'WAVE');
    await wave.click();
    const args = panel.$('textarea[aria-label="Arguments as WAVE"]');
    await args.waitForDisplayed({ timeout: WAIT_MS });
    await args.click();
    await args.clearValue();
    await args.setValue(ORDER);
    const callText = panel.$('output[aria-label="Call text"]');
    await app.until(async () => (await callText.getText()).replace(/\s+/g, '') === call.replace(/\s+/g, ''), 'the call text to read the order');

    const before = await app.lastRunNumber();
    const button = await app.button('Run', panel);
    await app.until(() => button.isEnabled(), 'the Run button to be enabled');
    await button.click();
    await app.until(async () => (await app.lastRunNumber()) > before, 'the order to be processed', COMPILE_MS);
    const result = (await app.region('Last run').$('pre[aria-label="Result"]').getText()).trim();
    assert.equal(result.replace(/\s+/g, ' '), expected.replace(/\s+/g, ' '), 'the polyglot pipeline answers as the Rust one');

    await app.openTab('Trace');
    const rows = await app.until(async () => {
      const r = await traceRows(app);
      return r.length > 0 ? r : null;
    }, 'the trace of the run');
    const into = (node) => rows.filter((r) => r.startsWith(`orders → ${node} `));
    assert.ok(into('validator').length > 0, `a call into the Python validator: ${rows.join('\n')}`);
    assert.ok(into('tax').length > 0, `a call into the JavaScript tax calculator: ${rows.join('\n')}`);
    assert.ok(into('invoice').length > 0, `a call into the Rust invoice formatter: ${rows.join('\n')}`);
  });
});
