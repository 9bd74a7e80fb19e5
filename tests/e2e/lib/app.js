// The end-to-end suite's view of the app harness (tests/app-driver): each
// test gets a fresh app (its own display, tauri-driver and state folder) on
// its own copy of a sample, a screenshot and the driver's log when it
// fails. `run.sh` builds the app and sets the environment read here.

import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App as PageApp, SAMPLES, WAIT_MS, appBinary, cliBinary, copyProject as copyInto, launchApp, xpathString } from '../../app-driver/index.js';

/** The app's and the CLI's binaries ($PATCHBAY_APP, $PATCHBAY_CLI, else the debug builds). */
export const APP = () => appBinary();
export const CLI = () => cliBinary();

let work = null;
/** The suite's temporary folder ($PATCHBAY_E2E_WORK, which run.sh removes;
 * else one of this process's own, removed when it exits). */
async function WORK() {
  if (work) return work;
  if (process.env.PATCHBAY_E2E_WORK) return (work = process.env.PATCHBAY_E2E_WORK);
  work = await mkdtemp(path.join(tmpdir(), 'patchbay-e2e-'));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  return work;
}
const ARTIFACTS = () => process.env.PATCHBAY_E2E_ARTIFACTS ?? path.resolve(import.meta.dirname, '..', 'artifacts');

/** How long a condition may take to become true (the first analysis compiles). */
export { WAIT_MS };

/** Copies the sample `samples/<sample>` (with the components it points at
 * as `../wasm/…`) into a folder of its own and returns the project folder. */
export async function copyProject(slug, sample = 'kv-service') {
  return copyInto(path.join(SAMPLES, sample), await mkdtemp(path.join(await WORK(), `${slug}-`)));
}

function slugOf(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/**
 * Runs `body(app)` against a freshly started app on a fresh copy of the
 * sample, once its graph and first analysis are shown. On failure it saves
 * a screenshot and the driver's log into tests/e2e/artifacts/ and prints
 * their paths; the app, its driver and its display always end.
 */
export async function withApp(name, body) {
  const slug = slugOf(name);
  return withAppOn(name, await copyProject(slug), async (app) => {
    await app.waitForProject();
    await body(app);
  });
}

/**
 * Runs `body(app)` against a freshly started app whose command line names
 * `project` (which may be broken: nothing is waited for). Screenshots on
 * failure and ends the app as `withApp` does.
 */
export async function withAppOn(name, project, body) {
  const slug = slugOf(name);
  const log = path.join(await mkdtemp(path.join(await WORK(), `log-${slug}-`)), 'tauri-driver.log');
  let launched;
  try {
    launched = await launchApp({ project, app: APP(), workDir: await WORK(), log });
  } catch (error) {
    await keepLog(log, slug);
    throw error;
  }
  const app = new App(launched.browser, project);
  try {
    await body(app);
  } catch (error) {
    await app.screenshot(slug);
    await keepLog(log, slug);
    throw error;
  } finally {
    await launched.close();
  }
}

async function keepLog(log, slug) {
  try {
    await mkdir(ARTIFACTS(), { recursive: true });
    const kept = path.join(ARTIFACTS(), `${slug}.tauri-driver.log`);
    await copyFile(log, kept);
    console.error(`# the driver's and the app's output: ${kept}`);
  } catch (e) {
    console.error(`# no driver log: ${e.message}`);
  }
}

/** What the tests do with the app (tests/app-driver/app.js), and a
 * screenshot into the artifacts folder. */
export class App extends PageApp {
  async screenshot(slug) {
    try {
      await mkdir(ARTIFACTS(), { recursive: true });
      const file = path.join(ARTIFACTS(), `${slug}.png`);
      await this.browser.saveScreenshot(file);
      console.error(`# screenshot of the failure: ${file}`);
    } catch (e) {
      console.error(`# no screenshot: ${e.message}`);
    }
  }
}

export { xpathString };
