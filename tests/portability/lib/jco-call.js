// One call of a jco-transpiled component, in its own node process (spawned
// by jcoCall in tools.js), so that every call gets a fresh instance, as
// `wasmtime run --invoke` and `patchbay call` give it. jco itself keeps one
// instance per imported module for the life of the process.
//
// argv[2] is JSON: {module, instance, fn, args, returnsResult, env, preopens}
//   module     absolute path of the transpiled .js
//   instance   the exported instance's name, or null for a root function
//   fn         the WIT function name (kebab-case)
//   args       typed arguments (values.js)
//   env        the environment the guest sees (wasi:cli/environment)
//   preopens   {guestPath: hostPath}, the only folders the guest sees
// The outcome is the last stdout line, after RESULT_MARK, as JSON:
//   {kind: 'ok', wave}          the function returned (WAVE text; a
//                               result<T, E> that returned is ok(T))
//   {kind: 'err', wave}         a result<T, E> export returned err(E)
//   {kind: 'trap', message, stack}
// Guest output goes to this process's stdout and stderr, as under wasmtime.
import { pathToFileURL } from 'node:url';
import { _setEnv } from '@bytecodealliance/preview2-shim/cli';
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { RESULT_MARK } from './mark.js';
import { camel, jsToWave, toJs } from './values.js';

const req = JSON.parse(process.argv[2]);
// Closed by default: the shim otherwise hands the guest the whole host
// environment and the host's root folder.
_setEnv(req.env ?? {});
_setPreopens(req.preopens ?? {});

const report = (outcome) => process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(outcome)}\n`);

const mod = await import(pathToFileURL(req.module).href);
const target = req.instance === null ? mod : mod[camel(req.instance)];
if (!target) throw new Error(`${req.module} exports no instance ${req.instance}`);
const fn = target[camel(req.fn)];
if (typeof fn !== 'function') throw new Error(`${req.module}: no function ${req.fn} in ${req.instance ?? 'the root'}`);

// A function without results prints as `()` under `patchbay call` and
// `wasmtime run --invoke`.
const wrapOk = (wave) => (req.returnsResult ? (wave === undefined ? 'ok' : `ok(${wave})`) : (wave ?? '()'));
try {
  const value = fn(...req.args.map(toJs));
  report({ kind: 'ok', wave: wrapOk(value === undefined ? undefined : jsToWave(value)) });
} catch (e) {
  // jco throws a ComponentError carrying the payload of an err result; a
  // trap is a WebAssembly.RuntimeError, whose stack names the core
  // functions on it (from the name section).
  if (req.returnsResult && e && e.constructor && e.constructor.name === 'ComponentError') {
    report({ kind: 'err', wave: e.payload === undefined ? 'err' : `err(${jsToWave(e.payload)})` });
  } else {
    report({ kind: 'trap', message: String(e && e.message), stack: String(e && e.stack) });
  }
}
