// The WIT of one port, shown while hovering it: its functions and types.

import type { CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import type { PortInfo, TypeInfo } from '../store';
import { functionLine } from './portText';

function typeLine(t: TypeInfo): string {
  const members = t.members.map((m) => (m.ty ? `${m.name}: ${m.ty}` : m.name));
  switch (t.kind) {
    case 'resource':
      return `resource ${t.name}`;
    case 'type':
      return `type ${t.name} = ${t.target ?? '…'}`;
    default:
      return members.length ? `${t.kind} ${t.name} { ${members.join(', ')} }` : `${t.kind} ${t.name}`;
  }
}

export function PortTooltip({
  port,
  side,
  anchor,
  problems,
}: {
  port: PortInfo;
  side: 'import' | 'export';
  anchor: DOMRect;
  problems: string[];
}) {
  const left = side === 'import' ? Math.max(8, anchor.left - 16) : anchor.right + 16;
  const style: CSSProperties = {
    top: Math.min(anchor.top, window.innerHeight - 80),
    ...(side === 'import' ? { right: window.innerWidth - left } : { left }),
  };
  const what = port.kind === 'function' ? 'function' : port.typesOnly ? 'interface (types only)' : 'interface';
  return createPortal(
    <div className="pb-port-tip" role="tooltip" style={style}>
      <div className="pb-port-tip__head">
        <span className="pb-port-tip__side">{side}</span> <span className="pb-port-tip__kind">{what}</span>
      </div>
      <div className="pb-port-tip__name">{port.name}</div>
      {port.functions.length > 0 && (
        <pre className="pb-port-tip__code">{port.functions.map(functionLine).join('\n')}</pre>
      )}
      {port.types.length > 0 && <pre className="pb-port-tip__code pb-port-tip__types">{port.types.map(typeLine).join('\n')}</pre>}
      {port.functions.length === 0 && port.types.length === 0 && <div className="pb-muted">No functions or types.</div>}
      {problems.length > 0 && (
        <ul className="pb-port-tip__problems">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </div>,
    document.body,
  );
}
