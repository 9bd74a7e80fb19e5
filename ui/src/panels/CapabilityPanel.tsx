/**
 * The binding of one import (the selected port, or an import picked from the
 * list): what it is now and where that comes from, and the choice of grant
 * (scoped), mock (a fake and/or per-function answers checked as you type),
 * deny or leave. A binding inherited from a broad selector such as
 * `*.wasi:*` is never edited in place: changing it creates the exact
 * `node.import` binding, and the panel says so. The grant editor is in
 * `GrantEditor.tsx`, the mock editor in `MockEditor.tsx` (its drafts in
 * `mockDraft.ts`).
 */
import { useState } from 'react';
import { importStates, parseExactSelector, portKey, selectorOf, useStore } from '../store';
import {
  type Binding,
  type BindingMode,
  type FakeName,
  type ImportState,
  type PortInfo,
  type ProjectDoc,
  commands,
} from '../store/backend';
import { ALL_SCOPES, bindingForMode } from './bindingEdit';
import { EmptyState, Segmented } from './common';
import { explainImport, unversioned } from './text';
import { GrantEditor } from './GrantEditor';
import { MockEditor } from './MockEditor';

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
  const inside = useStore((s) => s.inside);

  if (!doc) return <EmptyState>Open a project to bind its imports.</EmptyState>;
  if (inside.length) return <InsideComposite />;

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

/** Inside a composite nothing is bound: its unwired imports are the
 *  composite node's ports, bound (or wired) on that node outside. */
function InsideComposite() {
  const step = useStore((s) => s.inside[s.inside.length - 1]);
  const leave = useStore((s) => s.leaveComposite);
  const depth = useStore((s) => s.inside.length - 1);
  return (
    <section className="pbp-panel pbp-capability" aria-label="Capability">
      <div className="pbp-note">
        Bindings are not set inside composite <code>{step.composite}</code>: its unwired imports are the ports of the
        composite node <code>{step.node}</code>, bound or wired where that node is.
      </div>
      <button
        type="button"
        className="pb-btn"
        onClick={() => {
          leave(depth);
          useStore.getState().showNodeBindings(step.node);
        }}
      >
        Go out to {step.node}
      </button>
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
        <GrantEditor grant={binding} scopes={state?.scopes ?? ALL_SCOPES} onChange={(g) => commit({ mode: 'grant', ...g })} />
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
              <li key={f.key} className="pbp-denied">
                <code>
                  {unversioned(port)}#{f.key}
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
