/**
 * Plain text helpers shared by the panels: sizes, hashes, locations, and what
 * each remaining import of a composition gives the guest access to.
 */
import type { Location, ProjectDoc, RunTarget, TraceEntry, TypeShape } from '../store/backend';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

/** `sha256:0123456789ab…` → `sha256:0123456789ab`. */
export function shortHash(hash: string): string {
  const [algo, digest] = hash.includes(':') ? hash.split(':', 2) : ['', hash];
  const short = digest.slice(0, 12);
  return algo ? `${algo}:${short}` : short;
}

/** A duration in milliseconds, to about three significant digits:
 *  `83 µs`, `1.50 ms`, `12.3 ms`, `153 ms`, `2.04 s`. */
export function formatMillis(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatMicros(micros: number): string {
  return formatMillis(micros / 1000);
}

/** Where a problem sits, as people read it. */
export function locationText(location: Location): string {
  switch (location.kind) {
    case 'project':
      return 'project';
    case 'component':
      return location.nodes.length > 0
        ? `component ${location.component} (nodes ${location.nodes.join(', ')})`
        : `component ${location.component}`;
    case 'node':
      return `node ${location.node}`;
    case 'port':
      return `${location.node}.${location.port}`;
    case 'wire':
      return `wire #${location.index + 1} ${location.from} → ${location.to}`;
    case 'binding':
      return `binding ${location.selector}`;
    case 'export':
      return `export #${location.index + 1} ${location.name}`;
    case 'composite':
      return `composite ${location.composite}, ${locationText(location.inner)}`;
  }
}

/** Strips `@version` from an interface name: `wasi:cli/environment@0.2.6` → `wasi:cli/environment`. */
export function unversioned(name: string): string {
  const at = name.lastIndexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

const SURFACE: [RegExp, string][] = [
  [/^wasi:filesystem\//, 'file access: reads and writes files in the folders the host opens for it'],
  [/^wasi:cli\/environment$/, 'environment variables and command-line arguments'],
  [/^wasi:cli\/(stdin|terminal-stdin)$/, 'reads standard input'],
  [/^wasi:cli\/(stdout|stderr|terminal-stdout|terminal-stderr|terminal-output|terminal-input)$/, 'writes to the console'],
  [/^wasi:cli\/exit$/, 'can end the process with an exit code'],
  [/^wasi:sockets\//, 'network access: opens TCP/UDP sockets, resolves names'],
  [/^wasi:http\/outgoing-handler$/, 'network access: sends HTTP requests'],
  [/^wasi:http\/types$/, 'HTTP request and response types (used with HTTP access)'],
  [/^wasi:clocks\/wall-clock$/, 'reads the current date and time'],
  [/^wasi:clocks\/monotonic-clock$/, 'measures elapsed time and sleeps'],
  [/^wasi:random\//, 'random numbers'],
  [/^wasi:io\//, 'streams and polling (plumbing for the other WASI interfaces; no access by itself)'],
  [/^wasi:keyvalue\//, 'key-value storage'],
  [/^wasi:config\//, 'runtime configuration values'],
  [/^wasi:logging\//, 'writes log messages'],
];

/** What an import of the composed component gives a guest, in a few words. */
export function explainImport(name: string): string {
  const bare = unversioned(name);
  for (const [re, text] of SURFACE) {
    if (re.test(bare)) return text;
  }
  if (bare.startsWith('wasi:')) return 'a WASI interface the host must provide';
  if (!bare.includes(':')) return 'a function the host must provide';
  return 'a custom interface: whoever runs the component must provide it';
}

/**
 * The wire a traced call went over: the caller's import (`to`) fed by the
 * callee's export (`from`), matched on the interface named before `#`.
 * Falls back to any wire between the two nodes.
 */
export function wireIndexOf(doc: ProjectDoc, entry: TraceEntry): number {
  const hash = entry.function.indexOf('#');
  const port = hash >= 0 ? entry.function.slice(0, hash) : entry.function;
  const indices = doc.wires
    .map((_, i) => i)
    .filter((i) => doc.wires[i].to.node === entry.caller && doc.wires[i].from.node === entry.callee);
  const named = (i: number, name: string) => doc.wires[i].to.port === name || doc.wires[i].from.port === name;
  const exact = indices.find((i) => named(i, port));
  if (exact !== undefined) return exact;
  const loose = indices.find(
    (i) => unversioned(doc.wires[i].to.port) === unversioned(port) || unversioned(doc.wires[i].from.port) === unversioned(port),
  );
  if (loose !== undefined) return loose;
  return indices.length > 0 ? indices[0] : -1;
}

/** The result type of the function `call` calls (`handle-request("…")`),
 *  among the composition's run targets; null when none matches any more. */
export function resultShapeOf(targets: readonly RunTarget[], call: string): TypeShape | null {
  let best: RunTarget | null = null;
  for (const t of targets) {
    if (call.startsWith(`${t.callPrefix}(`) && (!best || t.callPrefix.length > best.callPrefix.length)) best = t;
  }
  return best?.function.resultShape ?? null;
}
