// The row of a group of like imports (see store/portGroups.ts): the package,
// how many imports it stands for and their one binding badge. A click shows
// or hides the individual rows. While the group is collapsed, the handles of
// all its ports sit on this row, one on top of another (wires and drag
// candidates still find them; only one is drawn), and during a wire drag
// the row lights up when one of them is a candidate.

import { memo, useEffect, useRef, type CSSProperties, type MouseEvent } from 'react';
import { Handle, Position } from '@xyflow/react';
import { dragMarkOf, useStore, type DragMark, type DragState, type PortGroup } from '../store';
import { PORT_ROW } from '../store/metrics';
import { portStyle } from './colors';
import type { Detail } from './PortRow';

/** How long a wire dragged over a group with several candidates hovers
 *  before the group opens, so the wire can be dropped on one of them. */
export const SPRING_OPEN_MS = 450;

type Props = { node: string; group: PortGroup; detail: Detail; drag: DragState | null };

export const GroupRow = memo(function GroupRow({ node, group, detail, drag }: Props) {
  const setGroupExpanded = useStore((s) => s.setGroupExpanded);
  const showNodeBindings = useStore((s) => s.showNodeBindings);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const marks = group.ports.map((p) => dragMarkOf(drag, node, p.name, 'import'));
  const lit = marks.filter((m) => m === 'lit').length;
  const rowMark: DragMark = group.expanded || !drag || drag.pending ? '' : lit > 0 ? 'lit' : 'dim';
  // The handle drawn for the group: its first candidate, else its first port.
  const face = Math.max(0, marks.indexOf('lit'));
  const count = `${group.ports.length} imports`;
  const modeText = group.mode === 'types' ? 'types' : group.fake ? `${group.mode} · ${group.fake}` : group.mode;
  const names = group.ports.map((p) => p.name).join('\n');

  const toggle = (e: MouseEvent) => {
    e.stopPropagation();
    setGroupExpanded(node, group.package, !group.expanded);
  };
  const onEnter = () => {
    if (rowMark !== 'lit' || lit < 2) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setGroupExpanded(node, group.package, true), SPRING_OPEN_MS);
  };
  const onLeave = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };

  const handles = group.expanded
    ? null
    : group.ports.map((p, i) => (
        <Handle
          key={p.name}
          type="target"
          position={Position.Left}
          id={p.name}
          // A drag starts from one port, never from a group: open it first.
          isConnectableStart={false}
          className={['pb-handle', marks[i] ? `pb-handle--${marks[i]}` : '', i === face ? '' : 'pb-handle--stacked']
            .filter(Boolean)
            .join(' ')}
          data-testid={`port-${node}-import-${p.name}`}
          aria-label={`Import ${p.name} of ${node}`}
        />
      ));

  const cls = [
    'pb-port',
    'pb-port--import',
    'pb-port--group',
    group.expanded ? 'is-open' : '',
    detail !== 'full' ? 'pb-port--far' : '',
    detail === 'tiny' ? 'pb-port--tiny' : '',
    rowMark ? `pb-port--${rowMark}` : '',
  ]
    .filter(Boolean)
    .join(' ');

  if (detail !== 'full') {
    return (
      <div className={cls} style={portStyle(group.package) as CSSProperties} data-testid={`group-${node}-${group.package}`}>
        <div className="pb-port__row" style={{ height: PORT_ROW }}>
          {handles}
          {detail === 'far' && <span className="pb-port__bar" aria-hidden />}
        </div>
      </div>
    );
  }

  return (
    <div className={cls} style={portStyle(group.package) as CSSProperties} data-testid={`group-${node}-${group.package}`}>
      <div className="pb-port__row" style={{ height: PORT_ROW }} onMouseEnter={onEnter} onMouseLeave={onLeave}>
        {handles}
        <button
          type="button"
          className="pb-port__label nodrag"
          onClick={toggle}
          aria-expanded={group.expanded}
          aria-label={`${group.expanded ? 'Hide' : 'Show'} the ${count} of ${group.package} on ${node} (${modeText})`}
          title={`${group.expanded ? 'Hide' : 'Show'} these imports:\n${names}`}
        >
          <svg className="pb-group__chevron" viewBox="0 0 16 16" width="10" height="10" aria-hidden>
            <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
          <span className="pb-port__dot" aria-hidden />
          <span className="pb-port__name">{group.package}</span>
          {group.version && <span className="pb-port__version">@{group.version}</span>}
          <span className="pb-group__count">· {count}</span>
        </button>
        {!group.expanded &&
          (group.mode === 'types' ? (
            <span className="pb-mode-badge pb-mode-badge--types">types</span>
          ) : (
            <button
              type="button"
              className={`pb-mode-badge pb-mode-badge--${group.mode} nodrag`}
              data-testid={`badge-${node}-${group.package}`}
              onClick={(e) => {
                e.stopPropagation();
                showNodeBindings(node);
              }}
              title={
                group.selector
                  ? `${modeText} for all ${count} (from binding "${group.selector}")`
                  : `${modeText} for all ${count} (no binding)`
              }
              aria-label={`Binding of the ${count} of ${group.package} on ${node}: ${modeText}`}
            >
              {modeText}
            </button>
          ))}
      </div>
    </div>
  );
});
