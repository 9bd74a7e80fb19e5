// End-to-end test of the export dialog on the sandbox-demo sample: sealed
// (the default) against open, each variant's attack surface, the stubs,
// and a sealed export whose written component imports exactly what the
// dialog showed. Run with run.sh.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { WAIT_MS, copyProject, withAppOn } from './lib/app.js';

const run = promisify(execFile);
const TEST_MS = 300_000;
const ENV = 'wasi:cli/environment@0.2.12';
const SEALED_IMPORTS = ['wasi:cli/environment@0.2.12', 'wasi:filesystem/preopens@0.2.12', 'wasi:http/outgoing-handler@0.2.12'];

/** The attack surface the dialog shows for the chosen variant: each
 * import's name and the nodes it names as using it (read from the DOM:
 * WebKitWebDriver's getText is unreliable inside code elements). */
async function shownSurface(app) {
  return app.browser.execute(() => {
    const section = document.querySelector('[role="dialog"] section[data-variant]');
    if (!section) return null;
    return {
      variant: section.getAttribute('data-variant'),
      items: [...section.querySelectorAll('li')].map((li) => ({
        name: li.querySelector('code')?.textContent ?? '',
        nodes: li.querySelector('.pbp-export-nodes')?.textContent ?? '',
      })),
    };
  });
}

/** The texts of the items of the dialog's section headed `heading`. */
async function sectionItems(app, heading) {
  return app.browser.execute((h) => {
    const title = [...document.querySelectorAll('[role="dialog"] section h3')].find((e) => e.textContent === h);
    return title ? [...title.closest('section').querySelectorAll('li')].map((li) => li.textContent) : null;
  }, heading);
}

/** The imports of a component, as `wasm-tools component wit` prints them
 * (`import NAME;` / `import NAME: func…`): an independent tool, installed by
 * run.sh (ensure_portability_tools sets PATCHBAY_WASM_TOOLS). */
async function witImports(wasm) {
  const tool = process.env.PATCHBAY_WASM_TOOLS || 'wasm-tools';
  let wit;
  try {
    ({ stdout: wit } = await run(tool, ['component', 'wit', wasm]));
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new Error(`${tool} is not installed: run tests/e2e/run.sh, which installs it, or set PATCHBAY_WASM_TOOLS`);
    }
    throw new Error(`${tool} component wit ${wasm} failed:\n${e.stderr}`);
  }
  const world = wit.slice(wit.indexOf('world '));
  return [...world.matchAll(/^ {2}import ([^\s;]+?)(?:;|: )/gm)].map((m) => m[1]);
}

test('export dialog: sealed by default, each variant’s surface, a sealed export imports what it showed', { timeout: TEST_MS }, async () => {
  const project = await copyProject('export-sealed', 'sandbox-demo');
  await withAppOn('export sealed and open', project, async (app) => {
    await app.waitForProject();
    await app.browser.keys(['Control', 'e']);
    const dialog = await app.browser.$('[role="dialog"][aria-modal="true"]');
    await dialog.waitForDisplayed({ timeout: WAIT_MS });
    await app.until(async () => (await shownSurface(app))?.items.length > 0, 'the export preview', 2 * WAIT_MS);

    // Sealed is preselected.
    const sealedRadio = await dialog.$('input[type="radio"][value="sealed"]');
    const openRadio = await dialog.$('input[type="radio"][value="open"]');
    assert.equal(await sealedRadio.isSelected(), true, 'Sealed is selected');
    assert.equal(await openRadio.isSelected(), false, 'Open is not');
    const sealed = await shownSurface(app);
    assert.equal(sealed.variant, 'sealed');

    // Its stubs: three denials and three mocks, nothing that cannot be sealed.
    const stubs = await sectionItems(app, 'Sealed in');
    assert.equal(stubs?.length, 6, `six stubs: ${stubs}`);
    for (const i of SEALED_IMPORTS) {
      assert.ok(stubs.some((s) => s.startsWith(`denied.${i}`) && s.includes('deny')), `denied.${i} is a deny stub: ${stubs}`);
      assert.ok(stubs.some((s) => s.startsWith(`mocked.${i}`) && s.includes('mock')), `mocked.${i} is a mock stub: ${stubs}`);
    }
    assert.equal(await sectionItems(app, 'Cannot be sealed'), null, 'every denial and mock of sandbox-demo is sealed');

    // Open: the same interfaces (the granted node still imports them), but
    // the mocked and denied nodes reach the host through them too.
    await openRadio.click();
    await app.until(async () => (await shownSurface(app))?.variant === 'open', 'the open surface');
    const open = await shownSurface(app);
    assert.equal(await sectionItems(app, 'Sealed in'), null, 'open seals nothing');
    assert.notDeepEqual(open.items, sealed.items, 'the two surfaces differ');
    for (const i of SEALED_IMPORTS) {
      const s = sealed.items.find((x) => x.name === i);
      const o = open.items.find((x) => x.name === i);
      assert.equal(s?.nodes, 'used by granted', `sealed, only granted reaches ${i}: ${JSON.stringify(s)}`);
      assert.equal(o?.nodes, 'used by granted, mocked, denied', `open, every node reaches ${i}: ${JSON.stringify(o)}`);
    }
    const facts = async (v) => (await app.byTestId(`export-facts-${v}`).getText()).trim();
    assert.match(await facts('sealed'), /^\d+ imports · [\d.]+ KiB \(\+[\d.]+ (KiB|B) against open\) · 6 stubs$/);
    assert.match(await facts('open'), /^\d+ imports · [\d.]+ KiB$/);

    // Back to sealed, and export it.
    await sealedRadio.click();
    await app.until(async () => (await shownSurface(app))?.variant === 'sealed', 'the sealed surface again');
    await (await app.button('Export', dialog)).click();
    const written = await dialog.$('.//section[h3[normalize-space(.)="Written"]]');
    await written.waitForDisplayed({ timeout: 2 * WAIT_MS });
    const paths = await app.browser.execute(() =>
      [...document.querySelectorAll('[role="dialog"] .pbp-written li code')].map((c) => c.textContent.trim()),
    );
    const outDir = path.join(project, 'out');
    const wasm = path.join(outDir, 'sandbox-demo.wasm');
    for (const file of ['sandbox-demo.wasm', 'sandbox-demo.wac', 'sandbox-demo.wit']) {
      assert.ok(paths.includes(path.join(outDir, file)), `the dialog lists ${file}: ${paths}`);
      await access(path.join(outDir, file));
    }
    assert.match(await written.getText(), /Sealed export/);
    const stubFiles = (await readdir(path.join(outDir, 'stubs'))).sort();
    assert.equal(stubFiles.length, 6, `stubs/: ${stubFiles}`);
    for (const f of stubFiles) {
      assert.ok(paths.includes(path.join(outDir, 'stubs', f)), `the dialog lists stubs/${f}`);
      assert.ok((await stat(path.join(outDir, 'stubs', f))).size > 0);
    }
    // The recipe names the stubs; the component imports what the dialog showed.
    assert.match(await readFile(path.join(outDir, 'sandbox-demo.wac'), 'utf8'), /stubs\//);
    assert.deepEqual(await witImports(wasm), sealed.items.map((i) => i.name), 'the written imports are the shown surface');
    assert.ok(sealed.items.some((i) => i.name === ENV));

    // Escape closes the dialog, wherever focus is.
    await app.browser.execute(() => document.activeElement?.blur());
    await app.browser.keys(['Escape']);
    await app.until(async () => !(await app.browser.$('[role="dialog"][aria-modal="true"]').isExisting()), 'the dialog to close');
  });
});
