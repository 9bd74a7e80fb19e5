// What a driver does with the app's page, in the words of a person using
// it: find by test id, role and text; open tabs; wait for the project and
// its analysis; drag wires with real pointer input. Used by the end-to-end
// tests (tests/e2e/lib/app.js) and the screenshot script.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { xpathString } from './browser.js';
import { until } from './webdriver.js';

/** How long a condition may take to become true. */
export const WAIT_MS = 30_000;

/** The node ids of a project's patchbay.toml, and whether it has wires. */
async function graphOf(project) {
  if (!project) return { ids: [], wired: false };
  const toml = await readFile(path.join(project, 'patchbay.toml'), 'utf8');
  // Node ids hold no dots: `[nodes.ID.position]` is a sub-table, not a node.
  const ids = [...toml.matchAll(/^\[nodes\.(?:"([^"]+)"|([^\].\s]+))\]/gm)].map((m) => m[1] ?? m[2]);
  return { ids, wired: /^\[\[wires\]\]/m.test(toml) };
}

/** What the tests do with the app: find by test id, role and text; drag. */
export class App {
  /** `browser`: the launched app's Browser (browser.js); `project`: the
   * folder it was started on. */
  constructor(browser, project = null) {
    this.browser = browser;
    this.project = project;
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

  /** Waits until `condition()` is truthy and returns it; the message says what for. */
  until(condition, what, timeout = WAIT_MS) {
    return until(condition, what, { timeout, interval: 100 });
  }

  /**
   * Waits until the canvas shows the project's nodes (each `[nodes.<id>]` of
   * its patchbay.toml, and a wire when it has some) and the first analysis
   * is shown (the first one compiles every component, hence the longer wait).
   */
  async waitForProject(timeout = 2 * WAIT_MS) {
    const { ids, wired } = await graphOf(this.project);
    await this.until(() => this.browser.execute((i, w) => pb.graphShown(i, w), ids, wired), `the nodes ${ids.join(', ')}`, timeout);
    return this.until(() => this.browser.execute(() => pb.analysisShown()), 'the first analysis', timeout);
  }

  async problemsText() {
    const panel = await this.region('Problems');
    return (await panel.isExisting()) ? (await panel.getText()).replace(/\s+/g, ' ').trim() : '';
  }

  async statusText() {
    return (await this.byTestId('status-line').getText()).replace(/\s+/g, ' ').trim();
  }

  /** The number of the run shown under "Last run" (0 before the first). */
  async lastRunNumber() {
    const region = this.region('Last run');
    if (!(await region.isExisting())) return 0;
    const m = /run #(\d+)/.exec(await region.getText());
    return m ? Number(m[1]) : 0;
  }

  /**
   * Runs the selected export from the Run panel as a person would: types
   * each of `fields` (an argument's name → its text) into the argument's
   * input, waits for the call text to read `call` when given, clicks Run,
   * and returns the "Last run" region once this run is shown there.
   */
  async runCall(fields, { call = null, timeout = 2 * WAIT_MS } = {}) {
    await this.openTab('Run');
    const panel = this.region('Run');
    for (const [name, text] of Object.entries(fields)) {
      const field = panel.$(`input[aria-label=${JSON.stringify(name)}]`);
      await field.waitForDisplayed({ timeout: WAIT_MS });
      await field.click();
      await field.clearValue();
      await field.setValue(text);
    }
    if (call) {
      const callText = panel.$('output[aria-label="Call text"]');
      await this.until(async () => (await callText.getText()).trim() === call, `the call text ${call}`);
    }
    const before = await this.lastRunNumber();
    const button = await this.button('Run', panel);
    await this.until(() => button.isEnabled(), 'the Run button to be enabled');
    await button.click();
    await this.until(async () => (await this.lastRunNumber()) > before, `the run${call ? ` of ${call}` : ''} to finish`, timeout);
    return this.region('Last run');
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

export { xpathString };
