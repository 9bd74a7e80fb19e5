// The element API the end-to-end tests and the screenshot script drive the
// app with, on the plain client of webdriver.js. It follows webdriverio's
// names and behaviour for what the tests use (the suite was written against
// webdriverio, which this replaces), so a test reads as before:
//
//   const panel = app.browser.$('section[aria-label="Run"]');
//   await panel.$('input[aria-label="req"]').setValue('get greeting');
//   const texts = await panel.$$('li').map((li) => li.getText());
//
// `$(selector)` returns an element at once, found when a command first
// needs it (waiting up to FIND_MS for it to exist, as webdriverio does) and
// found again when the page replaced it. Selectors are CSS, XPath when
// they start with `/`, `(`, `./` or `../`, or webdriverio's `tag=text` and
// `tag*=text` (by the element's text). `$$` gives a promise of elements
// that also has `map`, `filter`, `find` and `forEach`. Element references
// passed to and returned from `execute` are elements.

import { writeFile } from 'node:fs/promises';
import { ELEMENT_KEY, WebDriverError, isElementRef, sleep, until } from './webdriver.js';

/** How long a command waits for its element to exist (webdriverio's waitforTimeout). */
export const FIND_MS = 5_000;

/** WebDriver's codes for named keys (webdriverio's names), for `keys` and key actions. */
export const KEY = {
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Ctrl: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  Space: '\uE00D',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Insert: '\uE016',
  Delete: '\uE017',
  Meta: '\uE03D',
  Command: '\uE03D',
};

/** A key name (`'Delete'`) as its code, or a text as its characters. */
function keyCodes(value) {
  return Object.hasOwn(KEY, value) ? [KEY[value]] : [...value];
}

/** How WebDriver finds `selector`: `[using, value]`. */
function strategy(selector) {
  if (/^(\/|\(|\.\.?\/)/.test(selector)) return ['xpath', selector];
  // webdriverio's text selectors: `button=Save` (the whole text, white
  // space folded), `button*=Sav` (part of it); no tag means a link.
  const text = /^([a-z][a-z0-9-]*)?(\*?)=(.+)$/is.exec(selector);
  if (text) {
    const [, tag = 'a', partial, want] = text;
    const test = partial ? `contains(normalize-space(.), ${xpathString(want)})` : `normalize-space(.) = ${xpathString(want)}`;
    return ['xpath', `.//${tag}[${test}]`];
  }
  return ['css selector', selector];
}

/** `s` as an XPath string literal. */
export function xpathString(s) {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `concat(${s.split('"').map((p) => `"${p}"`).join(`, '"', `)})`;
}

const gone = (e) => e instanceof WebDriverError && (e.code === 'no such element' || e.code === 'stale element reference');

/** A promise of elements with webdriverio's array helpers (each awaits `fn` in turn). */
function elementList(promise) {
  const each = async (fn) => {
    const els = await promise;
    const out = [];
    for (let i = 0; i < els.length; i++) out.push(await fn(els[i], i));
    return [els, out];
  };
  return Object.assign(promise, {
    map: async (fn) => (await each(fn))[1],
    filter: async (fn) => {
      const [els, keep] = await each(fn);
      return els.filter((_, i) => keep[i]);
    },
    find: async (fn) => {
      const [els, hit] = await each(fn);
      return els[hit.findIndex(Boolean)];
    },
    forEach: async (fn) => {
      await each(fn);
    },
  });
}

/** What finds elements: the browser (the whole page) or an element. */
class Scope {
  constructor(browser) {
    this.browser = browser;
  }

  /** The reference to search below, or null for the page. */
  async scopeRef() {
    return null;
  }

  /** The first element matching `selector` (found when first used). */
  $(selector) {
    return new Element(this.browser, selector, async () => (await this.#findAll(selector))[0] ?? null);
  }

  /** Every element matching `selector`, now. */
  $$(selector) {
    return elementList(
      this.#findAll(selector).then((refs) =>
        refs.map((ref, i) => new Element(this.browser, selector, async () => (await this.#findAll(selector))[i] ?? null, ref)),
      ),
    );
  }

  async #findAll(selector) {
    const [using, value] = strategy(selector);
    return this.browser.session.findAll(value, { using, within: await this.scopeRef() });
  }
}

/** One element of the page; see the top of this file. */
export class Element extends Scope {
  #ref;
  #locate;

  /** `locate()` finds the element (a reference or null) without waiting;
   * null for an element that cannot be found again (one from `execute`). */
  constructor(browser, selector, locate, ref = null) {
    super(browser);
    this.selector = selector;
    this.#locate = locate;
    this.#ref = ref;
  }

  async scopeRef() {
    return this.ref();
  }

  /** The web element reference, found (waiting up to `wait` ms) if need be. */
  async ref(wait = FIND_MS) {
    if (this.#ref) return this.#ref;
    if (!this.#locate) throw new Error('the element is gone from the page');
    const deadline = Date.now() + wait;
    for (;;) {
      let found = null;
      try {
        found = await this.#locate();
      } catch (e) {
        // The element to search within is not there (yet).
        if (!gone(e) && !/^no element /.test(e.message)) throw e;
      }
      if (found) {
        this.#ref = found;
        return found;
      }
      if (Date.now() >= deadline) throw new Error(`no element ${JSON.stringify(this.selector)}${wait ? ` after ${wait} ms` : ''}`);
      await sleep(100);
    }
  }

  /** Runs `command(ref)`, finding the element again once if the page replaced it. */
  async #run(command) {
    try {
      return await command(await this.ref());
    } catch (e) {
      if (!gone(e) || !this.#locate) throw e;
      this.#ref = null;
      return command(await this.ref());
    }
  }

  #cmd(method, path, body) {
    return this.#run((ref) => this.browser.session.elementCmd(ref, method, path, body));
  }

  /** Whether a matching element is in the page now (no waiting). */
  async isExisting() {
    if (!this.#locate) return this.#cmd('GET', '/name').then(() => true, () => false);
    this.#ref = null;
    try {
      await this.ref(0);
      return true;
    } catch (e) {
      if (/^no element /.test(e.message)) return false;
      throw e;
    }
  }

  /** Whether the element exists and is visible (`checkVisibility`, as webdriverio). */
  async isDisplayed() {
    if (!(await this.isExisting())) return false;
    try {
      const shown = await this.#run((ref) =>
        this.browser.session.execute(
          (el) =>
            typeof el.checkVisibility === 'function'
              ? el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })
              : null,
          ref,
        ),
      );
      return shown ?? (await this.#cmd('GET', '/displayed'));
    } catch (e) {
      if (gone(e)) return false;
      throw e;
    }
  }

  isEnabled() {
    return this.#cmd('GET', '/enabled');
  }

  isSelected() {
    return this.#cmd('GET', '/selected');
  }

  /** Displayed, enabled, and what a click at its centre would hit. */
  async isClickable() {
    if (!(await this.isDisplayed()) || !(await this.isEnabled())) return false;
    return this.#run((ref) =>
      this.browser.session.execute((el) => {
        el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        const b = el.getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return !!hit && (hit === el || el.contains(hit));
      }, ref),
    );
  }

  click() {
    return this.#cmd('POST', '/click', {});
  }

  /** The rendered text (WebDriver's, like `innerText`). */
  getText() {
    return this.#cmd('GET', '/text');
  }

  getAttribute(name) {
    return this.#cmd('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  getProperty(name) {
    return this.#cmd('GET', `/property/${encodeURIComponent(name)}`);
  }

  getValue() {
    return this.getProperty('value');
  }

  getTagName() {
    return this.#cmd('GET', '/name');
  }

  /** `{x, y, width, height}` in CSS pixels of the page. */
  getRect() {
    return this.#cmd('GET', '/rect');
  }

  async getLocation() {
    const { x, y } = await this.getRect();
    return { x, y };
  }

  async getSize() {
    const { width, height } = await this.getRect();
    return { width, height };
  }

  /** The computed value of a CSS property; colours come parsed as
   * webdriverio gives them: `{value, parsed: {hex, alpha, rgba, type}}`. */
  async getCSSProperty(name) {
    const raw = await this.#cmd('GET', `/css/${encodeURIComponent(name)}`);
    return { property: name, value: raw, parsed: parseCss(raw) };
  }

  clearValue() {
    return this.#cmd('POST', '/clear', {});
  }

  /** Types `value` after what the field holds. */
  addValue(value) {
    return this.#cmd('POST', '/value', { text: String(value) });
  }

  /** Clears the field, then types `value`. */
  async setValue(value) {
    await this.clearValue();
    await this.addValue(value);
  }

  scrollIntoView(options = { block: 'center', inline: 'center' }) {
    return this.#run((ref) => this.browser.session.execute((el, o) => el.scrollIntoView(o), ref, options));
  }

  #waitFor(check, what, { timeout = FIND_MS, reverse = false, interval = 100, timeoutMsg } = {}) {
    const name = `${JSON.stringify(this.selector)} ${reverse ? 'not ' : ''}to be ${what}`;
    return until(async () => (await check()) !== reverse, name, { timeout, interval }).then(
      () => true,
      (e) => {
        throw new Error(timeoutMsg ?? e.message);
      },
    );
  }

  waitForExist(options) {
    return this.#waitFor(() => this.isExisting(), 'in the page', options);
  }

  waitForDisplayed(options) {
    return this.#waitFor(() => this.isDisplayed(), 'displayed', options);
  }

  waitForEnabled(options) {
    return this.#waitFor(async () => (await this.isExisting()) && (await this.isEnabled()), 'enabled', options);
  }

  waitForClickable(options) {
    return this.#waitFor(() => this.isClickable(), 'clickable', options);
  }

  waitUntil(condition, options) {
    return this.browser.waitUntil(condition, options);
  }
}

/** A colour as webdriverio parses it; other values as their text. */
function parseCss(value) {
  const m = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)(?:[,\s/]+([\d.]+))?\s*\)$/.exec(String(value).trim());
  if (!m) return { type: 'string', value };
  const [r, g, b] = [m[1], m[2], m[3]].map(Number);
  const alpha = m[4] === undefined ? 1 : Number(m[4]);
  const hex = `#${[r, g, b].map((n) => n.toString(16).padStart(2, '0')).join('')}`;
  return { type: 'color', hex, alpha, rgba: `rgba(${r},${g},${b},${alpha})` };
}

/** A W3C action sequence for one input source, built step by step. */
class Action {
  constructor(browser, type, id, parameters) {
    this.browser = browser;
    this.source = { type, id, ...(parameters ? { parameters } : {}), actions: [] };
  }

  #push(step) {
    this.source.actions.push(step);
    return this;
  }

  pause(duration) {
    return this.#push({ type: 'pause', duration });
  }

  /** Pointer: move to `{x, y}` relative to `origin` ('viewport', 'pointer' or an element). */
  move({ x = 0, y = 0, duration = 100, origin = 'viewport' } = {}) {
    return this.#push({ type: 'pointerMove', x, y, duration, origin });
  }

  /** Pointer: press a button (0 = left); key: press a key. */
  down(arg = {}) {
    if (this.source.type === 'key') return this.#push({ type: 'keyDown', value: keyCodes(arg)[0] });
    return this.#push({ type: 'pointerDown', button: typeof arg === 'number' ? arg : (arg.button ?? 0) });
  }

  up(arg = {}) {
    if (this.source.type === 'key') return this.#push({ type: 'keyUp', value: keyCodes(arg)[0] });
    return this.#push({ type: 'pointerUp', button: typeof arg === 'number' ? arg : (arg.button ?? 0) });
  }

  /** Performs the sequence, then releases what is pressed unless `keepPressed`. */
  async perform(keepPressed = false) {
    const actions = [];
    for (const step of this.source.actions) {
      actions.push(step.origin instanceof Element ? { ...step, origin: await step.origin.ref() } : step);
    }
    await this.browser.session.actions([{ ...this.source, actions }], { keepPressed });
  }
}

/** The app's page as a whole: what `app.browser` is. */
export class Browser extends Scope {
  /** `session`: a webdriver.js Session. */
  constructor(session) {
    super(null);
    this.browser = this;
    this.session = session;
  }

  /** Runs `fn` in the page with `args` (elements may be passed and returned). */
  async execute(fn, ...args) {
    const refs = [];
    for (const a of args) refs.push(a instanceof Element ? await a.ref() : a);
    return this.#elements(await this.session.execute(fn, ...refs));
  }

  #elements(value) {
    if (isElementRef(value)) return new Element(this, '(from a script)', null, { [ELEMENT_KEY]: value[ELEMENT_KEY] });
    if (Array.isArray(value)) return value.map((v) => this.#elements(v));
    return value;
  }

  /** A pointer (`'pointer'`) or key (`'key'`) action sequence to build and `perform()`. */
  action(type, { parameters } = {}) {
    if (type === 'pointer') return new Action(this, 'pointer', 'mouse', parameters ?? { pointerType: 'mouse' });
    if (type === 'key') return new Action(this, 'key', 'keyboard');
    throw new Error(`no ${type} actions here: 'pointer' or 'key'`);
  }

  releaseActions() {
    return this.session.releaseActions();
  }

  /** Presses keys together, then releases them (`'Delete'`, `['Control', 'e']`, or text). */
  keys(value) {
    const codes = (Array.isArray(value) ? value : [value]).flatMap(keyCodes);
    const key = this.action('key');
    for (const c of codes) key.down(c);
    key.pause(10);
    for (const c of codes) key.up(c);
    return key.perform(true);
  }

  pause(ms) {
    return sleep(ms);
  }

  /** Waits until `condition()` is truthy and returns it (webdriverio's options). */
  waitUntil(condition, { timeout = FIND_MS, interval = 100, timeoutMsg } = {}) {
    return until(condition, 'a condition', { timeout, interval }).catch((e) => {
      const last = / \(last error: .*\)$/s.exec(e.message)?.[0] ?? '';
      throw new Error(timeoutMsg ? `${timeoutMsg}${last}` : e.message);
    });
  }

  /** The page as base64 PNG. */
  async takeScreenshot() {
    return (await this.session.screenshot()).toString('base64');
  }

  async saveScreenshot(file) {
    await writeFile(file, await this.session.screenshot());
  }

  getTitle() {
    return this.session.cmd('GET', '/title');
  }

  getUrl() {
    return this.session.cmd('GET', '/url');
  }

  getWindowRect() {
    return this.session.cmd('GET', '/window/rect');
  }

  setWindowRect(x, y, width, height) {
    return this.session.cmd('POST', '/window/rect', { x, y, width, height });
  }

  setWindowSize(width, height) {
    return this.session.cmd('POST', '/window/rect', { width, height });
  }

  /** Ends the session (closes the app). */
  deleteSession() {
    return this.session.end();
  }
}
