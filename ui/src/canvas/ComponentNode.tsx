// A node that instantiates a component: titled with the node id, the
// component id below, imports on the left and exports on the right. A node
// that instantiates a composite is drawn the same, its ports the composed
// definition's (the backend's view of it), with a stacked border and
// "composite · NAME · N nodes" below its id.

import { memo, useEffect, useRef, useState } from 'react';
import { useStore as useFlowStore, useUpdateNodeInternals, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { compositeOf, dragMarkOf, selectImportRows, selectNodeProblems, useStore, type ComponentFlowNode, type PortInfo } from '../store';
import { NODE_WIDTH } from '../store/metrics';
import { GroupRow } from './GroupRow';
import { PortRow, type Detail } from './PortRow';
import { formatSize } from './format';
import './composites.css';

/** Below this zoom, port text is unreadable: rows draw as bars. */
export const FAR_ZOOM = 0.35;
/** Below this zoom, a row is under 3 px tall: rows draw nothing (their
 *  handles stay, hidden, so wires still end where the ports are). */
export const TINY_ZOOM = 0.12;

const NO_PORTS: PortInfo[] = [];

const selectDetail = (s: ReactFlowState): Detail =>
  s.transform[2] < TINY_ZOOM ? 'tiny' : s.transform[2] < FAR_ZOOM ? 'far' : 'full';

export const ComponentNode = memo(function ComponentNode({ id, data, selected }: NodeProps<ComponentFlowNode>) {
  const view = useStore((s) => s.components[data.component]);
  // A composite node: its definition's size, null for a component node.
  const innerCount = useStore((s) => compositeOf(s.doc, data.component)?.nodes.length ?? null);
  const composite = innerCount !== null;
  const problems = useStore(selectNodeProblems(id));
  // One subscription per node, not per port: it changes only when a wire
  // drag starts, gets its candidates, or ends.
  const drag = useStore((s) => s.drag);
  const [expanded, setExpanded] = useState(false);
  const detail = useFlowStore(selectDetail);
  const far = detail !== 'full';
  const updateNodeInternals = useUpdateNodeInternals();
  const imports = view?.info?.imports ?? NO_PORTS;
  const exports = view?.info?.exports ?? NO_PORTS;
  // Like imports share a row (see store/portGroups.ts); the same array
  // until the rows change.
  const rows = useStore(selectImportRows(id, imports));

  // Handles move when the node expands, a group opens or closes, or its
  // ports change. React Flow measures new nodes itself; asking on mount too
  // (or twice, as React's strict mode does) would measure each of hundreds
  // of nodes in its own pass.
  const measuredFor = useRef({ expanded, view, rows });
  useEffect(() => {
    const open = expanded && !far;
    const m = measuredFor.current;
    if (m.expanded === open && m.view === view && m.rows === rows) return;
    measuredFor.current = { expanded: open, view, rows };
    updateNodeInternals(id);
  }, [expanded, far, view, rows, id, updateNodeInternals]);

  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const cls = [
    'pb-node',
    'pb-node--component',
    composite ? 'pb-node--composite' : '',
    selected ? 'pb-node--selected' : '',
    problems ? (errors ? 'pb-node--error' : 'pb-node--warning') : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div className={cls} style={{ width: NODE_WIDTH }} data-testid={`node-${id}`}>
      <div className="pb-node__header">
        <div className="pb-node__titles">
          <div className="pb-node__title" title={id}>
            {id}
          </div>
          {composite ? (
            <div className="pb-node__subtitle" title={`Composite ${data.component}: double-click to enter it`}>
              <span className="pb-node__composite-mark">composite</span> · {data.component} · {innerCount} node
              {innerCount === 1 ? '' : 's'}
            </div>
          ) : (
            <div className="pb-node__subtitle" title={view?.absPath ?? data.component}>
              {data.component}
              {view ? <span className="pb-muted"> · {formatSize(view.size)}</span> : null}
            </div>
          )}
        </div>
        {problems && (
          <span
            className={`pb-node__problems ${errors ? 'is-error' : 'is-warning'}`}
            title={problems.map((p) => p.message).join('\n')}
            aria-label={`${problems.length} problem${problems.length === 1 ? '' : 's'} on ${id}`}
            data-testid={`problems-${id}`}
          >
            {problems.length}
          </span>
        )}
        <button
          type="button"
          className={`pb-node__chevron nodrag ${expanded ? 'is-open' : ''}`}
          onClick={(e) => {
            e.stopPropagation();
            setExpanded((x) => !x);
          }}
          aria-expanded={expanded}
          aria-label={`${expanded ? 'Collapse' : 'Expand'} ${id}`}
          title={expanded ? 'Hide function signatures' : 'Show function signatures'}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
            <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      {!view && !composite && <div className="pb-node__error">Component “{data.component}” is not in the project.</div>}
      {!view && composite && <div className="pb-muted pb-node__note">Composing {data.component}…</div>}
      {view?.error && <div className="pb-node__error">{view.error}</div>}
      {imports.length > 0 && (
        <section className="pb-node__section" aria-label={`Imports of ${id}`}>
          <div className="pb-node__caption">imports</div>
          {rows.map((r) =>
            r.kind === 'group' ? (
              <GroupRow key={r.group.key} node={id} group={r.group} detail={detail} drag={drag} />
            ) : (
              <PortRow
                key={r.port.name}
                node={id}
                port={r.port}
                side="import"
                inGroup={r.group !== null}
                expanded={expanded && !far}
                detail={detail}
                mark={dragMarkOf(drag, id, r.port.name, 'import')}
              />
            ),
          )}
        </section>
      )}
      {exports.length > 0 && (
        <section className="pb-node__section" aria-label={`Exports of ${id}`}>
          <div className="pb-node__caption pb-node__caption--export">exports</div>
          {exports.map((p) => (
            <PortRow
              key={p.name}
              node={id}
              port={p}
              side="export"
              expanded={expanded && !far}
              detail={detail}
              mark={dragMarkOf(drag, id, p.name, 'export')}
            />
          ))}
        </section>
      )}
    </div>
  );
});
