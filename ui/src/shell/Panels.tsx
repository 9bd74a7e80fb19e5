// The right panel (Inspector | Binding | Run) and the bottom panel
// (Problems | Output | Trace): tabs around the panels' components; and the
// splitters that resize and collapse the library, the right panel and the
// dock (sizes in the store's `panels`, remembered).

import { useId, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { CapabilityPanel, InspectorPanel, OutputPanel, ProblemsPanel, RunPanel, TraceTimeline } from '../panels';
import { useStore, type BottomTab, type RightTab } from '../store';

type Tab<T extends string> = { id: T; label: string; badge?: ReactNode };

function Tabs<T extends string>({
  label,
  tabs,
  current,
  onSelect,
  children,
  className,
}: {
  label: string;
  tabs: Tab<T>[];
  current: T;
  onSelect: (t: T) => void;
  children: ReactNode;
  className: string;
}) {
  const id = useId();
  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === current);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      onSelect(next.id);
      document.getElementById(`${id}-tab-${next.id}`)?.focus();
    }
  };
  return (
    <section className={`pb-tabs ${className}`} aria-label={label}>
      <div className="pb-tabs__list" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`${id}-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === current}
            aria-controls={`${id}-panel`}
            tabIndex={t.id === current ? 0 : -1}
            className={`pb-tabs__tab ${t.id === current ? 'is-active' : ''}`}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
            {t.badge}
          </button>
        ))}
      </div>
      <div className="pb-tabs__panel" role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`}>
        {children}
      </div>
    </section>
  );
}

const RIGHT_TABS: Tab<RightTab>[] = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'binding', label: 'Binding' },
  { id: 'run', label: 'Run' },
];

export function RightPanel() {
  const tab = useStore((s) => s.rightTab);
  const setTab = useStore((s) => s.setRightTab);
  const open = useStore((s) => s.panels.rightOpen);
  return (
    <Tabs className={`pb-right ${open ? '' : 'is-collapsed'}`} label="Details" tabs={RIGHT_TABS} current={tab} onSelect={setTab}>
      {tab === 'inspector' && <InspectorPanel />}
      {tab === 'binding' && <CapabilityPanel />}
      {tab === 'run' && <RunPanel />}
    </Tabs>
  );
}

function Count({ n, kind }: { n: number; kind: 'error' | 'warning' | 'info' }) {
  return n ? <span className={`pb-count pb-count--${kind}`}>{n}</span> : null;
}

type Edge = 'library' | 'right' | 'dock';

const SPLITTER_LABEL: Record<Edge, string> = {
  library: 'Resize the library',
  right: 'Resize the details panel',
  dock: 'Resize the results dock',
};

/** A drag handle on one edge of the canvas: drag to resize, double-click
 *  (or the arrow button of a side panel) to collapse or reopen it, arrow
 *  keys to resize by 16 px. */
function Splitter({ edge }: { edge: Edge }) {
  const panels = useStore((s) => s.panels);
  const setPanels = useStore((s) => s.setPanels);
  const open = edge === 'library' ? panels.libraryOpen : edge === 'right' ? panels.rightOpen : true;
  const size = panels[edge];
  // Dragging right grows the library; left grows the right panel; up grows the dock.
  const sign = edge === 'library' ? 1 : -1;
  const toggle = () => {
    if (edge === 'library') setPanels({ libraryOpen: !panels.libraryOpen });
    if (edge === 'right') setPanels({ rightOpen: !panels.rightOpen });
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !open) return;
    e.preventDefault();
    const start = edge === 'dock' ? e.clientY : e.clientX;
    const target = e.currentTarget;
    target.setPointerCapture?.(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const d = (edge === 'dock' ? ev.clientY : ev.clientX) - start;
      setPanels({ [edge]: size + sign * d }, false);
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
      setPanels({}, true);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const keys = edge === 'dock' ? ['ArrowUp', 'ArrowDown'] : edge === 'library' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowLeft', 'ArrowRight'];
    const i = keys.indexOf(e.key);
    if (i < 0 || !open) return;
    e.preventDefault();
    setPanels({ [edge]: size + (i === 0 ? 16 : -16) });
  };
  return (
    <div
      className={`pb-splitter pb-splitter--${edge} ${open ? '' : 'is-collapsed'}`}
      role="separator"
      aria-orientation={edge === 'dock' ? 'horizontal' : 'vertical'}
      aria-label={SPLITTER_LABEL[edge]}
      aria-valuenow={open ? size : 0}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onDoubleClick={toggle}
      onKeyDown={onKeyDown}
      data-testid={`splitter-${edge}`}
    >
      {edge !== 'dock' && (
        <button
          type="button"
          className="pb-splitter__toggle"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={toggle}
          aria-label={`${open ? 'Collapse' : 'Show'} the ${edge === 'library' ? 'library' : 'details panel'}`}
          title={`${open ? 'Collapse' : 'Show'} the ${edge === 'library' ? 'library' : 'details panel'}`}
        >
          {(edge === 'library') === open ? '‹' : '›'}
        </button>
      )}
    </div>
  );
}

/** The splitters on the canvas's edges (children of `.pb-center`). */
export function Splitters() {
  return (
    <>
      <Splitter edge="library" />
      <Splitter edge="right" />
      <Splitter edge="dock" />
    </>
  );
}

export function BottomPanel() {
  const tab = useStore((s) => s.bottomTab);
  const setTab = useStore((s) => s.setBottomTab);
  const problems = useStore((s) => s.analysis?.problems.length ?? 0);
  const errors = useStore((s) => s.analysis?.problems.filter((p) => p.severity === 'error').length ?? 0);
  const traced = useStore((s) => s.lastRun?.trace.length ?? 0);
  const failed = useStore((s) => (s.lastRun ? !s.lastRun.ok : false));
  const tabs: Tab<BottomTab>[] = [
    { id: 'problems', label: 'Problems', badge: <Count n={problems} kind={errors ? 'error' : 'warning'} /> },
    { id: 'output', label: 'Output', badge: failed ? <Count n={1} kind="error" /> : null },
    { id: 'trace', label: 'Trace', badge: <Count n={traced} kind="info" /> },
  ];
  return (
    <>
      <Splitters />
      <Tabs className="pb-bottom" label="Results" tabs={tabs} current={tab} onSelect={setTab}>
        {tab === 'problems' && <ProblemsPanel />}
        {tab === 'output' && <OutputPanel />}
        {tab === 'trace' && <TraceTimeline />}
      </Tabs>
    </>
  );
}
