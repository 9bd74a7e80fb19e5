// Drives the real app to a state worth a picture, for scripts/screenshot.sh:
// opens a project, waits for its graph and first analysis, fills the run
// panel's arguments, runs the export, waits for the result and the trace,
// and leaves the app showing them. Then it captures the app window with
// ImageMagick's `import` (the real, composited X window), or, when that
// fails, takes WebDriver's screenshot of the page.
//
// Usage: node screenshot.mjs APP PROJECT OUT.png [CALL_ARGS]
// CALL_ARGS: the export's arguments as WAVE (without the parentheses); left
// out, the form's defaults are run.
// Environment: DISPLAY (an X server: Xvfb); SCREENSHOT_SIZE=WxH resizes the
// window first; the rest (PATCHBAY_STATE_DIR) reaches the app through
// tauri-driver, which must be on PATH.

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Session, sleep, startTauriDriver, until } from './webdriver.mjs';

const run = promisify(execFile);
const [app, project, out, argsText] = process.argv.slice(2);
if (!app || !project || !out) {
  console.error('usage: node screenshot.mjs APP PROJECT OUT.png [CALL_ARGS]');
  process.exit(2);
}
// The window's size (WxH, from SCREENSHOT_SIZE), or the app's own default.
const size = process.env.SCREENSHOT_SIZE ? process.env.SCREENSHOT_SIZE.split('x').map(Number) : null;
const log = (msg) => console.error(`screenshot: ${msg}`);

/** Clicks the element the page function `pick` returns (a button found by text). */
async function clickPicked(session, pick, what, ...args) {
  const el = await until(() => session.execute(pick, ...args), what, { timeout: 30_000 });
  await session.click(el);
}

const tabNamed = (label, within) => {
  const root = within ? document.querySelector(within) : document;
  for (const tab of root?.querySelectorAll('button[role="tab"]') ?? []) {
    if (tab.textContent.trim().startsWith(label)) return tab;
  }
  return null;
};

const driver = await startTauriDriver();
let session = null;
try {
  log(`starting the app on ${project}`);
  session = await Session.start(driver.base, app, [project]);
  await session.setTimeouts({ script: 120_000 });
  if (size) {
    const [width, height] = size;
    await session.cmd('POST', '/window/rect', { x: 0, y: 0, width, height });
  }

  // The graph (with its wires, if the project has any), and the first
  // analysis (the composition must be ready to run).
  const hasWires = /^\[\[wires\]\]/m.test(await readFile(path.join(project, 'patchbay.toml'), 'utf8'));
  await until(
    () =>
      session.execute(
        (wired) => document.querySelectorAll('.react-flow__node').length > 0 && (!wired || !!document.querySelector('.react-flow__edge')),
        hasWires,
      ),
    'the graph',
  );
  const problems = await until(
    () =>
      session.execute(() => {
        const text = document.querySelector('[aria-label="Problems"]')?.innerText ?? '';
        return text && !/Analyzing/.test(text) ? text.trim() : null;
      }),
    'the first analysis',
  );
  log(`analysis: ${problems.split('\n')[0]}`);

  // The right panel's Run tab; its form starts on the first callable export.
  await clickPicked(session, tabNamed, 'the Run tab', 'Run');
  const target = await until(
    () => session.execute(() => document.querySelector('section[aria-label="Run"] select')?.value),
    'a run target',
  );
  log(`run target: ${target}`);

  if (argsText) {
    // Type the arguments as WAVE, then show them in the form again.
    await clickPicked(
      session,
      () => [...document.querySelectorAll('[aria-label="Argument input"] button, [aria-label="Argument input"] [role="radio"]')].find((b) => b.textContent.trim() === 'WAVE'),
      'the WAVE switch',
    );
    const box = await until(() => session.find('textarea[aria-label="Arguments as WAVE"]'), 'the WAVE box');
    // Select what the box holds and type over it, as a person would (a
    // WebDriver `clear` does not reach React's state). \uE009 is Control,
    // \uE000 releases it, \uE003 is Backspace.
    await session.click(box);
    await session.type(box, '\uE009a\uE000\uE003');
    await session.type(box, argsText);
    await until(
      () => session.execute((el, want) => el.value.trim() === want.trim(), box, argsText),
      'the WAVE box to hold the arguments',
      { timeout: 10_000 },
    );
    const call = await until(
      () =>
        session.execute((args) => {
          const text = document.querySelector('output[aria-label="Call text"]')?.textContent ?? '';
          return text.includes(args.slice(0, 20)) ? text : null;
        }, argsText),
      'the call text',
    );
    log(`call: ${call}`);
    const parseError = await session.execute(() => document.querySelector('section[aria-label="Run"] .pbp-wave-box .pbp-field-error')?.textContent ?? null);
    if (parseError) throw new Error(`the run panel does not accept the arguments: ${parseError}`);
    await clickPicked(
      session,
      () => [...document.querySelectorAll('[aria-label="Argument input"] button, [aria-label="Argument input"] [role="radio"]')].find((b) => b.textContent.trim() === 'Form'),
      'the Form switch',
    );
    await until(() => session.execute(() => !document.querySelector('textarea[aria-label="Arguments as WAVE"]')), 'the form');
  }

  // Run, and wait for the report and the trace.
  await clickPicked(
    session,
    () => {
      const b = document.querySelector('section[aria-label="Run"] .pbp-run-bar button');
      return b && !b.disabled ? b : null;
    },
    'the Run button to be enabled',
  );
  const result = await until(
    () =>
      session.execute(() => {
        const region = document.querySelector('[aria-label="Last run"]');
        if (!region) return null;
        const value = region.querySelector('[aria-label="Result"]')?.textContent;
        const failure = region.querySelector('[role="alert"]')?.textContent;
        return value || failure ? { value, failure } : null;
      }),
    'the run to finish',
  );
  if (!result.value) throw new Error(`the run failed: ${result.failure}`);
  log(`result: ${result.value.replace(/\s+/g, ' ').slice(0, 160)}`);

  // The trace: one row per call across a wire. A run that was not traced
  // (the project ran composed, or no call crossed a wire) shows why instead.
  await clickPicked(session, tabNamed, 'the Trace tab', 'Trace');
  const trace = await until(
    () =>
      session.execute(() => {
        const rows = document.querySelectorAll('section[aria-label="Trace"] tbody tr').length;
        if (rows) return { rows };
        const why = [...document.querySelectorAll('body *')].find(
          (e) => e.children.length === 0 && /recorded only in traced runs|No calls crossed a wire/.test(e.textContent),
        );
        return why ? { rows: 0, why: why.textContent.trim() } : null;
      }),
    'the trace',
  );
  if (trace.rows) log(`trace: ${trace.rows} calls across wires`);
  else log(`warning: the run has no trace to show; the Trace tab says: ${trace.why}`);

  // Fit the graph to the canvas (the window may have grown since it opened).
  const fit = await session.find('.react-flow__controls-fitview');
  if (fit) await session.click(fit);

  // Show the result: scroll the run panel to it, and let everything settle.
  await session.execute(() => document.querySelector('[aria-label="Last run"]')?.scrollIntoView({ block: 'nearest' }));
  await session.execute(() => document.activeElement?.blur());
  await sleep(1500);

  // The real window first: it is what a person sees, drawn by the compositor.
  let captured = false;
  try {
    // The title is "<project> — Patchbay"; the largest visible match is the window.
    const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--name', 'Patchbay']);
    let id = null;
    let area = 0;
    for (const candidate of stdout.trim().split('\n').filter(Boolean)) {
      const { stdout: geometry } = await run('xdotool', ['getwindowgeometry', '--shell', candidate]);
      const w = Number(/WIDTH=(\d+)/.exec(geometry)?.[1] ?? 0);
      const h = Number(/HEIGHT=(\d+)/.exec(geometry)?.[1] ?? 0);
      if (w * h > area) [id, area] = [candidate, w * h];
    }
    if (!id) throw new Error('no window named Patchbay');
    await run('import', ['-window', id, out]);
    const { stdout: size } = await run('identify', ['-format', '%w %h', out]);
    const [w, h] = size.trim().split(' ').map(Number);
    if (!(w > 200 && h > 200)) throw new Error(`the capture is ${w}x${h}`);
    // An all-one-colour picture means the window was not drawn yet.
    const { stdout: sd } = await run('identify', ['-format', '%[fx:standard_deviation]', out]);
    if (Number(sd) < 0.01) throw new Error('the capture is blank');
    log(`captured window ${id} (${w}x${h}) with import`);
    captured = true;
  } catch (e) {
    log(`window capture failed (${e.message.trim()}); taking WebDriver's screenshot instead`);
  }
  if (!captured) {
    await writeFile(out, await session.screenshot());
    log('captured the page with WebDriver');
  }
} catch (error) {
  if (session) {
    const failed = path.join(tmpdir(), `${path.basename(out, '.png')}.failed.png`);
    await session
      .screenshot()
      .then((png) => writeFile(failed, png))
      .then(() => log(`the page when it failed: ${failed}`))
      .catch(() => {});
  }
  throw error;
} finally {
  if (session) await session.end().catch((e) => log(`could not end the session: ${e.message}`));
  await driver.stop();
}
