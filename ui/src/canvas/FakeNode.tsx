// A built-in fake offered as a node: one output that can be wired to any
// import the fake can serve (which sets `mock { fake }` on that import).

import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { FAKE_PORT, selectDragMark, useStore, type FakeFlowNode } from '../store';
import { fakeLinks } from '../store/doc';
import { FAKE_NODE_HEIGHT, FAKE_NODE_WIDTH } from '../store/metrics';
import { charsIn, elideMiddle } from './portText';

export const FakeNode = memo(function FakeNode({ id, data, selected }: NodeProps<FakeFlowNode>) {
  const view = useStore((s) => s.fakes.find((f) => f.name === data.fake));
  const mark = useStore(selectDragMark(id, FAKE_PORT, 'export'));
  const uses = useStore((s) => s.flowEdges.reduce((n, e) => (e.source === id ? n + 1 : n), 0));
  // The interfaces it provides: the imports bound to it, once each.
  const provides = useStore((s) =>
    s.doc
      ? [...new Set(fakeLinks(s.doc).filter((l) => l.fake === data.fake).map((l) => l.to.port))].join('\n')
      : '',
  );
  return (
    <div
      className={`pb-node pb-node--fake ${selected ? 'pb-node--selected' : ''}`}
      style={{ width: FAKE_NODE_WIDTH, minHeight: FAKE_NODE_HEIGHT }}
      data-testid={`node-${id}`}
      title={view?.description}
    >
      <div className="pb-fake__kind">fake</div>
      <div className="pb-node__title">{view?.title ?? data.fake}</div>
      <div className="pb-node__subtitle">
        {uses === 0 ? 'drag to an import to mock it' : `mocks ${uses} import${uses === 1 ? '' : 's'}`}
      </div>
      {provides && (
        <ul className="pb-fake__provides" aria-label={`Interfaces the ${data.fake} fake provides`}>
          {provides.split('\n').map((p) => (
            <li key={p} title={p}>
              {elideMiddle(p, charsIn(FAKE_NODE_WIDTH - 40))}
            </li>
          ))}
        </ul>
      )}
      <Handle
        type="source"
        position={Position.Right}
        id={FAKE_PORT}
        className={`pb-handle pb-handle--fake ${mark ? `pb-handle--${mark}` : ''}`}
        data-testid={`port-${id}-export-${FAKE_PORT}`}
        aria-label={`Output of the ${data.fake} fake`}
      />
    </div>
  );
});
