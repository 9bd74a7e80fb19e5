// End-to-end tests of the export dialog. On the sandbox-demo sample:
// sealed (the default) against open, each variant's attack surface, the
// stubs, and a sealed export whose written component imports exactly what
// the dialog showed. On http-hello: the deployment targets, Spin and
// wasmCloud ticked, write spin.toml and wadm.yaml beside the component and
// the dialog lists them, with its buttons in view. Run with run.sh.

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

    // Its stubs: three denials, three mocks, and the granted node's
    // environment scope (only GREETING passes); nothing that cannot be sealed.
    const stubs = await sectionItems(app, 'Sealed in');
    const denyOrMock = (stubs ?? []).filter((s) => /^(denied|mocked)\./.test(s));
    assert.equal(denyOrMock.length, 6, `six deny and mock stubs: ${stubs}`);
    const others = stubs.filter((s) => !denyOrMock.includes(s));
    assert.deepEqual(
      others.map((s) => s.slice(0, s.indexOf('@'))),
      ['granted.wasi:cli/environment'],
      `the one other stub is the granted node's environment scope: ${stubs}`,
    );
    assert.match(others[0], /scope/);
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
    assert.match(await facts('sealed'), new RegExp(`^\\d+ imports · [\\d.]+ KiB \\(\\+[\\d.]+ (KiB|B) against open\\) · ${stubs.length} stubs$`));
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
    assert.equal(stubFiles.length, stubs.length, `stubs/: ${stubFiles}`);
    for (const f of stubFiles) {
      assert.ok(paths.includes(path.join(outDir, 'stubs', f)), `the dialog lists stubs/${f}`);
      assert.ok((await stat(path.join(outDir, 'stubs', f))).size > 0);
    }
    // The recipe names the stubs; the component imports what the dialog showed.
    assert.match(await readFile(path.join(outDir, 'sandbox-demo.wac'), 'utf8'), /stubs\//);
    assert.deepEqual(await witImports(wasm), sealed.items.map((i) => i.name), 'the written imports are the shown surface');
    assert.ok(sealed.items.some((i) => i.name === ENV));

    // Spin runs HTTP handlers only: the backend says so, and the box is off.
    const spin = await dialog.$('.//label[contains(., "spin.toml")]/input');
    assert.equal(await spin.isEnabled(), false, 'Spin is not offered for sandbox-demo');
    assert.match(await dialog.getText(), /cannot write a Spin manifest for project `sandbox-demo`/);

    // Escape closes the dialog, wherever focus is.
    await app.browser.execute(() => document.activeElement?.blur());
    await app.browser.keys(['Escape']);
    await app.until(async () => !(await app.browser.$('[role="dialog"][aria-modal="true"]').isExisting()), 'the dialog to close');
  });
});

/** Whether the dialog's button `name` is inside the window and nothing
 * (a toast, the dialog's own body) covers its centre. */
async function buttonInView(app, name) {
  return app.browser.execute((text) => {
    const button = [...document.querySelectorAll('[role="dialog"] .pbp-dialog-actions button')].find(
      (b) => b.textContent.trim() === text,
    );
    if (!button) return `no ${text} button`;
    const r = button.getBoundingClientRect();
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) {
      return `${text} is clipped: ${JSON.stringify(r)} in ${window.innerWidth}x${window.innerHeight}`;
    }
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return button.contains(top) ? 'ok' : `${text} is covered by ${top?.className || top?.tagName}`;
  }, name);
}

test('export dialog: Spin and wasmCloud ticked write spin.toml and wadm.yaml beside the component, listed in the dialog', { timeout: TEST_MS }, async () => {
  const project = await copyProject('export-deploy', 'http-hello');
  await withAppOn('export deploy targets', project, async (app) => {
    await app.waitForProject();
    await app.browser.keys(['Control', 'e']);
    const dialog = await app.browser.$('[role="dialog"][aria-modal="true"]');
    await dialog.waitForDisplayed({ timeout: WAIT_MS });
    await app.until(async () => (await shownSurface(app))?.items.length > 0, 'the export preview', 2 * WAIT_MS);

    const spin = await dialog.$('.//label[contains(., "spin.toml")]/input');
    const wadm = await dialog.$('.//label[contains(., "wadm.yaml")]/input');
    assert.equal(await spin.isEnabled(), true, 'http-hello exports a handler: Spin is offered');
    await spin.click();
    await wadm.click();
    assert.equal(await spin.isSelected(), true);
    assert.equal(await wadm.isSelected(), true);
    await (await app.button('Export', dialog)).click();

    const written = await dialog.$('.//section[h3[normalize-space(.)="Written"]]');
    await written.waitForDisplayed({ timeout: 2 * WAIT_MS });
    const outDir = path.join(project, 'out');
    const outcomes = await app.browser.execute(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[role="dialog"] .pbp-export-outcome')].map((li) => [
          li.getAttribute('data-target'),
          { text: li.textContent, file: li.querySelector('code')?.textContent.trim() ?? '' },
        ]),
      ),
    );
    assert.deepEqual(Object.keys(outcomes), ['spin', 'wadm'], JSON.stringify(outcomes));
    assert.equal(outcomes.spin.file, path.join(outDir, 'spin.toml'), outcomes.spin.text);
    assert.equal(outcomes.wadm.file, path.join(outDir, 'wadm.yaml'), outcomes.wadm.text);
    // Both beside the component, each naming it.
    await access(path.join(outDir, 'http-hello.wasm'));
    const spinToml = await readFile(path.join(outDir, 'spin.toml'), 'utf8');
    assert.match(spinToml, /spin_manifest_version = 2/);
    assert.match(spinToml, /source = "http-hello\.wasm"/);
    const wadmYaml = await readFile(path.join(outDir, 'wadm.yaml'), 'utf8');
    assert.match(wadmYaml, /kind: Application/);
    assert.ok(wadmYaml.includes(`file://${path.join(outDir, 'http-hello.wasm')}`), wadmYaml);
    // What a manifest cannot express is listed in the dialog as in the file.
    for (const [target, file] of [['spin', spinToml], ['wadm', wadmYaml]]) {
      if (/expresses every grant/.test(outcomes[target].text)) {
        assert.match(file, /# Every grant of the project is expressed below\./);
      } else {
        assert.match(outcomes[target].text, /cannot express \d+ things?/);
        assert.match(file, /# Not expressed in this manifest:/);
      }
    }

    // After export the buttons are in view and no toast covers them.
    assert.equal(await buttonInView(app, 'Done'), 'ok');
    assert.equal(await buttonInView(app, 'Export again'), 'ok');
    await (await app.button('Done', dialog)).click();
    await app.until(async () => !(await app.browser.$('[role="dialog"][aria-modal="true"]').isExisting()), 'the dialog to close');
  });
});
