// End-to-end test of a granted wasi:keyvalue store in the real app, on a
// copy of the std-interfaces sample (built with wasmCloud's SDK) in a
// temporary folder: a value put through the Run panel is in the grant's
// database file (data/kv.redb beside the copy), so after the app is closed
// and started again a get answers it; a bucket the grant does not list is
// refused and the output panel reports it as blocked for the node. Run
// with run.sh.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { WAIT_MS, copyProject, withAppOn } from './lib/app.js';

const TEST_MS = 300_000;

/** Picks `fn` in the Run panel, fills its string parameters and runs it;
 * returns the result text. */
async function call(app, fn, fields) {
  await app.openTab('Run');
  const panel = app.region('Run');
  const select = panel.$('select.pbp-select');
  await select.waitForDisplayed({ timeout: WAIT_MS });
  // Pick the function as a person would, by the select's change event
  // (which React reads), then wait for the form to follow.
  await app.browser.execute(
    (el, value) => {
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    select,
    fn,
  );
  await app.until(async () => (await select.getValue()) === fn, `the function ${fn} to be picked`);
  const args = Object.values(fields).map((v) => JSON.stringify(v));
  const lastRun = await app.runCall(fields, { call: `${fn}(${args.join(', ')})` });
  return (await lastRun.$('pre[aria-label="Result"]').getText()).trim();
}

test('granted key-value data survives an app restart; a bucket outside the grant is blocked', { timeout: TEST_MS }, async () => {
  const project = await copyProject('kv restart', 'std-interfaces');
  const database = path.join(project, 'data', 'kv.redb');

  await withAppOn('kv restart first start', project, async (app) => {
    await app.waitForProject();
    assert.equal(await call(app, 'put', { bucket: 'default', key: 'greeting', value: 'hello' }), 'ok');
    assert.equal(
      await call(app, 'put', { bucket: 'secret', key: 'greeting', value: 'hello' }),
      'err("bucket `secret`: access denied")',
    );
    await app.openTab('Output');
    const scope = app.region('Output').$('ul[aria-label="Scope"]');
    await scope.waitForDisplayed({ timeout: WAIT_MS });
    const blocked = await scope.$('li.pbp-denied').getText();
    assert.match(blocked, /^app: wasi:keyvalue\/store it opened bucket `secret`/);
    assert.match(blocked, /which its grant does not list \(it lists default, cache\)/);
  });
  assert.ok(existsSync(database), `the grant's database file ${database} is written`);

  await withAppOn('kv restart second start', project, async (app) => {
    await app.waitForProject();
    assert.equal(
      await call(app, 'get', { bucket: 'default', key: 'greeting' }),
      'ok(some("hello"))',
      'the value put before the restart is read back from the database file',
    );
    assert.equal(await call(app, 'get', { bucket: 'cache', key: 'greeting' }), 'ok(none)', 'buckets are apart');
  });
});
