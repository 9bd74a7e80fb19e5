/**
 * The WIT of the selected node's component, or of the composed result when
 * nothing is selected (or when switched to it), with its size, content hash
 * and source path.
 */
import { useState } from 'react';
import { useStore, viewDoc } from '../store';
import type { ComponentView } from '../store/backend';
import { CodeView, CopyButton, EmptyState, Segmented } from './common';
import { formatBytes, shortHash } from './text';

export function InspectorPanel() {
  // Inside a composite: its definition's nodes.
  const doc = useStore(viewDoc);
  const components = useStore((s) => s.components);
  const selectedNodes = useStore((s) => s.selectedNodes);
  const analysis = useStore((s) => s.analysis);
  const [view, setView] = useState<'node' | 'composed'>('node');
  const [composedText, setComposedText] = useState<'wit' | 'wac'>('wit');

  const node = doc?.nodes.find((n) => selectedNodes.includes(n.id)) ?? null;
  // Selecting another node shows that node again.
  const [lastNode, setLastNode] = useState(node?.id ?? null);
  if ((node?.id ?? null) !== lastNode) {
    setLastNode(node?.id ?? null);
    if (node) setView('node');
  }

  if (!doc) return <EmptyState>Open a project to inspect its components.</EmptyState>;
  const showing = node && view === 'node' ? 'node' : 'composed';
  const composed = analysis?.composed ?? null;

  return (
    <section className="pbp-panel" aria-label="Inspector">
      <div className="pbp-toolbar">
        <Segmented
          label="Inspect"
          value={showing}
          onChange={setView}
          options={[
            {
              value: 'node',
              label: node ? `Node ${node.id}` : 'Node',
              disabled: !node,
              title: node ? undefined : 'Select a node on the canvas',
            },
            { value: 'composed', label: 'Composed result' },
          ]}
        />
        {showing === 'composed' && composed && (
          <Segmented
            label="Composed text"
            value={composedText}
            onChange={setComposedText}
            options={[
              { value: 'wit', label: 'WIT' },
              { value: 'wac', label: '.wac' },
            ]}
          />
        )}
      </div>
      {showing === 'node' && node ? (
        <NodeView nodeId={node.id} componentId={node.component} view={components[node.component] ?? null} />
      ) : composed ? (
        <>
          <dl className="pbp-facts">
            <dt>Size</dt>
            <dd>{formatBytes(composed.size)}</dd>
            <dt>Hash</dt>
            <dd>
              <code title={composed.hash}>{shortHash(composed.hash)}</code> <CopyButton text={composed.hash} />
            </dd>
            <dt>Imports</dt>
            <dd>{composed.imports.length === 0 ? 'none: self-contained' : composed.imports.length}</dd>
          </dl>
          <div className="pbp-code-head">
            <span>{composedText === 'wit' ? 'WIT of the composed component' : 'wac recipe that rebuilds it'}</span>
            <CopyButton text={composedText === 'wit' ? composed.wit : composed.wac} />
          </div>
          <CodeView
            text={composedText === 'wit' ? composed.wit : composed.wac}
            label={composedText === 'wit' ? 'Composed WIT' : 'Composed wac'}
          />
        </>
      ) : (
        <EmptyState>
          {analysis
            ? `Nothing composed yet: ${analysis.problems.filter((p) => p.severity === 'error').length} error(s) to fix first (see Problems).`
            : 'Analyzing…'}
        </EmptyState>
      )}
    </section>
  );
}

function NodeView({
  nodeId,
  componentId,
  view,
}: {
  nodeId: string;
  componentId: string;
  view: ComponentView | null;
}) {
  if (!view) {
    return <EmptyState>Node {nodeId} uses component {componentId}, which is not loaded.</EmptyState>;
  }
  return (
    <>
      <dl className="pbp-facts">
        <dt>Component</dt>
        <dd>
          <code>{componentId}</code>
        </dd>
        <dt>Source</dt>
        <dd>
          <code title={view.absPath}>{view.path}</code> <CopyButton text={view.absPath} label="Copy path" />
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(view.size)}</dd>
        <dt>Hash</dt>
        <dd>
          {view.hash ? (
            <>
              <code title={view.hash}>{shortHash(view.hash)}</code> <CopyButton text={view.hash} />
            </>
          ) : (
            <span className="pbp-muted">not hashed</span>
          )}
        </dd>
        {view.info && (
          <>
            <dt>Ports</dt>
            <dd>
              {view.info.imports.length} import(s), {view.info.exports.length} export(s)
            </dd>
          </>
        )}
      </dl>
      {view.error && (
        <div className="pbp-error-box" role="alert">
          {view.error}
        </div>
      )}
      {view.info && (
        <>
          <div className="pbp-code-head">
            <span>WIT of {componentId}</span>
            <CopyButton text={view.info.wit} />
          </div>
          <CodeView text={view.info.wit} label={`WIT of ${componentId}`} />
        </>
      )}
    </>
  );
}
