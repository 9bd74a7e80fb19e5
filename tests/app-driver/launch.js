// Starting what drives the real app: a virtual display (Xvfb), tauri-driver
// (which starts WebKitWebDriver, which starts the app), a WebDriver session
// on a fresh state folder; finding the built app; copying a project where it
// may be changed. Every process started here is stopped with SIGTERM (a
// SIGKILLed tauri-driver leaves WebKitWebDriver running), at `stop()`/
// `close()` or, at the latest, when this node process exits.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { Browser } from './browser.js';
import { PRELUDE } from './page.js';
import { Session, endpoint, sleep } from './webdriver.js';

/** The repository's root and its samples folder. */
export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const SAMPLES = path.join(REPO, 'samples');

/** Where cargo builds (scripts/setup.sh's `use_build_cache`). */
export function targetDir() {
  return process.env.CARGO_TARGET_DIR ?? path.join(homedir(), '.cache', 'patchbay', 'target');
}

function built(env, name, profile) {
  const file = process.env[env] ?? path.join(targetDir(), profile, name);
  if (!existsSync(file)) throw new Error(`no ${name} at ${file}: build it (scripts/setup.sh build_app) or set ${env}`);
  return file;
}

/** The desktop app's binary: $PATCHBAY_APP, else the build in `profile`. */
export const appBinary = (profile = 'debug') => built('PATCHBAY_APP', 'patchbay-app', profile);

/** The patchbay CLI's binary: $PATCHBAY_CLI, else the build in `profile`. */
export const cliBinary = (profile = 'debug') => built('PATCHBAY_CLI', 'patchbay', profile);

// --- processes -----------------------------------------------------------------

const live = new Set();
let exitHooked = false;

/** Keeps `child` to be sent SIGTERM if this process exits before it stops. */
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const c of live) c.kill('SIGTERM');
  });
  // Interrupted: exit (running the hook above) as a signal would have.
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

/** Sends SIGTERM and waits (up to `ms`) for the process to go. */
async function terminate(child, ms = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(ms)]);
}

/** Where a child's output goes: a log file (appended) or nowhere. */
function output(log) {
  return log ? openSync(log, 'a') : 'ignore';
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a virtual display of our own: Xvfb picks a free display number and
 * tells it on fd 3, so parallel runs never race for one. `size` is WxH or
 * WxHxDEPTH (default depth 24). Returns `{display, pid, stop()}`.
 */
export async function startDisplay({ size = '1600x1000', log = null } = {}) {
  const screen = /^\d+x\d+$/.test(size) ? `${size}x24` : size;
  if (!/^\d+x\d+x\d+$/.test(screen)) throw new Error(`a screen size is WxH or WxHxDEPTH, not '${size}'`);
  const err = output(log);
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', err, 'pipe'],
  });
  if (typeof err === 'number') closeSync(err);
  track(child);
  const number = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report its display within 10 s')), 10_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start Xvfb: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited at start (${signal ?? `code ${code}`})${log ? `; see ${log}` : ''}`));
    });
    child.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
  }).catch(async (e) => {
    await terminate(child);
    throw e;
  });
  child.stdio[3].destroy();
  return { display: `:${number}`, pid: child.pid, stop: () => terminate(child) };
}

/**
 * Starts `tauri-driver` on two free ports and waits until it answers
 * `/status`. `env` is the environment of tauri-driver and so of
 * WebKitWebDriver and the app it launches. `log`: a file for their output.
 * Stop it with `stop()` (SIGTERM: tauri-driver then ends WebKitWebDriver).
 */
export async function startTauriDriver({ bin = 'tauri-driver', env = process.env, log = null } = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const out = output(log);
  const child = spawn(bin, ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  track(child);
  let exited = null;
  child.on('error', (e) => {
    exited = { error: e.message };
  });
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`tauri-driver exited at start (${JSON.stringify(exited)})${log ? `; see ${log}` : ''}`);
    try {
      await endpoint(base, '/status');
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await terminate(child);
        throw new Error(`tauri-driver did not answer on ${base}: ${e.message}`);
      }
      await sleep(50);
    }
  }
  return { base, pid: child.pid, stop: () => terminate(child) };
}

/**
 * Starts the app on `project` and returns it driven:
 * `{browser, session, driver, display, home, t0, sessionMs, close()}`.
 *
 * The app gets a folder of its own below `workDir` (`home`) for its state
 * (recovery files, last project) and web storage, so nothing from a
 * person's use leaks in. `display` is one from `startDisplay()` to share;
 * without it, the app gets its own Xvfb of `screen` size, stopped by
 * `close()` (the returned `display` is the DISPLAY name, `:N`). `env` is added to the app's
 * environment; `log` is a file for tauri-driver's and the app's output.
 * `t0` is just before the new-session request, which starts the app.
 */
export async function launchApp({
  project,
  args = [project],
  app = appBinary(),
  workDir = tmpdir(),
  env = {},
  display = null,
  screen = '1600x1000',
  log = null,
} = {}) {
  const home = await mkdtemp(path.join(workDir, 'app-'));
  const dirs = { state: 'state', data: 'xdg-data', config: 'xdg-config' };
  for (const [k, v] of Object.entries(dirs)) {
    dirs[k] = path.join(home, v);
    await mkdir(dirs[k]);
  }
  const own = display ? null : await startDisplay({ size: screen, log });
  const stops = [];
  try {
    if (own) stops.push(own.stop);
    const childEnv = {
      ...process.env,
      DISPLAY: (display ?? own).display,
      PATCHBAY_STATE_DIR: dirs.state,
      XDG_DATA_HOME: dirs.data,
      XDG_CONFIG_HOME: dirs.config,
      ...env,
    };
    delete childEnv.WAYLAND_DISPLAY;
    const driver = await startTauriDriver({ env: childEnv, log });
    stops.unshift(driver.stop);
    const t0 = Date.now();
    const session = await Session.start(driver.base, app, args, { prelude: PRELUDE });
    const sessionMs = Date.now() - t0;
    let closed = false;
    return {
      browser: new Browser(session),
      session,
      driver,
      display: (display ?? own).display,
      home,
      t0,
      sessionMs,
      /** Ends the session (which closes the app), then the driver and an own display. */
      async close() {
        if (closed) return;
        closed = true;
        await session.end().catch((e) => console.error(`# could not end the session: ${e.message}`));
        for (const stop of stops) await stop();
      },
    };
  } catch (e) {
    for (const stop of stops) await stop();
    throw e;
  }
}

// --- projects --------------------------------------------------------------------

/** The relative `path = "…"` entries of a patchbay.toml (component files). */
function componentPaths(toml) {
  return [...toml.matchAll(/^[ \t]*path[ \t]*=[ \t]*"([^"/][^"]*)"/gm)].map((m) => m[1]);
}

/**
 * Copies the project folder `source` (without its `out/`) into the folder
 * `dest`, with every component file it names by a relative path at the same
 * place relative to the copy, so that `../wasm/x.wasm` still resolves.
 * Returns the copy's folder: `dest/<name>` when no path climbs more than one
 * level, deeper otherwise so that every `../` stays inside `dest`.
 */
export async function copyProject(source, dest) {
  const src = path.resolve(source);
  const paths = componentPaths(await readFile(path.join(src, 'patchbay.toml'), 'utf8'));
  const depth = Math.max(0, ...paths.map((p) => /^(\.\.\/)*/.exec(p)[0].length / 3));
  let base = path.resolve(dest);
  for (let i = 1; i < depth; i++) base = path.join(base, `d${i}`);
  const copy = path.join(base, path.basename(src));
  await mkdir(base, { recursive: true });
  await cp(src, copy, { recursive: true, filter: (f) => f !== path.join(src, 'out') });
  for (const p of paths) {
    const from = path.resolve(src, p);
    if (!(await stat(from).catch(() => null))?.isFile()) continue;
    const to = path.resolve(copy, p);
    await mkdir(path.dirname(to), { recursive: true });
    await cp(from, to);
  }
  return copy;
}
