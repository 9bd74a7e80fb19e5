// The one door between the editor and the Rust core.
//
// Types and commands follow the IPC contract (crates/patchbay-api). Until the
// generated bindings (ui/src/bindings/) exist, they are declared here from the
// contract; the store and its tests import only from this module, so switching
// to the generated files is a change in one place.
//
// Transport: inside Tauri, `invoke('<snake_name>', { request })` and the
// `patchbay://event` event; in a plain browser, POST `/api/<snake_name>` and
// server-sent events from `GET /api/events` (the `patchbay-api-http` dev
// server, proxied by Vite).

import { invoke, isTauri } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

export type PortAddr = { node: string; port: string };
export type ProjectDoc = {
  name: string;
  components: ComponentEntry[];
  nodes: NodeEntry[];
  wires: WireEntry[];
  exports: ExportEntry[];
  bindings: BindingEntry[];
};
export type ComponentEntry = { id: string; path: string; build: string | null; watch: string[]; hash: string | null };
export type NodeEntry = { id: string; component: string; x: number; y: number };
export type WireEntry = { from: PortAddr; to: PortAddr };
export type ExportEntry = { from: PortAddr; name: string | null };
export type BindingEntry = { selector: string; binding: Binding };
export type Binding =
  | { mode: 'leave' }
  | { mode: 'deny' }
  | ({ mode: 'grant' } & Grant)
  | ({ mode: 'mock' } & Mock);
export type Grant = {
  env: string[];
  dirs: DirGrant[];
  allow: string[];
  clock: ClockSetting | null;
  random: RandomSetting | null;
};
export type DirGrant = { host: string; guest: string; writable: boolean };
export type ClockSetting = { kind: 'real' } | { kind: 'fixed'; unixMs: number };
export type RandomSetting = { kind: 'real' } | { kind: 'seeded'; seed: number };
export type Mock = { fake: FakeName | null; functions: MockFunction[]; values: KeyValue[]; responses: KeyValue[] };
export type KeyValue = { key: string; value: string };
export type MockFunction = { name: string; behavior: MockBehavior };
export type MockBehavior =
  | { kind: 'returns'; value: string }
  | { kind: 'sequence'; values: string[] }
  | { kind: 'match'; cases: MockCase[]; otherwise: string | null }
  | { kind: 'trap'; message: string };
export type MockCase = { args: string; returns: string };
export type FakeName = 'kv' | 'log' | 'config' | 'clock' | 'random' | 'http';
export type BindingMode = 'leave' | 'grant' | 'mock' | 'deny';

export type ComponentView = {
  id: string;
  path: string;
  absPath: string;
  size: number;
  hash: string | null;
  info: ComponentInfo | null;
  error: string | null;
};
export type ComponentInfo = { imports: PortInfo[]; exports: PortInfo[]; wit: string };
export type PortInfo = {
  name: string;
  kind: 'interface' | 'function';
  package: string | null;
  interface: string | null;
  version: string | null;
  functions: FunctionInfo[];
  types: TypeInfo[];
  typesOnly: boolean;
};
export type FunctionInfo = {
  name: string;
  kind: string;
  resource: string | null;
  params: ParamInfo[];
  result: string | null;
  resultShape: TypeShape | null;
  signature: string;
};
export type ParamInfo = { name: string; ty: string; shape: TypeShape };
export type TypeInfo = { name: string; kind: string; members: MemberInfo[]; target: string | null };
export type MemberInfo = { name: string; ty: string | null };
export type TypeShape =
  | {
      kind: 'primitive';
      name: 'bool' | 's8' | 's16' | 's32' | 's64' | 'u8' | 'u16' | 'u32' | 'u64' | 'f32' | 'f64' | 'char' | 'string';
    }
  | { kind: 'list'; of: TypeShape }
  | { kind: 'option'; of: TypeShape }
  | { kind: 'result'; ok: TypeShape | null; err: TypeShape | null }
  | { kind: 'tuple'; items: TypeShape[] }
  | { kind: 'record'; name: string | null; fields: { name: string; shape: TypeShape }[] }
  | { kind: 'variant'; name: string | null; cases: { name: string; shape: TypeShape | null }[] }
  | { kind: 'enum'; name: string | null; cases: string[] }
  | { kind: 'flags'; name: string | null; flags: string[] }
  | { kind: 'handle'; name: string | null; borrow: boolean }
  | { kind: 'unsupported'; wit: string };

export type Problem = { severity: 'error' | 'warning'; code: string; message: string; location: Location };
export type Location =
  | { kind: 'project' }
  | { kind: 'component'; component: string; nodes: string[] }
  | { kind: 'node'; node: string }
  | { kind: 'port'; node: string; port: string }
  | { kind: 'wire'; index: number; from: string; to: string }
  | { kind: 'binding'; selector: string }
  | { kind: 'export'; index: number; name: string };
export type ImportState = {
  node: string;
  port: string;
  wired: boolean;
  selector: string | null;
  mode: 'leave' | 'grant' | 'mock' | 'deny' | 'wired';
};
export type Analysis = { problems: Problem[]; imports: ImportState[]; composed: ComposedSummary | null; millis: number };
export type ComposedSummary = {
  size: number;
  hash: string;
  imports: string[];
  wit: string;
  wac: string;
  info: ComponentInfo | null;
  runTargets: RunTarget[];
};
export type RunTarget = { export: string; function: FunctionInfo; callPrefix: string };

export type Candidates = { direction: 'import' | 'export'; ports: PortAddr[] };
export type Verdict = { ok: boolean; reason: string | null };
export type FakeView = { name: FakeName; title: string; description: string };
export type ServeInfo = { url: string; node: string };
export type Saved = { path: string };
export type ExportPreview = {
  surface: string[];
  dir: string;
  wasm: string;
  wac: string;
  wit: string;
  size: number;
  witText: string;
  wacText: string;
};
export type Exported = { wasm: string; wac: string; wit: string; size: number };
export type OpenedProject = {
  path: string;
  dir: string;
  doc: ProjectDoc;
  components: ComponentView[];
  analysis: Analysis;
  recovery: ProjectDoc | null;
};
export type RunLimits = { timeoutMs: number; maxMemoryMib: number; fuel: number | null; maxOutputKib: number };
export type RunReport = {
  run: number;
  call: string;
  mode: string;
  modeReason: string;
  ok: boolean;
  result: string | null;
  failure: RunFailure | null;
  stdout: string;
  stderr: string;
  mockCalls: MockCall[];
  denials: Denial[];
  trace: TraceEntry[];
  refusedRequests: string[];
  micros: number;
  limits: RunLimits;
};
export type RunFailure = {
  kind: 'bad-call' | 'instantiate' | 'denied' | 'timeout' | 'fuel' | 'memory' | 'stack' | 'output' | 'trap';
  message: string;
  limit: string | null;
};
export type MockCall = { interface: string; function: string; args: string[]; result: string };
export type Denial = { nodes: string[]; interface: string; function: string };
export type TraceEntry = { caller: string; callee: string; function: string; args: string[]; result: string; micros: number };

export type AppEvent =
  | { kind: 'wireCall'; caller: string; callee: string; function: string }
  | { kind: 'denied'; nodes: string[]; interface: string; function: string }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'runStarted'; run: number; call: string }
  | { kind: 'runFinished'; run: number; ok: boolean }
  | { kind: 'componentChanged'; component: ComponentView; message: string }
  | { kind: 'filesDropped'; paths: string[] }
  | { kind: 'closeRequested' }
  | { kind: 'served'; method: string; path: string; status: number; micros: number }
  | { kind: 'busy'; task: string; busy: boolean };

/** Every command rejects with this shape. */
export type ApiError = { code: string; message: string; detail: string | null };

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

/** A readable message for anything a command rejected with. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return e.detail ? `${e.message}\n${e.detail}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

async function call<Req, Res>(name: string, request: Req): Promise<Res> {
  if (isTauri()) {
    return invoke<Res>(name, { request });
  }
  let response: Response;
  try {
    response = await fetch(`./api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (e) {
    throw { code: 'io', message: `Patchbay's backend is not reachable (${name})`, detail: String(e) } satisfies ApiError;
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    if (isApiError(body)) throw body;
    throw { code: 'io', message: `${name} failed with HTTP ${response.status}`, detail: text || null } satisfies ApiError;
  }
  return body as Res;
}

type Empty = Record<string, never>;

export const commands = {
  startup: (r: Empty) => call<Empty, OpenedProject | null>('startup', r),
  openProject: (r: { path: string | null }) => call<typeof r, OpenedProject>('open_project', r),
  addComponents: (r: { doc: ProjectDoc; paths: string[] | null }) => call<typeof r, ComponentView[]>('add_components', r),
  analyze: (r: { doc: ProjectDoc }) => call<typeof r, Analysis>('analyze', r),
  candidates: (r: { doc: ProjectDoc; port: PortAddr }) => call<typeof r, Candidates>('candidates', r),
  checkWire: (r: { doc: ProjectDoc; from: PortAddr; to: PortAddr }) => call<typeof r, Verdict>('check_wire', r),
  checkMockValue: (r: {
    doc: ProjectDoc;
    node: string;
    import: string;
    function: string;
    value: string;
    role: 'result' | 'args';
  }) => call<typeof r, Verdict>('check_mock_value', r),
  fakes: (r: Empty) => call<Empty, FakeView[]>('fakes', r),
  fakeTargets: (r: { doc: ProjectDoc; fake: FakeName }) => call<typeof r, PortAddr[]>('fake_targets', r),
  run: (r: { doc: ProjectDoc; call: string; limits: RunLimits; traced: boolean }) => call<typeof r, RunReport>('run', r),
  serveStart: (r: { doc: ProjectDoc; port: number | null }) => call<typeof r, ServeInfo>('serve_start', r),
  serveStop: (r: Empty) => call<Empty, null>('serve_stop', r),
  save: (r: { doc: ProjectDoc; saveAs: boolean }) => call<typeof r, Saved>('save', r),
  saveRecovery: (r: { doc: ProjectDoc }) => call<typeof r, null>('save_recovery', r),
  discardRecovery: (r: Empty) => call<Empty, null>('discard_recovery', r),
  setDirty: (r: { dirty: boolean }) => call<typeof r, null>('set_dirty', r),
  closeWindow: (r: Empty) => call<Empty, null>('close_window', r),
  exportPreview: (r: { doc: ProjectDoc }) => call<typeof r, ExportPreview>('export_preview', r),
  exportArtifacts: (r: { doc: ProjectDoc; dir: string | null; chooseDir: boolean }) =>
    call<typeof r, Exported>('export_artifacts', r),
};

/** Subscribes to backend events; returns the function that unsubscribes. */
export function subscribeEvents(onEvent: (event: AppEvent) => void): () => void {
  if (isTauri()) {
    let stop: (() => void) | null = null;
    let stopped = false;
    void listen<AppEvent>('patchbay://event', (e) => onEvent(e.payload)).then((unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('./api/events');
  const handle = (e: MessageEvent<string>) => {
    try {
      onEvent(JSON.parse(e.data) as AppEvent);
    } catch {
      // A malformed event is dropped; the stream carries on.
    }
  };
  source.addEventListener('message', handle);
  source.addEventListener('patchbay://event', handle as EventListener);
  return () => source.close();
}
