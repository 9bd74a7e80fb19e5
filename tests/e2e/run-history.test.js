// End-to-end test of runs with memory on the kv-service sample, in the real
// app: after an edit of the graph the last result is marked stale and the
// typed arguments stay; undoing the edit makes the result current again;
// the run history re-runs an entry, pins it first, and its "Copy command"
// line, run in a shell with the real patchbay CLI, answers what the app
// answered. Run with run.sh.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CLI, withApp } from './lib/app.js';

const run = promisify(execFile);
const TEST_MS = 240_000;
const KV_WIRE = ['memory.patchbay:kv/store', 'service.patchbay:kv/store'];

function runRequest(app, request) {
  return app.runCall({ req: request }, { call: `handle-request(${JSON.stringify(request)})` });
}

async function result(lastRun) {
  return (await lastRun.$('pre[aria-label="Result"]')).getText();
}

/** The history entries' labels ("Run 2", …), top first. */
async function historyRows(app) {
  const items = await app.region('Run history').$$('li');
  return Promise.all(items.map((li) => li.getAttribute('aria-label')));
}

test('a stale result after an edit, arguments kept, history re-run, pin and a working command line', { timeout: TEST_MS }, async () => {
  await withApp('run history', async (app) => {
    let lastRun = await runRequest(app, 'set greeting hello');
    assert.equal(await result(lastRun), '"ok"');
    lastRun = await runRequest(app, 'get greeting');
    assert.equal(await result(lastRun), '"hello"');
    assert.equal(await lastRun.getAttribute('data-stale'), null, 'a fresh result is current');

    // An edit of what runs: the result is marked stale, and says why.
    await app.deleteWire(...KV_WIRE);
    await app.until(async () => (await app.region('Last run').getAttribute('data-stale')) === 'true', 'the result to be marked stale');
    assert.match(await app.region('Last run').getText(), /From before your last edit/);

    // Undo: the composition is the run's again, so is the result; the
    // arguments typed before the edit are still in the form.
    await app.browser.keys(['Control', 'z']);
    await app.until(() => app.wire(...KV_WIRE).isExisting(), 'the wire back after undo');
    await app.until(async () => (await app.region('Last run').getAttribute('data-stale')) === null, 'the result to be current again');
    const req = app.region('Run').$('input[aria-label="req"]');
    await req.waitForDisplayed({ timeout: 30_000 });
    assert.equal(await req.getValue(), 'get greeting', 'the arguments survive the edit and its undo');

    // History: newest first; re-run the first call from its entry.
    assert.deepEqual(await historyRows(app), ['Run 2', 'Run 1']);
    const history = app.region('Run history');
    await (await app.button('Re-run #1', history)).click();
    await app.until(async () => (await app.lastRunNumber()) === 3, 'the re-run to be run #3');
    assert.equal(await result(app.region('Last run')), '"ok"');
    assert.match(await app.region('Last run').getText(), /handle-request\("set greeting hello"\)/);
    assert.deepEqual(await historyRows(app), ['Run 3', 'Run 2', 'Run 1']);

    // Pinned entries come first.
    await (await app.button('Pin #2', history)).click();
    await app.until(async () => (await historyRows(app))[0] === 'Run 2', 'the pinned run first');
    assert.deepEqual(await historyRows(app), ['Run 2', 'Run 3', 'Run 1']);

    // The command line of run 2 (the session's second call), pasted in a
    // shell, runs both calls with the CLI and answers what the app did.
    const copy = await app.button('Copy #2 as a patchbay call command', history);
    const title = await copy.getAttribute('title');
    const line = title.split('\n').at(-1);
    assert.match(line, /^patchbay call --traced /);
    const { stdout } = await run('sh', ['-c', line], {
      env: { ...process.env, PATH: `${path.dirname(CLI())}:${process.env.PATH}` },
    });
    assert.deepEqual(stdout.trim().split('\n'), ['"ok"', '"hello"']);
  });
});
