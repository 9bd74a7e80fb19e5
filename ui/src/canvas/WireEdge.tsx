// A wire from an export to an import. Red with its message when the checker
// pinned a problem on it; glowing while calls cross it; dashed for a fake.

import { memo, useState } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { FlowEdge } from '../store';

export const WireEdge = memo(function WireEdge(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, data } = props;
  const [hover, setHover] = useState(false);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
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
