// Drives the real Patchbay desktop app through tauri-driver (WebKitWebDriver
// underneath). `run.sh` starts tauri-driver and sets the environment read
// here; each test gets a fresh app on its own copy of the kv-service sample.

import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import { remote } from 'webdriverio';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set: run the suite with tests/e2e/run.sh`);
  return value;
};

export const APP = () => env('PATCHBAY_APP');
export const CLI = () => env('PATCHBAY_CLI');
const WORK = () => env('PATCHBAY_E2E_WORK');
const PORT = () => Number(env('PATCHBAY_E2E_PORT', '4444'));
const ARTIFACTS = () => env('PATCHBAY_E2E_ARTIFACTS', path.resolve(import.meta.dirname, '..', 'artifacts'));

/** How long a condition may take to become true (the first analysis compiles). */
export const WAIT_MS = 30_000;

/** Copies the sample (`kv-service/` and the `wasm/` it points at with
 * `../wasm/…`) into a folder of its own and returns the project folder. */
export async function copyProject(slug) {
  const root = await mkdtemp(path.join(WORK(), `${slug}-`));
  await cp(path.join(WORK(), 'template'), root, { recursive: true });
  return path.join(root, 'kv-service');
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
 * sample. On failure it saves a screenshot into tests/e2e/artifacts/ and
 * prints its path; the session (and so the app) always ends.
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
 * failure and ends the session as `withApp` does.
 */
export async function withAppOn(name, project, body) {
  const slug = slugOf(name);
  const browser = await remote({
    hostname: '127.0.0.1',
    port: PORT(),
    logLevel: 'warn',
    connectionRetryCount: 0,
    capabilities: {
      // WebKitWebDriver speaks classic WebDriver only: without this,
      // webdriverio asks for a BiDi socket and the session is refused.
      'wdio:enforceWebDriverClassic': true,
      browserName: 'wry',
      'tauri:options': { application: APP(), args: [project] },
    },
  });
  const app = new App(browser, project);
  try {
    await body(app);
  } catch (error) {
    await app.screenshot(slug);
    throw error;
  } finally {
    await browser.deleteSession().catch((e) => console.error(`# could not end the session: ${e.message}`));
  }
}

/** What the tests do with the app: find by test id, role and text; drag. */
export class App {
  constructor(browser, project) {
    this.browser = browser;
    this.project = project;
  }

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

  /** The element with `data-testid` = id (ids hold `:` and `/`, so quote). */
  byTestId(id) {
    return this.browser.$(`[data-testid=${JSON.stringify(id)}]`);
  }

  node(id) {
    return this.byTestId(`node-${id}`);
  }

  /** A port's handle: `port-<node>-<import|export>-<name>`. */
  handle(node, side, port) {
    return this.byTestId(`port-${node}-${side}-${port}`);
  }

  /** The edge of the wire `from` (node.export) -> `to` (node.import). */
  wire(from, to) {
    return this.byTestId(`edge-wire:${from}->${to}`);
  }

  /** Edges that are wires between component nodes (not fake-node edges). */
  async wireCount() {
    return (await this.browser.$$('[data-testid^="edge-wire:"]')).length;
  }

  /** A panel (a section or region) by its accessible name (aria-label). */
  region(label) {
    const name = JSON.stringify(label);
    return this.browser.$(`section[aria-label=${name}], [role="region"][aria-label=${name}]`);
  }

  /** A button by its visible text (trimmed, exact) or aria-label. */
  async button(text, within = null) {
    const scope = within ?? this.browser;
    const buttons = await scope.$$('button');
    for (const b of buttons) {
      const label = await b.getAttribute('aria-label');
      if (label === text) return b;
      const shown = (await b.getText()).replace(/\s+/g, ' ').trim();
      if (shown === text) return b;
    }
    throw new Error(`no button "${text}"`);
  }

  /** A tab of the right (Inspector | Binding | Run) or bottom panel. */
  async openTab(label) {
    // The tab's text may end with a count badge ("Problems1").
    const tab = await this.browser.$(`//button[@role="tab" and starts-with(normalize-space(.), ${xpathString(label)})]`);
    await tab.waitForClickable({ timeout: WAIT_MS });
    await tab.click();
    await this.until(async () => (await tab.getAttribute('aria-selected')) === 'true', `the ${label} tab to open`);
  }

  /** Waits until `condition()` is truthy; the message says what for. */
  async until(condition, what, timeout = WAIT_MS) {
    let last = null;
    try {
      return await this.browser.waitUntil(
        async () => {
          try {
            return await condition();
          } catch (e) {
            last = e;
            return false;
          }
        },
        { timeout, interval: 100, timeoutMsg: `timed out after ${timeout} ms waiting for ${what}` },
      );
    } catch (e) {
      if (last) e.message += ` (last error: ${last.message})`;
      throw e;
    }
  }

  /** Waits for the sample's two nodes and the first analysis. */
  async waitForProject() {
    await this.until(async () => (await this.node('memory').isDisplayed()) && (await this.node('service').isDisplayed()), 'the two nodes of kv-service');
    await this.until(async () => (await this.problemsText()).length > 0 && !(await this.problemsText()).includes('Analyzing'), 'the first analysis');
  }

  async problemsText() {
    const panel = await this.region('Problems');
    return (await panel.isExisting()) ? (await panel.getText()).replace(/\s+/g, ' ').trim() : '';
  }

  async statusText() {
    return (await this.byTestId('status-line').getText()).replace(/\s+/g, ' ').trim();
  }

  /** The centre of an element in viewport CSS pixels (what pointer actions use). */
  async centre(element) {
    return this.steadyPoint(
      () =>
        this.browser.execute((el) => {
          const b = el.getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        }, element),
      'the element',
    );
  }

  /** A point in viewport CSS pixels that stays put: React Flow may still be
   * fitting the view when the page first shows, so read until two reads
   * agree. `read` returns {x, y}. */
  async steadyPoint(read, what) {
    let last = null;
    return this.until(async () => {
      const p = await read();
      const same = last && Math.abs(p.x - last.x) < 0.5 && Math.abs(p.y - last.y) < 0.5;
      last = p;
      if (!same) await this.browser.pause(150);
      return same ? { x: Math.round(p.x), y: Math.round(p.y) } : false;
    }, `${what} to stop moving`);
  }

  /** The middle of a wire's path, on screen. */
  async wireMiddle(edge) {
    return this.steadyPoint(
      () =>
        this.browser.execute((g) => {
          // Map from the path's own units to the screen through its boxes:
          // WebKit's getScreenCTM() leaves out the CSS transform of React
          // Flow's viewport.
          const path = g.querySelector('path.react-flow__edge-path') ?? g.querySelector('path');
          const mid = path.getPointAtLength(path.getTotalLength() / 2);
          const box = path.getBBox();
          const rect = path.getBoundingClientRect();
          const sx = box.width ? rect.width / box.width : 1;
          const sy = box.height ? rect.height / box.height : 1;
          return { x: rect.left + (mid.x - box.x) * sx, y: rect.top + (mid.y - box.y) * sy };
        }, edge),
      'the wire',
    );
  }

  /** Selects a wire by clicking the middle of its path (where a person
   * would click it) and deletes it with the Delete key. */
  async deleteWire(from, to) {
    const edge = await this.wire(from, to);
    await edge.waitForExist({ timeout: WAIT_MS });
    const at = await this.wireMiddle(edge);
    const hit = await this.browser.execute(
      (x, y, g) => g.contains(document.elementFromPoint(x, y)),
      at.x,
      at.y,
      edge,
    );
    assert.ok(hit, `the middle of the wire (${at.x}, ${at.y}) is covered by another element`);
    await this.browser
      .action('pointer', { parameters: { pointerType: 'mouse' } })
      .move({ x: at.x, y: at.y, origin: 'viewport' })
      .down({ button: 0 })
      .up({ button: 0 })
      .perform();
    // React Flow marks the selected edge's wrapper (`rf__edge-<id>`).
    const wrapper = await this.byTestId(`rf__edge-wire:${from}->${to}`);
    await this.until(async () => /\bselected\b/.test(await wrapper.getAttribute('class')), 'the wire to be selected');
    await this.browser.keys('Delete');
    await this.until(async () => !(await this.wire(from, to).isExisting()), 'the wire to be removed');
  }

  /**
   * Drags a wire from one handle to another with real pointer input: press
   * on the first handle's centre, move a little (React Flow starts a
   * connection and the UI asks the checker for candidates), wait until the
   * canvas shows the candidates, then move in small steps onto the second
   * handle and release.
   */
  async dragWire(fromHandle, toHandle, { steps = 16, whileDragging = null } = {}) {
    const a = await this.centre(fromHandle);
    const b = await this.centre(toHandle);
    const pointer = () => this.browser.action('pointer', { parameters: { pointerType: 'mouse' } });
    await pointer()
      .move({ x: a.x, y: a.y, origin: 'viewport', duration: 0 })
      .down({ button: 0 })
      .pause(50)
      .move({ x: a.x + Math.sign(b.x - a.x) * 6, y: a.y + 3, origin: 'viewport', duration: 50 })
      .move({ x: a.x + Math.sign(b.x - a.x) * 14, y: a.y + 6, origin: 'viewport', duration: 50 })
      .perform(true);
    const canvas = await this.byTestId('canvas');
    await this.until(async () => /\bis-wiring\b/.test(await canvas.getAttribute('class')), 'the candidates of the drag');
    if (whileDragging) await whileDragging();
    const rest = pointer();
    const sx = a.x + Math.sign(b.x - a.x) * 14;
    const sy = a.y + 6;
    for (let i = 1; i <= steps; i++) {
      rest.move({
        x: Math.round(sx + ((b.x - sx) * i) / steps),
        y: Math.round(sy + ((b.y - sy) * i) / steps),
        origin: 'viewport',
        duration: 25,
      });
    }
    await rest.pause(100).up({ button: 0 }).perform(true);
    await this.browser.releaseActions();
  }

  /** The handle's drag mark while a drag is under way: origin, lit or dim. */
  async dragMark(handle) {
    const cls = await handle.getAttribute('class');
    return /-handle--(origin|lit|dim)\b/.exec(cls)?.[1] ?? '';
  }
}

function xpathString(s) {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `concat(${s.split('"').map((p) => `"${p}"`).join(`, '"', `)})`;
}

export { xpathString };
