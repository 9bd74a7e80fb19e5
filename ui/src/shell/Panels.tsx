// The right panel (Inspector | Binding | Run) and the bottom panel
// (Problems | Output | Trace): tabs around the panels' components.

import { useId, type KeyboardEvent, type ReactNode } from 'react';
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
  return (
    <Tabs className="pb-right" label="Details" tabs={RIGHT_TABS} current={tab} onSelect={setTab}>
      {tab === 'inspector' && <InspectorPanel />}
      {tab === 'binding' && <CapabilityPanel />}
      {tab === 'run' && <RunPanel />}
    </Tabs>
  );
}

function Count({ n, kind }: { n: number; kind: 'error' | 'warning' | 'info' }) {
  return n ? <span className={`pb-count pb-count--${kind}`}>{n}</span> : null;
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
    <Tabs className="pb-bottom" label="Results" tabs={tabs} current={tab} onSelect={setTab}>
      {tab === 'problems' && <ProblemsPanel />}
      {tab === 'output' && <OutputPanel />}
      {tab === 'trace' && <TraceTimeline />}
    </Tabs>
  );
}
