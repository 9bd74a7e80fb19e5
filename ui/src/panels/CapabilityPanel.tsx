/**
 * The binding of one import (the selected port, or an import picked from the
 * list): what it is now and where that comes from, and the choice of grant
 * (scoped), mock (a fake and/or per-function answers checked as you type),
 * deny or leave. A binding inherited from a broad selector such as
 * `*.wasi:*` is never edited in place: changing it creates the exact
 * `node.import` binding, and the panel says so.
 */
import { useMemo, useRef, useState } from 'react';
import { importStates, parseExactSelector, portKey, selectorOf, useStore } from '../store';
import type {
  Binding,
  BindingMode,
  ClockSetting,
  DirGrant,
  FakeName,
  FunctionInfo,
  Grant,
  GrantEntry,
  ImportState,
  Mock,
  MockBehavior,
  PortInfo,
  ProjectDoc,
  RandomSetting,
  Verdict,
} from '../store/backend';
import { commands } from '../store/backend';
import { parseWave } from '../wave/format';
import { defaultValue } from '../wave/form';
import { formatWave } from '../wave/format';
import type { TypeShape } from '../wave/shape';
import {
  ALL_SCOPES,
  bindingForMode,
  checkU64,
  mockFunctionKey,
  relevantScopes,
  type Scope,
} from './bindingEdit';
import { EmptyState, Segmented, StringListEditor } from './common';
import { CommitInput, KeyValueEditor, WaveInput } from './inputs';
import { explainImport, unversioned } from './text';

const MODES: { value: BindingMode; label: string }[] = [
  { value: 'grant', label: 'Grant' },
  { value: 'mock', label: 'Mock' },
  { value: 'deny', label: 'Deny' },
  { value: 'leave', label: 'Leave' },
];

const MODE_EXPLAINED: Record<BindingMode, string> = {
  grant: 'The real capability, scoped to what you list below.',
  mock: 'Canned answers built from the WIT types; every call is recorded.',
  deny: 'Calls fail with `capability denied`, naming the node, interface and function.',
  leave:
    'Stays an import of the composed component. Runs only if the host provides it; otherwise the run is refused before instantiation, listing what is missing.',
};

/** A broad selector picked from the list (the store selects ports, not selectors). */
type Picked = { kind: 'selector'; selector: string } | null;

export function CapabilityPanel() {
  const doc = useStore((s) => s.doc);
  const selectedPort = useStore((s) => s.selectedPort);
  const selectedEdges = useStore((s) => s.selectedEdges);
  const [picked, setPicked] = useState<Picked>(null);

  if (!doc) return <EmptyState>Open a project to bind its imports.</EmptyState>;

  // A selected fake edge stands for the exact binding it draws.
  const fakeEdge = selectedEdges.find((e) => e.startsWith('fake:') && e.includes('->'));
  const fakeTarget = fakeEdge ? parseExactSelector(fakeEdge.slice(fakeEdge.indexOf('->') + 2)) : null;

  let body;
  if (selectedPort && selectedPort.side === 'import') {
    body = <ImportBinding key={portKey(selectedPort)} node={selectedPort.node} port={selectedPort.port} />;
  } else if (fakeTarget) {
    body = <ImportBinding key={portKey(fakeTarget)} node={fakeTarget.node} port={fakeTarget.port} />;
  } else if (picked && doc.bindings.some((b) => b.selector === picked.selector)) {
    body = <SelectorBinding key={picked.selector} selector={picked.selector} onBack={() => setPicked(null)} />;
  } else {
    body = (
      <>
        {selectedPort?.side === 'export' && (
          <div className="pbp-note">
            <code>{selectorOf(selectedPort)}</code> is an export: exports are wired or exported, never bound. Pick an
            import below.
          </div>
        )}
        <ImportPicker onPickSelector={(selector) => setPicked({ kind: 'selector', selector })} />
      </>
    );
  }
  return (
    <section className="pbp-panel pbp-capability" aria-label="Capability">
      {body}
    </section>
  );
}

/** Every unwired import with its current mode, and the broad bindings. */
function ImportPicker({ onPickSelector }: { onPickSelector: (selector: string) => void }) {
  const doc = useStore((s) => s.doc) as ProjectDoc;
  const analysis = useStore((s) => s.analysis);
  const selectedNodes = useStore((s) => s.selectedNodes);
  const selectPort = useStore((s) => s.selectPort);
  const onlyNode = selectedNodes.length === 1 && doc.nodes.some((n) => n.id === selectedNodes[0]) ? selectedNodes[0] : null;
  const imports = (analysis?.imports ?? []).filter(
    (i) => i.mode !== 'wired' && !i.typesOnly && (!onlyNode || i.node === onlyNode),
  );
  const broad = doc.bindings.filter((b) => !parseExactSelector(b.selector));
  return (
    <>
      <div className="pbp-section-title">
        {onlyNode ? `Unwired imports of ${onlyNode}` : 'Unwired imports'}
        <span className="pbp-muted"> — select one to bind it</span>
      </div>
      {!analysis ? (
        <div className="pbp-muted">Analyzing…</div>
      ) : imports.length === 0 ? (
        <div className="pbp-muted">Every import is wired.</div>
      ) : (
        <ul className="pbp-import-list">
          {imports.map((i) => (
            <li key={portKey(i)}>
              <button
                type="button"
                className="pbp-import-item"
                onClick={() => selectPort({ node: i.node, port: i.port }, 'import')}
              >
                <ModeBadge mode={i.mode} fake={i.fake} />
                <code>{selectorOf(i)}</code>
                {i.selector && i.selector !== selectorOf(i) && <span className="pbp-muted">via {i.selector}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {broad.length > 0 && (
        <>
          <div className="pbp-section-title">Broad bindings</div>
          <ul className="pbp-import-list">
            {broad.map((b) => (
              <li key={b.selector}>
                <button type="button" className="pbp-import-item" onClick={() => onPickSelector(b.selector)}>
                  <ModeBadge mode={b.binding.mode} />
                  <code>{b.selector}</code>
                  <span className="pbp-muted">
                    {(analysis?.imports ?? []).filter((i) => i.selector === b.selector).length} import(s)
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function ModeBadge({ mode, fake = null }: { mode: ImportState['mode']; fake?: string | null }) {
  return <span className={`pbp-mode pbp-mode-${mode}`}>{fake ? `${mode} · ${fake}` : mode}</span>;
}

/** The component's description of `node`'s import `port`. */
function usePortInfo(node: string, port: string): PortInfo | null {
  const doc = useStore((s) => s.doc);
  const components = useStore((s) => s.components);
  const componentId = doc?.nodes.find((n) => n.id === node)?.component;
  const info = componentId ? components[componentId]?.info : null;
  return info?.imports.find((p) => p.name === port) ?? null;
}

function ImportBinding({ node, port }: { node: string; port: string }) {
  const doc = useStore((s) => s.doc) as ProjectDoc;
  const analysis = useStore((s) => s.analysis);
  const setBinding = useStore((s) => s.setBinding);
  const toast = useStore((s) => s.toast);
  const selectPort = useStore((s) => s.selectPort);
  const portInfo = usePortInfo(node, port);
  const exact = selectorOf({ node, port });
  const state = importStates(analysis).get(portKey({ node, port })) ?? null;
  const wire = doc.wires.find((w) => w.to.node === node && w.to.port === port);

  const header = (
    <div className="pbp-cap-head">
      <div className="pbp-cap-title">
        <code>{node}</code>
        <span className="pbp-muted"> imports </span>
        <code>{port}</code>
      </div>
      <div className="pbp-muted">{explainImport(port)}</div>
    </div>
  );

  if (state?.typesOnly || portInfo?.typesOnly) {
    return (
      <>
        {header}
        <div className="pbp-note">
          This import only carries types (no functions), so it needs no binding: it stays a types-only import of the
          composed component.
        </div>
      </>
    );
  }

  if (wire) {
    return (
      <>
        {header}
        <div className="pbp-note">
          Wired from <code>{selectorOf(wire.from)}</code>: calls go to that node, so no binding applies. Remove the wire
          to grant, mock, deny or leave it.
        </div>
      </>
    );
  }

  // The selector that decides this import: the analysis knows; fall back to
  // the exact selector while the first analysis is pending.
  const selector = state?.selector ?? (doc.bindings.some((b) => b.selector === exact) ? exact : null);
  const entry = selector ? doc.bindings.find((b) => b.selector === selector) : undefined;
  const binding: Binding | null = entry?.binding ?? null;
  const inherited = selector !== null && selector !== exact;
  const effectiveMode: BindingMode = binding?.mode ?? 'leave';

  const commit = (next: Binding) => {
    setBinding(exact, next);
    if (inherited) {
      toast(`Created the exact binding ${exact}; ${selector} still applies to the other imports it matches.`, 'info');
    }
  };

  return (
    <>
      {header}
      <div className="pbp-cap-source">
        {selector === null ? (
          <span>
            No binding matches: it is <strong>left</strong> as an import.
          </span>
        ) : inherited ? (
          <span>
            Bound by the broad selector <code>{selector}</code>. Changing anything here creates an exact binding{' '}
            <code>{exact}</code> for this import only.
          </span>
        ) : (
          <span>
            Bound by <code>{exact}</code>.{' '}
            <button
              type="button"
              className="pbp-btn pbp-btn-small pbp-btn-ghost"
              onClick={() => {
                setBinding(exact, null);
                selectPort({ node, port }, 'import');
              }}
              title="Remove this binding; a broader selector may then apply"
            >
              Remove exact binding
            </button>
          </span>
        )}
      </div>
      <ModePicker
        mode={effectiveMode}
        onChange={(mode) => {
          if (mode === effectiveMode && (binding || mode !== 'leave') && !inherited) return;
          if (mode === 'mock' && binding?.mode !== 'mock') {
            // A new mock takes the first fake the backend says serves this
            // import; with none, the panel shows what is still missing.
            void commands
              .importFakes({ doc, node, port })
              .catch(() => [] as FakeName[])
              .then((fakes) => commit(bindingForMode('mock', binding, fakes[0] ?? null)));
            return;
          }
          commit(bindingForMode(mode, binding));
        }}
      />
      <p className="pbp-mode-explain">{MODE_EXPLAINED[effectiveMode]}</p>
      {binding?.mode === 'grant' && (
        <GrantEditor grant={binding} scopes={relevantScopes(port)} onChange={(g) => commit({ mode: 'grant', ...g })} />
      )}
      {binding?.mode === 'mock' && (
        <MockEditor
          mock={binding}
          node={node}
          port={port}
          portInfo={portInfo}
          onChange={(m) => commit({ mode: 'mock', ...m })}
        />
      )}
      {selector !== null && <BindingProblems selector={selector} />}
      {effectiveMode === 'deny' && portInfo && portInfo.functions.length > 0 && (
        <div className="pbp-deny-list">
          <div className="pbp-section-title">Denied calls</div>
          <ul>
            {portInfo.functions.map((f) => (
              <li key={mockFunctionKey(f)} className="pbp-denied">
                <code>
                  {unversioned(port)}#{mockFunctionKey(f)}
                </code>{' '}
                → capability denied
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** A broad binding (`*.wasi:*`, `node.wasi:*`) edited in place. */
function SelectorBinding({ selector, onBack }: { selector: string; onBack: () => void }) {
  const doc = useStore((s) => s.doc) as ProjectDoc;
  const analysis = useStore((s) => s.analysis);
  const setBinding = useStore((s) => s.setBinding);
  const binding = doc.bindings.find((b) => b.selector === selector)?.binding ?? null;
  const covered = (analysis?.imports ?? []).filter((i) => i.selector === selector);
  if (!binding) return null;
  return (
    <>
      <button type="button" className="pbp-btn pbp-btn-small pbp-btn-ghost" onClick={onBack}>
        ← All imports
      </button>
      <div className="pbp-cap-head">
        <div className="pbp-cap-title">
          <code>{selector}</code>
        </div>
        <div className="pbp-muted">
          Applies to {covered.length} import{covered.length === 1 ? '' : 's'} not bound more specifically.
        </div>
      </div>
      <ModePicker mode={binding.mode} onChange={(mode) => setBinding(selector, bindingForMode(mode, binding))} />
      <p className="pbp-mode-explain">{MODE_EXPLAINED[binding.mode]}</p>
      {binding.mode === 'grant' && (
        <GrantEditor grant={binding} scopes={ALL_SCOPES} onChange={(g) => setBinding(selector, { mode: 'grant', ...g })} />
      )}
      {binding.mode === 'mock' && (
        <MockEditor
          mock={binding}
          node={null}
          port={null}
          portInfo={null}
          onChange={(m) => setBinding(selector, { mode: 'mock', ...m })}
        />
      )}
      <BindingProblems selector={selector} />
      {covered.length > 0 && (
        <details className="pbp-covered">
          <summary>Imports it applies to</summary>
          <ul>
            {covered.map((i) => (
              <li key={portKey(i)}>
                <code>{selectorOf(i)}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" className="pbp-btn pbp-btn-small" onClick={() => setBinding(selector, null)}>
        Remove this binding
      </button>
    </>
  );
}

function ModePicker({ mode, onChange }: { mode: BindingMode; onChange: (mode: BindingMode) => void }) {
  return <Segmented label="Binding mode" value={mode} options={MODES} onChange={onChange} />;
}

// ---------------------------------------------------------------------------
// Grant

const SCOPE_TITLES: Record<Scope, string> = {
  env: 'Environment variables',
  dirs: 'Folders',
  allow: 'Network allow-list',
  clock: 'Clock',
  random: 'Random',
};

function GrantEditor({
  grant,
  scopes,
  onChange,
}: {
  grant: Grant;
  scopes: Scope[];
  onChange: (grant: Grant) => void;
}) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll || scopes.length === 0 ? ALL_SCOPES : scopes;
  const g: Grant = { env: grant.env, dirs: grant.dirs, allow: grant.allow, clock: grant.clock, random: grant.random };
  const checkEntry = useGrantEntryCheck();
  return (
    <div className="pbp-grant">
      {scopes.length === 0 && (
        <div className="pbp-muted">
          This interface has no scope of its own; the scopes below apply to the WASI interfaces granted with it.
        </div>
      )}
      {shown.map((scope) => (
        <fieldset key={scope} className="pbp-scope">
          <legend>{SCOPE_TITLES[scope]}</legend>
          {scope === 'env' && (
            <StringListEditor
              label="Environment variables"
              values={g.env}
              placeholder="GREETING"
              validate={(name) => checkEntry({ kind: 'env', name })}
              onChange={(env) => onChange({ ...g, env })}
            />
          )}
          {scope === 'dirs' && (
            <DirsEditor dirs={g.dirs} checkEntry={checkEntry} onChange={(dirs) => onChange({ ...g, dirs })} />
          )}
          {scope === 'allow' && (
            <StringListEditor
              label="Allowed host:port"
              values={g.allow}
              placeholder="127.0.0.1:8080"
              validate={(address) => checkEntry({ kind: 'allow', address })}
              onChange={(allow) => onChange({ ...g, allow })}
            />
          )}
          {scope === 'clock' && <ClockEditor clock={g.clock} onChange={(clock) => onChange({ ...g, clock })} />}
          {scope === 'random' && <RandomEditor random={g.random} onChange={(random) => onChange({ ...g, random })} />}
        </fieldset>
      ))}
      {scopes.length > 0 && scopes.length < ALL_SCOPES.length && (
        <button type="button" className="pbp-btn pbp-btn-small pbp-btn-ghost" onClick={() => setShowAll((v) => !v)}>
          {showAll ? 'Show only the scopes of this interface' : 'Show every scope'}
        </button>
      )}
    </div>
  );
}

function DirsEditor({
  dirs,
  checkEntry,
  onChange,
}: {
  dirs: DirGrant[];
  checkEntry: (entry: GrantEntry) => string | null;
  onChange: (dirs: DirGrant[]) => void;
}) {
  const [host, setHost] = useState('');
  const [guest, setGuest] = useState('');
  const [writable, setWritable] = useState(false);
  const newError = host.trim() !== '' && guest.trim() !== '' ? checkEntry({ kind: 'dir', host: host.trim(), guest: guest.trim() }) : null;
  const canAdd = host.trim() !== '' && guest.trim() !== '' && newError === null;
  const add = () => {
    if (!canAdd) return;
    onChange([...dirs, { host: host.trim(), guest: guest.trim(), writable }]);
    setHost('');
    setGuest('');
    setWritable(false);
  };
  const required = (v: string) => (v.trim() === '' ? 'required' : null);
  const setAt = (i: number, patch: Partial<DirGrant>) => onChange(dirs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <table className="pbp-table pbp-dirs" aria-label="Folders">
      <thead>
        <tr>
          <th scope="col">Host folder</th>
          <th scope="col">Guest path</th>
          <th scope="col">Writable</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {dirs.map((d, i) => (
          <tr key={`${i}:${d.host}`}>
            <td>
              <CommitInput
                label={`Host folder ${i + 1}`}
                value={d.host}
                validate={required}
                onCommit={(v) => setAt(i, { host: v.trim() })}
              />
            </td>
            <td>
              <CommitInput
                label={`Guest path ${i + 1}`}
                value={d.guest}
                validate={(v) => required(v) ?? checkEntry({ kind: 'dir', host: d.host, guest: v.trim() })}
                onCommit={(v) => setAt(i, { guest: v.trim() })}
              />
            </td>
            <td>
              <input
                type="checkbox"
                className="nodrag nokey"
                aria-label={`Folder ${d.host} writable`}
                checked={d.writable}
                onChange={(e) => setAt(i, { writable: e.target.checked })}
              />
            </td>
            <td>
              <button
                type="button"
                className="pbp-btn pbp-btn-small pbp-btn-ghost"
                aria-label={`Remove folder ${d.host}`}
                onClick={() => onChange(dirs.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </td>
          </tr>
        ))}
        <tr>
          <td>
            <input
              className="pbp-input nodrag nokey"
              aria-label="New host folder"
              placeholder="data (relative to the project)"
              value={host}
              onChange={(e) => setHost(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
          </td>
          <td>
            <input
              className="pbp-input nodrag nokey"
              aria-label="New guest path"
              placeholder="/data"
              value={guest}
              onChange={(e) => setGuest(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
          </td>
          <td>
            <input
              type="checkbox"
              className="nodrag nokey"
              aria-label="New folder writable"
              checked={writable}
              onChange={(e) => setWritable(e.target.checked)}
            />
          </td>
          <td>
            <button type="button" className="pbp-btn pbp-btn-small" disabled={!canAdd} onClick={add}>
              Add
            </button>
          </td>
        </tr>
        {newError !== null && (
          <tr>
            <td colSpan={4} className="pbp-error" role="alert">
              {newError}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function ClockEditor({ clock, onChange }: { clock: ClockSetting | null; onChange: (clock: ClockSetting | null) => void }) {
  const kind = clock?.kind ?? 'default';
  return (
    <div className="pbp-row pbp-wrap">
      <Segmented
        label="Clock"
        value={kind}
        options={[
          { value: 'default', label: 'Default', title: 'The host’s real clock' },
          { value: 'real', label: 'Real' },
          { value: 'fixed', label: 'Fixed' },
        ]}
        onChange={(k) =>
          onChange(k === 'default' ? null : k === 'real' ? { kind: 'real' } : { kind: 'fixed', unixMs: clock?.kind === 'fixed' ? clock.unixMs : Date.now() })
        }
      />
      {clock?.kind === 'fixed' && (
        <>
          <CommitInput
            label="Fixed time (ms since the Unix epoch)"
            className="pbp-commit-num"
            value={String(clock.unixMs)}
            validate={checkSafeNumber}
            onCommit={(v) => onChange({ kind: 'fixed', unixMs: Number(v.trim()) })}
          />
          <span className="pbp-muted">{new Date(clock.unixMs).toISOString()}</span>
          <button type="button" className="pbp-btn pbp-btn-small" onClick={() => onChange({ kind: 'fixed', unixMs: Date.now() })}>
            Now
          </button>
        </>
      )}
    </div>
  );
}

function RandomEditor({
  random,
  onChange,
}: {
  random: RandomSetting | null;
  onChange: (random: RandomSetting | null) => void;
}) {
  const kind = random?.kind ?? 'default';
  return (
    <div className="pbp-row pbp-wrap">
      <Segmented
        label="Random"
        value={kind}
        options={[
          { value: 'default', label: 'Default', title: 'The host’s secure random source' },
          { value: 'real', label: 'Real' },
          { value: 'seeded', label: 'Seeded' },
        ]}
        onChange={(k) =>
          onChange(k === 'default' ? null : k === 'real' ? { kind: 'real' } : { kind: 'seeded', seed: random?.kind === 'seeded' ? random.seed : 42 })
        }
      />
      {random?.kind === 'seeded' && (
        <CommitInput
          label="Seed"
          className="pbp-commit-num"
          value={String(random.seed)}
          validate={checkSafeNumber}
          onCommit={(v) => onChange({ kind: 'seeded', seed: Number(v.trim()) })}
        />
      )}
    </div>
  );
}

/** u64 settings travel as JSON numbers: keep them exact. */
function checkSafeNumber(text: string): string | null {
  const e = checkU64(text);
  if (e) return e;
  return Number(text.trim()) > Number.MAX_SAFE_INTEGER ? `at most ${Number.MAX_SAFE_INTEGER}` : null;
}

// ---------------------------------------------------------------------------
/**
 * A rule of the document asked of the backend (`checkGrantEntry`) while
 * someone types: the answer is kept per entry, so the editors' synchronous
 * `validate` reads it; an entry still being asked about passes for now
 * (analysis and save apply the same rule to the document).
 */
function useGrantEntryCheck(): (entry: GrantEntry) => string | null {
  const [verdicts, setVerdicts] = useState<Record<string, string | null>>({});
  const asked = useRef(new Set<string>());
  return (entry) => {
    const key = JSON.stringify(entry);
    if (key in verdicts) return verdicts[key];
    if (!asked.current.has(key)) {
      asked.current.add(key);
      commands.checkGrantEntry({ entry }).then(
        (v) => setVerdicts((m) => ({ ...m, [key]: v.ok ? null : (v.reason ?? 'refused') })),
        () => asked.current.delete(key),
      );
    }
    return null;
  };
}

/**
 * What keeps a binding from being saved (the backend's `invalid-document`
 * problems at this selector): a mock with nothing to answer with, an
 * `env` name with `=`, a relative guest path.
 */
function BindingProblems({ selector }: { selector: string }) {
  const analysis = useStore((s) => s.analysis);
  const problems = (analysis?.problems ?? []).filter(
    (p) => p.code === 'invalid-document' && p.location.kind === 'binding' && p.location.selector === selector,
  );
  if (problems.length === 0) return null;
  return (
    <div className="pbp-note pbp-error" role="alert">
      <strong>Still missing before this can be saved:</strong>
      <ul>
        {problems.map((p) => (
          <li key={p.message}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

// Mock

const FALLBACK_FAKES: { name: FakeName; title: string; description: string }[] = [
  { name: 'kv', title: 'Key-value store', description: 'In-memory get/set/delete/exists, seeded from the values below.' },
  { name: 'log', title: 'Log', description: 'Records every message.' },
  { name: 'config', title: 'Config', description: 'Answers lookups from the values below.' },
  { name: 'clock', title: 'Clock', description: 'A fixed clock.' },
  { name: 'random', title: 'Random', description: 'A seeded random source.' },
  { name: 'http', title: 'HTTP', description: 'Canned responses by URL; no network.' },
];

function MockEditor({
  mock,
  node,
  port,
  portInfo,
  onChange,
}: {
  mock: Mock;
  node: string | null;
  port: string | null;
  portInfo: PortInfo | null;
  onChange: (mock: Mock) => void;
}) {
  const storeFakes = useStore((s) => s.fakes);
  const checkEntry = useGrantEntryCheck();
  const fakes = storeFakes.length > 0 ? storeFakes : FALLBACK_FAKES;
  const m: Mock = { fake: mock.fake, functions: mock.functions, values: mock.values, responses: mock.responses };
  const fake = fakes.find((f) => f.name === m.fake);
  const functions = portInfo?.functions ?? [];
  return (
    <div className="pbp-mock">
      <label className="pbp-field">
        <span className="pbp-label">Fake</span>
        <select
          className="pbp-select nodrag nokey"
          value={m.fake ?? ''}
          onChange={(e) => onChange({ ...m, fake: (e.target.value || null) as FakeName | null })}
        >
          <option value="">none: per-function answers only</option>
          {fakes.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name} — {f.title}
            </option>
          ))}
        </select>
      </label>
      {fake && <div className="pbp-muted">{fake.description}</div>}
      {(m.fake === 'kv' || m.fake === 'config' || m.values.length > 0) && (
        <fieldset className="pbp-scope">
          <legend>{m.fake === 'config' ? 'Config values' : 'Initial values'}</legend>
          <KeyValueEditor
            label="Values"
            rows={m.values}
            keyLabel="Key"
            valueLabel="Value"
            keyPlaceholder="greeting"
            valuePlaceholder="hello"
            onChange={(values) => onChange({ ...m, values })}
          />
        </fieldset>
      )}
      {(m.fake === 'http' || m.responses.length > 0) && (
        <fieldset className="pbp-scope">
          <legend>Canned responses</legend>
          <KeyValueEditor
            label="Responses"
            rows={m.responses}
            keyLabel="URL"
            valueLabel="Status and body"
            keyPlaceholder="https://example.com/hello"
            valuePlaceholder="200 hello"
            validateValue={(text) => checkEntry({ kind: 'response', text })}
            onChange={(responses) => onChange({ ...m, responses })}
          />
        </fieldset>
      )}
      {node && port && (
        <fieldset className="pbp-scope">
          <legend>Functions{m.fake ? ' (answers here override the fake)' : ''}</legend>
          {!portInfo && <div className="pbp-muted">The component of {node} is not loaded, so its functions are unknown.</div>}
          {portInfo && functions.length === 0 && <div className="pbp-muted">This interface has no functions (types only).</div>}
          {functions.map((fn) => (
            <FunctionMock
              key={mockFunctionKey(fn)}
              fn={fn}
              node={node}
              port={port}
              behavior={m.functions.find((f) => f.name === mockFunctionKey(fn))?.behavior ?? null}
              hasFake={m.fake !== null}
              onChange={(behavior) => {
                const key = mockFunctionKey(fn);
                const rest = m.functions.filter((f) => f.name !== key);
                const functionsNext = behavior
                  ? m.functions.some((f) => f.name === key)
                    ? m.functions.map((f) => (f.name === key ? { name: key, behavior } : f))
                    : [...rest, { name: key, behavior }]
                  : rest;
                onChange({ ...m, functions: functionsNext });
              }}
            />
          ))}
        </fieldset>
      )}
    </div>
  );
}

type BehaviorKind = MockBehavior['kind'] | 'none';

/** Texts being edited for one function; written once every part checks. */
type Draft =
  | { kind: 'none' }
  | { kind: 'returns'; value: string }
  | { kind: 'sequence'; values: string[] }
  | { kind: 'match'; cases: { args: string; returns: string }[]; otherwise: string | null }
  | { kind: 'trap'; message: string };

function draftOf(b: MockBehavior | null): Draft {
  if (!b) return { kind: 'none' };
  switch (b.kind) {
    case 'returns':
      return { kind: 'returns', value: b.value };
    case 'sequence':
      return { kind: 'sequence', values: [...b.values] };
    case 'match':
      return { kind: 'match', cases: b.cases.map((c) => ({ ...c })), otherwise: b.otherwise };
    case 'trap':
      return { kind: 'trap', message: b.message };
  }
}

type Role = 'result' | 'args';

/** The WAVE texts of a draft that must check, with the role they play. */
function draftParts(d: Draft): { role: Role; text: string }[] {
  switch (d.kind) {
    case 'returns':
      return [{ role: 'result', text: d.value }];
    case 'sequence':
      return d.values.map((v) => ({ role: 'result', text: v }));
    case 'match':
      return [
        ...d.cases.flatMap((c) => [
          { role: 'args' as const, text: c.args },
          { role: 'result' as const, text: c.returns },
        ]),
        ...(d.otherwise !== null ? [{ role: 'result' as const, text: d.otherwise }] : []),
      ];
    default:
      return [];
  }
}

/** Validity depends only on the role and the text, so edits elsewhere keep it. */
function validKey(role: Role, text: string): string {
  return `${role}\u0000${text}`;
}

function behaviorOf(d: Draft): MockBehavior | null {
  switch (d.kind) {
    case 'none':
      return null;
    case 'returns':
      return { kind: 'returns', value: d.value };
    case 'sequence':
      return { kind: 'sequence', values: d.values };
    case 'match':
      return { kind: 'match', cases: d.cases, otherwise: d.otherwise };
    case 'trap':
      return { kind: 'trap', message: d.message };
  }
}

/** Whether every WAVE text of the draft has been accepted. */
function isComplete(d: Draft, valid: ReadonlySet<string>): boolean {
  if (d.kind === 'sequence' && d.values.length === 0) return false;
  if (d.kind === 'match' && d.cases.length === 0 && d.otherwise === null) return false;
  return draftParts(d).every((p) => valid.has(validKey(p.role, p.text)));
}

function sameBehavior(a: MockBehavior | null, b: MockBehavior | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A starting value for a result: the type's default in WAVE, or empty. */
function defaultResultText(fn: FunctionInfo): string {
  if (!fn.resultShape) return '';
  const v = defaultValue(fn.resultShape);
  return v ? formatWave(fn.resultShape, v) : '';
}

function defaultArgsText(fn: FunctionInfo): string {
  const shapes = fn.params.map((p) => p.shape);
  const values = shapes.map((s) => defaultValue(s));
  if (values.some((v) => v === null)) return '()';
  return `(${values.map((v, i) => formatWave(shapes[i], v as NonNullable<typeof v>)).join(', ')})`;
}

/** Parses with the TypeScript parser when the type is fully known. */
function localChecker(shape: TypeShape | null): ((text: string) => string | null) | undefined {
  if (!shape) return undefined;
  return (text) => {
    try {
      parseWave(shape, text);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
}

function FunctionMock({
  fn,
  node,
  port,
  behavior,
  hasFake,
  onChange,
}: {
  fn: FunctionInfo;
  node: string;
  port: string;
  behavior: MockBehavior | null;
  hasFake: boolean;
  onChange: (behavior: MockBehavior | null) => void;
}) {
  const key = mockFunctionKey(fn);
  const doc = useStore((s) => s.doc);
  const [draft, setDraft] = useState<Draft>(() => draftOf(behavior));
  const [valid, setValid] = useState<ReadonlySet<string>>(() => new Set());
  const [shownBehavior, setShownBehavior] = useState(behavior);
  // The document changed under us (undo, another editor): show what it holds.
  if (!sameBehavior(shownBehavior, behavior)) {
    setShownBehavior(behavior);
    if (!sameBehavior(behaviorOf(draft), behavior)) setDraft(draftOf(behavior));
  }

  const resultShape = fn.resultShape;
  const argsShape = useMemo<TypeShape>(() => ({ kind: 'tuple', items: fn.params.map((p) => p.shape) }), [fn.params]);
  // The backend checks results against the function's types; argument
  // tuples of match cases are checked here (and again when the project runs).
  const check = (role: Role) => (value: string): Promise<Verdict> => {
    if (role === 'args') {
      const error = localChecker(argsShape)?.(value) ?? null;
      return Promise.resolve({ ok: error === null, reason: error });
    }
    return doc
      ? commands.checkMockValue({ doc, node, import: port, function: key, value })
      : Promise.resolve({ ok: false, reason: 'no document' });
  };

  // The draft is written once every part has been accepted for its current text.
  const complete = isComplete(draft, valid);
  const update = (nextDraft: Draft, nextValid: ReadonlySet<string> = valid) => {
    setDraft(nextDraft);
    if (nextValid !== valid) setValid(nextValid);
    if (!isComplete(nextDraft, nextValid)) return;
    const next = behaviorOf(nextDraft);
    if (!sameBehavior(next, behavior)) {
      setShownBehavior(next);
      onChange(next);
    }
  };

  const setKind = (kind: BehaviorKind) => {
    if (kind === draft.kind) return;
    const result = defaultResultText(fn);
    switch (kind) {
      case 'none':
        update({ kind: 'none' });
        break;
      case 'returns':
        update({ kind: 'returns', value: result });
        break;
      case 'sequence':
        update({ kind: 'sequence', values: [result] });
        break;
      case 'match':
        update({ kind: 'match', cases: [{ args: defaultArgsText(fn), returns: result }], otherwise: null });
        break;
      case 'trap':
        update({ kind: 'trap', message: `${key} is mocked to trap` });
        break;
    }
  };
  const markValid = (role: Role) => (text: string) =>
    update(draft, valid.has(validKey(role, text)) ? valid : new Set(valid).add(validKey(role, text)));

  const constructor = fn.kind === 'constructor';
  return (
    <div className="pbp-fn-mock">
      <div className="pbp-fn-head">
        <code className="pbp-signature">{fn.resource ? `${fn.resource}.` : ''}{fn.signature}</code>
      </div>
      {constructor ? (
        <div className="pbp-muted">Constructors of mocked resources return a fresh handle.</div>
      ) : (
        <>
          <div className="pbp-row pbp-wrap">
            <select
              className="pbp-select nodrag nokey"
              aria-label={`Behaviour of ${key}`}
              value={draft.kind}
              onChange={(e) => setKind(e.target.value as BehaviorKind)}
            >
              <option value="none">{hasFake ? 'answered by the fake' : 'not mocked (calls fail)'}</option>
              <option value="returns">returns</option>
              <option value="sequence">sequence</option>
              <option value="match">match arguments</option>
              <option value="trap">trap</option>
            </select>
            {!complete && <span className="pbp-muted">not saved until every value checks</span>}
          </div>
          {draft.kind === 'returns' && (
            <WaveInput
              label={`${key} returns`}
              placeholder={fn.result ?? '()'}
              text={draft.value}
              onText={(value) => update({ kind: 'returns', value })}
              check={check('result')}
              localCheck={localChecker(resultShape)}
              onValid={markValid('result')}
            />
          )}
          {draft.kind === 'sequence' && (
            <div className="pbp-seq">
              {draft.values.map((v, i) => (
                <div key={i} className="pbp-row">
                  <span className="pbp-index">{i + 1}</span>
                  <div className="pbp-grow">
                    <WaveInput
                      label={`${key} value ${i + 1}`}
                      placeholder={fn.result ?? '()'}
                      text={v}
                      onText={(t) => update({ kind: 'sequence', values: draft.values.map((x, j) => (j === i ? t : x)) })}
                      check={check('result')}
                      localCheck={localChecker(resultShape)}
                      onValid={markValid('result')}
                    />
                  </div>
                  <button
                    type="button"
                    className="pbp-btn pbp-btn-small pbp-btn-ghost"
                    aria-label={`Remove value ${i + 1} of ${key}`}
                    disabled={draft.values.length === 1}
                    onClick={() => update({ kind: 'sequence', values: draft.values.filter((_, j) => j !== i) })}
                  >
                    ×
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="pbp-btn pbp-btn-small"
                onClick={() => update({ kind: 'sequence', values: [...draft.values, defaultResultText(fn)] })}
              >
                + Value
              </button>
              <div className="pbp-muted">Answers in turn; the last one repeats.</div>
            </div>
          )}
          {draft.kind === 'match' && (
            <div className="pbp-cases">
              {draft.cases.map((c, i) => (
                <div key={i} className="pbp-case">
                  <div className="pbp-grow">
                    <WaveInput
                      label={`${key} case ${i + 1} arguments`}
                      placeholder={`(${fn.params.map((p) => p.ty).join(', ')})`}
                      text={c.args}
                      onText={(t) =>
                        update({ ...draft, cases: draft.cases.map((x, j) => (j === i ? { ...x, args: t } : x)) })
                      }
                      check={check('args')}
                      localCheck={localChecker(argsShape)}
                      onValid={markValid('args')}
                    />
                  </div>
                  <span className="pbp-arrow">→</span>
                  <div className="pbp-grow">
                    <WaveInput
                      label={`${key} case ${i + 1} returns`}
                      placeholder={fn.result ?? '()'}
                      text={c.returns}
                      onText={(t) =>
                        update({ ...draft, cases: draft.cases.map((x, j) => (j === i ? { ...x, returns: t } : x)) })
                      }
                      check={check('result')}
                      localCheck={localChecker(resultShape)}
                      onValid={markValid('result')}
                    />
                  </div>
                  <button
                    type="button"
                    className="pbp-btn pbp-btn-small pbp-btn-ghost"
                    aria-label={`Remove case ${i + 1} of ${key}`}
                    onClick={() => update({ ...draft, cases: draft.cases.filter((_, j) => j !== i) })}
                  >
                    ×
                  </button>
                </div>
              ))}
              <div className="pbp-row pbp-wrap">
                <button
                  type="button"
                  className="pbp-btn pbp-btn-small"
                  onClick={() =>
                    update({ ...draft, cases: [...draft.cases, { args: defaultArgsText(fn), returns: defaultResultText(fn) }] })
                  }
                >
                  + Case
                </button>
                <label className="pbp-check">
                  <input
                    type="checkbox"
                    className="nodrag nokey"
                    checked={draft.otherwise !== null}
                    onChange={(e) => update({ ...draft, otherwise: e.target.checked ? defaultResultText(fn) : null })}
                  />
                  otherwise
                </label>
              </div>
              {draft.otherwise !== null && (
                <WaveInput
                  label={`${key} otherwise`}
                  placeholder={fn.result ?? '()'}
                  text={draft.otherwise}
                  onText={(t) => update({ ...draft, otherwise: t })}
                  check={check('result')}
                  localCheck={localChecker(resultShape)}
                  onValid={markValid('result')}
                />
              )}
              {draft.otherwise === null && <div className="pbp-muted">Calls that match no case trap.</div>}
            </div>
          )}
          {draft.kind === 'trap' && (
            <CommitInput
              label={`${key} trap message`}
              value={draft.message}
              onCommit={(message) => update({ kind: 'trap', message })}
            />
          )}
        </>
      )}
    </div>
  );
}
