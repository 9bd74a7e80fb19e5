// A minimal W3C WebDriver client over HTTP (node:http), enough to drive
// the Patchbay desktop app through tauri-driver: start and end a session (which
// starts and stops the app), run scripts in the page, pointer actions, and the
// page's screenshot. No dependencies, so that timing a new session measures the
// driver and the app, not a client library's set-up.

import { spawn } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';

/** An error the WebDriver endpoint answered with (or a transport failure). */
export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const detail = value && typeof value === 'object' ? `${value.error}: ${value.message}` : String(value);
    super(`${method} ${path} -> ${status}: ${detail}`);
    this.status = status;
    this.value = value;
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `tauri-driver` on two free ports and waits until it answers
 * `/status`. `env` is the environment of tauri-driver and so of
 * WebKitWebDriver and the app it launches. Stop it with `stop()` (SIGTERM:
 * tauri-driver then ends WebKitWebDriver too).
 */
export async function startTauriDriver({ bin = 'tauri-driver', env = process.env, log = null } = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const child = spawn(bin, ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    stdio: ['ignore', log ?? 'ignore', log ?? 'ignore'],
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`tauri-driver exited at start (${JSON.stringify(exited)})`);
    try {
      await request(base, 'GET', '/status');
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`tauri-driver did not answer on ${base}: ${e.message}`);
      }
      await sleep(50);
    }
  }
  return {
    base,
    pid: child.pid,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(10_000)]);
    },
  };
}

/** One WebDriver session: one running app. */
export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /**
   * Starts the app (tauri-driver launches `application` with `args`) and
   * returns the session once WebKitWebDriver has attached to it.
   */
  static async start(base, application, args = []) {
    const value = await request(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'wry',
          'tauri:options': { application, args },
        },
      },
    });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  /** Runs `fn` (a function or its source) in the page with `args`. */
  execute(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments);`, args });
  }

  /** Runs async `fn` in the page; its promise's value is the answer. */
  executeAsync(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
        .then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`;
    return this.cmd('POST', '/execute/async', { script, args }).then((v) => {
      if (v && 'err' in v) throw new Error(`in the page: ${v.err}`);
      return v?.ok;
    });
  }

  /** The first element matching CSS `selector`, or null. */
  async find(selector) {
    const all = await this.cmd('POST', '/elements', { using: 'css selector', value: selector });
    return all.length ? all[0] : null;
  }

  /** Clicks an element (centre, after scrolling it into view). */
  click(element) {
    return this.cmd('POST', `/element/${elementId(element)}/click`, {});
  }

  clear(element) {
    return this.cmd('POST', `/element/${elementId(element)}/clear`, {});
  }

  /** Types `text` into an element, as key presses. */
  type(element, text) {
    return this.cmd('POST', `/element/${elementId(element)}/value`, { text });
  }

  setTimeouts(timeouts) {
    return this.cmd('POST', '/timeouts', timeouts);
  }

  /** Performs W3C actions (`[{type, id, parameters, actions}]`). */
  async actions(sources) {
    await this.cmd('POST', '/actions', { actions: sources });
    await this.cmd('DELETE', '/actions');
  }

  /** Presses and releases keys (strings; WebDriver key codes like '\uE007' for Enter). */
  keys(text) {
    const actions = [];
    for (const ch of text) actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch });
    return this.actions([{ type: 'key', id: 'keyboard', actions }]);
  }

  /** The page as PNG bytes. */
  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  /** Ends the session, which closes the app. */
  async end() {
    await request(this.base, 'DELETE', `/session/${this.id}`);
  }
}

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** The id inside a web element reference. */
function elementId(element) {
  const id = element?.[ELEMENT_KEY];
  if (!id) throw new Error(`not a web element reference: ${JSON.stringify(element)}`);
  return id;
}

/** A mouse pointer action source from a list of steps. */
export function mouse(steps) {
  return { type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: steps };
}

/** Waits until `check()` returns something truthy (polled), or fails naming `what`. */
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
