// Drives the real app to a state worth a picture, for scripts/screenshot.sh:
// opens a copy of a project, waits for its graph and first analysis, fills
// the run panel's arguments, runs the export, waits for the result and the
// trace, and leaves the app showing them. Then it captures the app window
// with ImageMagick's `import` (the real, composited X window), or, when that
// fails, takes WebDriver's screenshot of the page. The app runs under an
// Xvfb of its own, through the harness in tests/app-driver.
//
// Usage: node screenshot.mjs APP PROJECT OUT.png [CALL_ARGS]
// CALL_ARGS: the export's arguments as WAVE (without the parentheses); left
// out, the form's defaults are run.
// Environment: SCREENSHOT_SIZE=WxH, the screen's and the window's size
// (default 1600x1000).

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { App, copyProject, launchApp, sleep } from '../tests/app-driver/index.js';

const exec = promisify(execFile);
const [appBin, source, out, argsText] = process.argv.slice(2);
if (!appBin || !source || !out) {
  console.error('usage: node screenshot.mjs APP PROJECT OUT.png [CALL_ARGS]');
  process.exit(2);
}
const size = process.env.SCREENSHOT_SIZE ?? '1600x1000';
const [width, height] = size.split('x').map(Number);
const log = (msg) => console.error(`screenshot: ${msg}`);
const MS = 60_000;

const work = await mkdtemp(path.join(tmpdir(), 'patchbay-screenshot-'));
let launched = null;
try {
  const project = await copyProject(source, path.join(work, 'project'));
  log(`starting the app on ${project}`);
  launched = await launchApp({ project, app: appBin, workDir: work, screen: size });
  const { browser, display } = launched;
  // xdotool and import look at the app's display.
  const run = (cmd, args) => exec(cmd, args, { env: { ...process.env, DISPLAY: display } });
  const app = new App(browser, project);
  await launched.session.setTimeouts({ script: 120_000 });
  await browser.setWindowRect(0, 0, width, height);

  // The graph (with its wires, if the project has any), and the first
  // analysis (the composition must be ready to run).
  const problems = await app.waitForProject(MS);
  log(`analysis: ${problems.split('\n')[0]}`);

  // The right panel's Run tab; its form starts on the first callable export.
  await app.openTab('Run');
  const runPanel = app.region('Run');
  const target = await app.until(() => runPanel.$('select').getValue(), 'a run target');
  log(`run target: ${target}`);

  if (argsText) {
    // Type the arguments as WAVE, then show them in the form again.
    const inputSwitch = app.browser.$('[aria-label="Argument input"]');
    await (await app.button('WAVE', inputSwitch)).click();
    const box = app.browser.$('textarea[aria-label="Arguments as WAVE"]');
    await box.waitForDisplayed({ timeout: MS });
    // Select what the box holds and type over it, as a person would (a
    // WebDriver `clear` does not reach React's state).
    await box.click();
    await app.browser.keys(['Control', 'a']);
    await app.browser.keys('Backspace');
    await box.addValue(argsText);
    await app.until(async () => (await box.getValue()).trim() === argsText.trim(), 'the WAVE box to hold the arguments', 10_000);
    const callText = runPanel.$('output[aria-label="Call text"]');
    const call = await app.until(async () => {
      const text = await callText.getText();
      return text.includes(argsText.slice(0, 20)) ? text : null;
    }, 'the call text', MS);
    log(`call: ${call}`);
    const parseError = runPanel.$('.pbp-wave-box .pbp-field-error');
    if (await parseError.isExisting()) throw new Error(`the run panel does not accept the arguments: ${await parseError.getText()}`);
    await (await app.button('Form', inputSwitch)).click();
    await box.waitForExist({ reverse: true, timeout: MS });
  }

  // Run, and wait for the report and the trace.
  const runButton = runPanel.$('.pbp-run-bar button');
  await runButton.waitForEnabled({ timeout: MS });
  await runButton.click();
  const lastRun = app.region('Last run');
  const result = await app.until(async () => {
    const value = lastRun.$('[aria-label="Result"]');
    const failure = lastRun.$('[role="alert"]');
    if (await value.isExisting()) return { value: await value.getText() };
    if (await failure.isExisting()) return { failure: await failure.getText() };
    return null;
  }, 'the run to finish', MS);
  if (!result.value) throw new Error(`the run failed: ${result.failure}`);
  log(`result: ${result.value.replace(/\s+/g, ' ').slice(0, 160)}`);

  // The trace: one row per call across a wire. A run that was not traced
  // (the project ran composed, or no call crossed a wire) shows why instead.
  await app.openTab('Trace');
  const trace = await app.until(
    () =>
      browser.execute(() => {
        const rows = document.querySelectorAll('section[aria-label="Trace"] tbody tr').length;
        if (rows) return { rows };
        const why = [...document.querySelectorAll('body *')].find(
          (e) => e.children.length === 0 && /recorded only in traced runs|No calls crossed a wire/.test(e.textContent),
        );
        return why ? { rows: 0, why: why.textContent.trim() } : null;
      }),
    'the trace',
    MS,
  );
  if (trace.rows) log(`trace: ${trace.rows} calls across wires`);
  else log(`warning: the run has no trace to show; the Trace tab says: ${trace.why}`);

  // Fit the graph to the canvas (the window may have grown since it opened).
  const fit = browser.$('.react-flow__controls-fitview');
  if (await fit.isExisting()) await fit.click();

  // Show the result: scroll the run panel to it, and let everything settle.
  await browser.execute(() => document.querySelector('[aria-label="Last run"]')?.scrollIntoView({ block: 'nearest' }));
  await browser.execute(() => document.activeElement?.blur());
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
    await browser.saveScreenshot(out);
    log('captured the page with WebDriver');
  }
} catch (error) {
  if (launched) {
    const failed = path.join(tmpdir(), `${path.basename(out, '.png')}.failed.png`);
    await launched.browser
      .saveScreenshot(failed)
      .then(() => log(`the page when it failed: ${failed}`))
      .catch(() => {});
  }
  throw error;
} finally {
  await launched?.close();
  await rm(work, { recursive: true, force: true });
}
