// End-to-end test of the run panel's live session on the kv-service sample,
// in the real app: successive runs share one instance (set, then get
// answers what was set), the session bar counts them, and Reset starts a
// new instance whose store is empty. Run with run.sh.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './lib/app.js';

const TEST_MS = 240_000;

function runRequest(app, request) {
  return app.runCall({ req: request }, { call: `handle-request(${JSON.stringify(request)})` });
}

async function result(lastRun) {
  return (await lastRun.$('pre[aria-label="Result"]')).getText();
}

/** The session bar's "Calls made" figure. */
async function callsMade(app) {
  const calls = app.region('Run').$('[role="group"][aria-label="Session"] dd[aria-label="Calls made"]');
  return calls.isExisting().then((shown) => (shown ? calls.getText() : null));
}

test('runs share the live session until Reset', { timeout: TEST_MS }, async () => {
  await withApp('live session', async (app) => {
    let lastRun = await runRequest(app, 'set greeting hello');
    assert.equal(await result(lastRun), '"ok"');
    lastRun = await runRequest(app, 'get greeting');
    assert.equal(await result(lastRun), '"hello"', 'the second run sees what the first set');
    await app.until(async () => (await callsMade(app)) === '2', 'the session bar to count 2 calls');
    const memory = await app.region('Run').$('dd[aria-label="Memory in use"]').getText();
    assert.match(memory, /^\d+(\.\d)? (KiB|MiB)$/);

    const session = app.region('Run').$('[role="group"][aria-label="Session"]');
    await (await app.button('Reset', session)).click();
    await app.until(async () => (await session.getText()).includes('the next run starts one'), 'the session to reset');
    lastRun = await runRequest(app, 'get greeting');
    assert.equal(await result(lastRun), '"not found: greeting"', 'a new instance starts empty');
    await app.until(async () => (await callsMade(app)) === '1', 'the new session to count 1 call');
  });
});
