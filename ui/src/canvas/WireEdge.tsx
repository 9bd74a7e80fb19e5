// A wire from an export to an import. Red with its message when the checker
// pinned a problem on it; glowing while calls cross it; dashed for a fake.
// Drawn along the route the last auto-layout gave it (around the nodes)
// while that still meets its handles, else as a curve (see route.ts).

import { memo, useState } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { useStore, type FlowEdge } from '../store';
import { fitRoute, midpoint, roundedPath } from './route';

export const WireEdge = memo(function WireEdge(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, data } = props;
  const [hover, setHover] = useState(false);
  const stored = useStore((s) => s.wireRoutes[id]);
  const route = stored ? fitRoute(stored, { x: sourceX, y: sourceY }, { x: targetX, y: targetY }) : null;
  const [path, labelX, labelY] = route
    ? [roundedPath(route), midpoint(route).x, midpoint(route).y]
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const problems = data?.problems ?? null;
  const cls = [
    'pb-edge',
    problems ? 'pb-edge--problem' : '',
    data?.active ? 'pb-edge--active' : '',
    data?.fake ? 'pb-edge--fake' : '',
    selected ? 'pb-edge--selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const message = problems?.map((p) => p.message).join('\n');
  return (
    <g
      className={cls}
      data-testid={`edge-${id}`}
      data-routed={route ? 'true' : undefined}
      onMouseEnter={() => setHover(true)}
      onMouseLeave={() => setHover(false)}
    >
      <BaseEdge id={id} path={path} interactionWidth={18} />
      {data?.active && <path d={path} className="pb-edge__pulse" fill="none" />}
      {problems && (
        <EdgeLabelRenderer>
          <div
            className="pb-edge__marker nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            onMouseEnter={() => setHover(true)}
            onMouseLeave={() => setHover(false)}
            aria-label={`Problem on this wire: ${message}`}
            data-testid={`edge-problem-${id}`}
          >
            !
          </div>
          {(hover || selected) && (
            <div
              className="pb-edge__tip"
              role="tooltip"
              style={{ transform: `translate(-50%, 14px) translate(${labelX}px, ${labelY}px)` }}
            >
              {message}
            </div>
          )}
        </EdgeLabelRenderer>
      )}
    </g>
  );
});
