// One port of a component node: its handle (imports left, exports right),
// its interface and version coloured by package, the binding badge of an
// unwired import, and, when the node is expanded, its function signatures.

import { memo, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type MouseEvent, type RefObject } from 'react';
import { Handle, Position } from '@xyflow/react';
import {
  selectImportState,
  selectIsSelectedPort,
  selectIsWired,
  selectPortProblems,
  useStore,
  viewDoc,
  type DragMark,
  type PortInfo,
} from '../store';
import { NODE_WIDTH, PORT_ROW } from '../store/metrics';
import { portStyle } from './colors';
import { PortTooltip } from './PortTooltip';
import { charsIn, elideMiddle, fitMiddle, functionLine, grantScopeText, roomForName, splitPortName, textMeasurer } from './portText';

const HOVER_DELAY_MS = 350;
/** The longest scope text a badge shows before it is cut in the middle. */
const BADGE_CHARS = 22;

/** How much of a port the zoom lets a person see: everything, a coloured
 *  bar, or nothing but the (hidden) handle the wires end at. */
export type Detail = 'full' | 'far' | 'tiny';

type Props = {
  node: string;
  port: PortInfo;
  side: 'import' | 'export';
  expanded: boolean;
  mark: DragMark;
  /** Shown because its group (see GroupRow) is open: indented under it. */
  inGroup?: boolean;
};

/** A port, in full when the canvas is close enough to read it, as its
 *  handle and a coloured bar when zoomed far out, and as a hidden handle
 *  when a row is a few pixels tall (hundreds of nodes stay smooth because
 *  far rows have no text, badges or subscriptions). */
export const PortRow = memo(function PortRow({ detail, ...props }: Props & { detail: Detail }) {
  return detail === 'full' ? <FullPortRow {...props} /> : <FarPortRow {...props} tiny={detail === 'tiny'} />;
});

const FarPortRow = memo(function FarPortRow({ node, port, side, mark, tiny, inGroup }: Props & { tiny: boolean }) {
  return (
    <div
      className={`pb-port pb-port--${side} pb-port--far ${tiny ? 'pb-port--tiny' : ''} ${inGroup ? 'pb-port--member' : ''}`}
      style={portStyle(port.package) as CSSProperties}
    >
      <div className="pb-port__row" style={{ height: PORT_ROW }}>
        <Handle
          type={side === 'import' ? 'target' : 'source'}
          position={side === 'import' ? Position.Left : Position.Right}
          id={port.name}
          className={`pb-handle ${mark ? `pb-handle--${mark}` : ''}`}
          data-testid={`port-${node}-${side}-${port.name}`}
        />
        {!tiny && <span className="pb-port__bar" aria-hidden />}
      </div>
    </div>
  );
});

const FullPortRow = memo(function FullPortRow({ node, port, side, expanded, mark, inGroup }: Props) {
  const state = useStore(side === 'import' ? selectImportState(node, port.name) : () => null);
  const wired = useStore(selectIsWired(node, port.name, side));
  const problems = useStore(selectPortProblems(node, port.name));
  const selected = useStore(selectIsSelectedPort(node, port.name, side));
  const selectPort = useStore((s) => s.selectPort);
  // The binding that applies (exact or inherited), for a grant's scope.
  const binding = useStore((s) =>
    state?.selector ? (s.doc?.bindings.find((b) => b.selector === state.selector)?.binding ?? null) : null,
  );
  // The names the composition exports this port as (`granted`), if any.
  const exportedAs = useStore((s) =>
    side === 'export'
      ? (viewDoc(s)
          ?.exports.filter((e) => e.from.node === node && e.from.port === port.name)
          .map((e) => e.name ?? port.name)
          .join(', ') ?? '')
      : '',
  );
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  const rowRef = useRef<HTMLDivElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onEnter = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (rowRef.current) setAnchor(rowRef.current.getBoundingClientRect());
    }, HOVER_DELAY_MS);
  };
  const onLeave = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setAnchor(null);
  };
  const onSelect = (e: MouseEvent) => {
    e.stopPropagation();
    selectPort({ node, port: port.name }, side);
  };

  const { base, version } = splitPortName(port.name);
  const mode = side === 'import' && !wired && state && state.mode !== 'wired' && !state.typesOnly ? state.mode : null;
  const typesOnly = side === 'import' && !wired && state?.typesOnly;
  const cls = [
    'pb-port',
    `pb-port--${side}`,
    selected ? 'pb-port--selected' : '',
    problems ? 'pb-port--problem' : '',
    wired ? 'pb-port--wired' : '',
    inGroup ? 'pb-port--member' : '',
    mark === 'dim' || mark === 'lit' ? `pb-port--${mark}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const handleCls = ['pb-handle', mark ? `pb-handle--${mark}` : ''].filter(Boolean).join(' ');
  const scope = mode === 'grant' && binding?.mode === 'grant' && state ? grantScopeText(state.scopes, binding) : '';
  const badge = mode ? (state?.fake ? `${mode} · ${state.fake}` : scope ? elideMiddle(scope, BADGE_CHARS) : mode) : '';
  // Before the row is laid out (and in unit tests), a cautious estimate of
  // what is left of the row for the name: the node's width less the
  // handle, paddings, dot, version, badge and alert. Once laid out, the
  // name is fitted to the room the row really leaves it (useFittedName).
  const room =
    NODE_WIDTH -
    60 -
    (exportedAs ? exportedAs.length * 6.2 + 24 : 0) -
    (version ? (version.length + 1) * 7 + 5 : 0) -
    (badge ? badge.length * 6.5 + 20 : 0) -
    (problems ? 21 : 0);
  const estimated = elideMiddle(base, charsIn(inGroup ? room - 12 : room));
  const labelRef = useRef<HTMLButtonElement>(null);
  const nameRef = useRef<HTMLSpanElement>(null);
  // What else shares the row: when it changes, so does the name's room.
  const rowParts = `${badge}|${version}|${exportedAs}|${problems?.length ?? 0}|${inGroup ?? false}`;
  const shownName = useFittedName(base, estimated, rowParts, labelRef, nameRef);
  const sideLabel = side === 'import' ? 'Import' : 'Export';

  return (
    <div className={cls} style={portStyle(port.package) as CSSProperties}>
      <div
        ref={rowRef}
        className="pb-port__row"
        style={{ height: PORT_ROW }}
        onMouseEnter={onEnter}
        onMouseLeave={onLeave}
      >
        <Handle
          type={side === 'import' ? 'target' : 'source'}
          position={side === 'import' ? Position.Left : Position.Right}
          id={port.name}
          className={handleCls}
          data-testid={`port-${node}-${side}-${port.name}`}
          aria-label={`${sideLabel} ${port.name} of ${node}`}
        />
        {exportedAs && (
          <span
            className="pb-port__exported"
            title={`The composition exports this as ${exportedAs}`}
            data-testid={`exported-${node}-${port.name}`}
          >
            as {exportedAs}
          </span>
        )}
        <button
          ref={labelRef}
          type="button"
          className="pb-port__label"
          onClick={onSelect}
          aria-label={`${sideLabel} ${port.name} of ${node}`}
          aria-pressed={selected}
        >
          <span className="pb-port__dot" aria-hidden />
          <span ref={nameRef} className="pb-port__name" title={port.name}>
            {shownName}
          </span>
          {version && <span className="pb-port__version">@{version}</span>}
        </button>
        {mode && (
          <button
            type="button"
            className={`pb-mode-badge pb-mode-badge--${mode} nodrag`}
            data-testid={`badge-${node}-${port.name}`}
            onClick={onSelect}
            title={`${mode}${scope ? ` ${scope}` : ''} ${state?.selector ? `(from binding "${state.selector}")` : '(no binding)'}`}
            aria-label={`Binding of ${node}.${port.name}: ${mode}${state?.fake ? ` ${state.fake}` : ''}${scope ? ` (${scope})` : ''}`}
          >
            {badge}
          </button>
        )}
        {typesOnly && <span className="pb-mode-badge pb-mode-badge--types">types</span>}
        {problems && (
          <span className="pb-port__alert" title={problems.map((p) => p.message).join('\n')} aria-label="Port problem">
            !
          </span>
        )}
      </div>
      {expanded && port.functions.length > 0 && (
        <ul className="pb-port__functions" aria-label={`Functions of ${port.name}`}>
          {port.functions.map((f) => (
            <li key={`${f.resource ?? ''}.${f.name}`}>{functionLine(f)}</li>
          ))}
        </ul>
      )}
      {expanded && port.functions.length === 0 && port.types.length > 0 && (
        <ul className="pb-port__functions pb-muted">
          <li>types only: {port.types.map((t) => t.name).join(', ')}</li>
        </ul>
      )}
      {anchor && !mark && (
        <PortTooltip port={port} side={side} anchor={anchor} problems={(problems ?? []).map((p) => p.message)} />
      )}
    </div>
  );
});

/** `base` cut once, in the middle, to the room the laid-out row leaves its
 *  name, measured in the label's own font; `estimated` until the row has a
 *  size (or where text cannot be measured). The label's box does not depend
 *  on the name (it is `flex: 1` with a zero basis), so fitting never feeds
 *  back into the room. Fitted again when the row's other parts
 *  (`rowParts`) change and once the fonts have loaded. */
function useFittedName(
  base: string,
  estimated: string,
  rowParts: string,
  labelRef: RefObject<HTMLButtonElement | null>,
  nameRef: RefObject<HTMLSpanElement | null>,
): string {
  const [fitted, setFitted] = useState<{ base: string; room: number; fonts: number; text: string } | null>(null);
  const [fonts, setFonts] = useState(0);
  useLayoutEffect(() => {
    const label = labelRef.current;
    const name = nameRef.current;
    if (!label || !name) return;
    const room = roomForName(label, name);
    if (room <= 0) return;
    if (fitted && fitted.base === base && fitted.fonts === fonts && Math.abs(fitted.room - room) < 0.5) return;
    const measure = textMeasurer(name);
    if (!measure) return;
    // Half a pixel of slack: the page may round glyph advances differently.
    setFitted({ base, room, fonts, text: fitMiddle(base, room - 0.5, measure) });
  }, [base, fonts, fitted, rowParts, labelRef, nameRef]);
  useEffect(() => {
    let live = true;
    void document.fonts?.ready.then(() => {
      if (live) setFonts((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, []);
  return fitted && fitted.base === base ? fitted.text : estimated;
}
