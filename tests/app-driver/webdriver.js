// A minimal W3C WebDriver client over HTTP (node:http), enough to drive
// the Patchbay desktop app through tauri-driver: start and end a session (which
// starts and stops the app), run scripts in the page, find elements and act
// on them, pointer and key actions, and the page's screenshot. No
// dependencies, so that timing a new session measures the driver and the
// app, not a client library's set-up. `browser.js` builds the tests'
// element API on it; `launch.js` starts the display and the driver.

import http from 'node:http';

/** An error the WebDriver endpoint answered with (or a transport failure). */
export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const detail = value && typeof value === 'object' ? `${value.error}: ${value.message}` : String(value);
    super(`${method} ${path} -> ${status}: ${detail}`);
    this.status = status;
    this.value = value;
    /** The W3C error code (`no such element`, `stale element reference` …), if any. */
    this.code = value && typeof value === 'object' ? value.error : undefined;
  }
}

/**
 * One WebDriver command. Plain node:http rather than fetch, so the wait has
 * our own bound: a script may run up to its 120 s timeout, and a driver that
 * stops answering fails the command after REQUEST_MS instead of hanging the
 * whole run.
 */
const REQUEST_MS = 180_000;
function request(base, method, path, body) {
  const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      {
        method,
        headers: payload ? { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            reject(new WebDriverError(method, path, res.statusCode, text.slice(0, 500)));
            return;
          }
          if (res.statusCode >= 400 || (json.value && json.value.error)) {
            reject(new WebDriverError(method, path, res.statusCode, json.value));
          } else {
            resolve(json.value);
          }
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(REQUEST_MS, () =>
      req.destroy(new Error(`WebDriver ${method} ${path}: no answer within ${REQUEST_MS / 1000} s`)),
    );
    if (payload) req.write(payload);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The key of a web element reference in W3C answers and arguments. */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** One WebDriver session: one running app. */
export class Session {
  /**
   * `prelude` is script text put before every script this session runs in
   * the page (the in-page helpers of `page.js`, as `pb`).
   */
  constructor(base, id, { prelude = '' } = {}) {
    this.base = base;
    this.id = id;
    this.prelude = prelude;
  }

  /**
   * Starts the app (tauri-driver launches `application` with `args`) and
   * returns the session once WebKitWebDriver has attached to it.
   */
  static async start(base, application, args = [], options = {}) {
    const value = await request(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'wry',
          'tauri:options': { application, args },
        },
      },
    });
    return new Session(base, value.sessionId, options);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  /** Runs `fn` (a function or its source) in the page with `args`; a
   * promise it returns is awaited by the driver. */
  execute(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: `${this.prelude}return (${fn}).apply(null, arguments);`, args });
  }

  /** Runs async `fn` in the page and waits for its promise's value (through
   * the asynchronous script command, so the script timeout applies). */
  evaluate(fn, ...args) {
    const script = `${this.prelude}const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
        .then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`;
    return this.cmd('POST', '/execute/async', { script, args }).then((v) => {
      if (v && 'err' in v) throw new Error(`in the page: ${v.err}`);
      return v?.ok;
    });
  }

  /** Every element matching `selector` (CSS, or XPath when `using` says
   * so), below the element reference `within` if given. */
  findAll(selector, { using = 'css selector', within = null } = {}) {
    const from = within ? `/element/${elementId(within)}` : '';
    return this.cmd('POST', `${from}/elements`, { using, value: selector });
  }

  /** The first element matching CSS `selector`, or null. */
  async find(selector) {
    const all = await this.findAll(selector);
    return all.length ? all[0] : null;
  }

  /** A command on one element: `elementCmd(el, 'GET', '/text')`. */
  elementCmd(element, method, path, body) {
    return this.cmd(method, `/element/${elementId(element)}${path}`, body);
  }

  /** Clicks an element (centre, after scrolling it into view). */
  click(element) {
    return this.elementCmd(element, 'POST', '/click', {});
  }

  clear(element) {
    return this.elementCmd(element, 'POST', '/clear', {});
  }

  /** Types `text` into an element, as key presses. */
  type(element, text) {
    return this.elementCmd(element, 'POST', '/value', { text });
  }

  setTimeouts(timeouts) {
    return this.cmd('POST', '/timeouts', timeouts);
  }

  /** Performs W3C action sources (`[{type, id, parameters, actions}]`),
   * then releases what is still pressed unless `keepPressed`. */
  async actions(sources, { keepPressed = false } = {}) {
    await this.cmd('POST', '/actions', { actions: sources });
    if (!keepPressed) await this.releaseActions();
  }

  releaseActions() {
    return this.cmd('DELETE', '/actions');
  }

  /** Presses and releases keys (strings; WebDriver key codes like '\uE007' for Enter). */
  keys(text) {
    const actions = [];
    for (const ch of text) actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch });
    return this.actions([{ type: 'key', id: 'keyboard', actions }]);
  }

  /**
   * The page as PNG bytes. WebKitWebDriver answers after the page's next
   * presentation update, which a page idle for a few seconds does not make
   * (the request then hangs): so the page is nudged meanwhile, its opacity
   * flipped between 1 and 0.999 every frame, and put back after.
   */
  async screenshot() {
    const nudge = (on) => {
      const root = document.documentElement;
      window.__pbNudge = on;
      const flip = () => {
        if (!window.__pbNudge) return;
        root.style.opacity = root.style.opacity === '0.999' ? '1' : '0.999';
        requestAnimationFrame(flip);
      };
      if (on) requestAnimationFrame(flip);
      else root.style.opacity = '';
    };
    await this.execute(nudge, true).catch(() => {});
    try {
      return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
    } finally {
      await this.execute(nudge, false).catch(() => {});
    }
  }

  /** Ends the session, which closes the app. */
  async end() {
    await request(this.base, 'DELETE', `/session/${this.id}`);
  }
}

/** GET `path` of a WebDriver endpoint without a session (`/status`). */
export function endpoint(base, path) {
  return request(base, 'GET', path);
}

/** The id inside a web element reference. */
export function elementId(element) {
  const id = element?.[ELEMENT_KEY];
  if (!id) throw new Error(`not a web element reference: ${JSON.stringify(element)}`);
  return id;
}

/** Whether `value` is a web element reference. */
export const isElementRef = (value) => !!value && typeof value === 'object' && typeof value[ELEMENT_KEY] === 'string';

/** A mouse pointer action source from a list of steps. */
export function mouse(steps) {
  return { type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: steps };
}

/** Waits until `check()` returns something truthy (polled) and returns it,
 * or fails naming `what`; an error thrown by `check` counts as not yet. */
export async function until(check, what, { timeout = 60_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(interval);
  }
}

export { sleep };
