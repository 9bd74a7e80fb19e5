// Ctrl+K: fuzzy search over nodes, components, the interfaces of ports, and a
// few commands. Enter focuses what was found.

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { orderedSamples, useStore, type Store } from '../store';
import { fuzzyMatch } from './fuzzy';

type Item = { key: string; kind: 'node' | 'component' | 'port' | 'command'; label: string; detail: string; run: () => void };

const LIMIT = 60;

function buildItems(s: Store): Item[] {
  const doc = s.doc;
  const items: Item[] = [];
  const close = () => s.setPaletteOpen(false);
  const act = (fn: () => void) => () => {
    close();
    fn();
  };
  if (doc) {
    for (const n of doc.nodes) {
      items.push({
        key: `node:${n.id}`,
        kind: 'node',
        label: n.id,
        detail: n.component,
        run: act(() => s.focusLocation({ kind: 'node', node: n.id })),
      });
    }
    for (const f of s.fakeNodes) {
      items.push({
        key: `node:${f.id}`,
        kind: 'node',
        label: `${f.fake} fake`,
        detail: 'fake',
        run: act(() => {
          s.setSelection([f.id], []);
          s.focusNodes([f.id]);
        }),
      });
    }
    for (const c of doc.components) {
      const nodes = doc.nodes.filter((n) => n.component === c.id).map((n) => n.id);
      items.push({
        key: `component:${c.id}`,
        kind: 'component',
        label: c.id,
        detail: nodes.length ? `${nodes.length} node${nodes.length === 1 ? '' : 's'}` : 'no node yet: Enter adds one',
        run: act(() => {
          if (nodes.length) s.focusLocation({ kind: 'component', component: c.id, nodes });
          else s.addNode(c.id);
        }),
      });
    }
    for (const n of doc.nodes) {
      const info = s.components[n.component]?.info;
      if (!info) continue;
      for (const [side, ports] of [
        ['import', info.imports],
        ['export', info.exports],
      ] as const) {
        for (const p of ports) {
          items.push({
            key: `port:${n.id}:${side}:${p.name}`,
            kind: 'port',
            label: p.name,
            detail: `${side} of ${n.id}`,
            run: act(() => {
              s.selectPort({ node: n.id, port: p.name }, side);
              s.focusNodes([n.id]);
            }),
          });
        }
      }
    }
  }
  const command = (label: string, detail: string, fn: () => void, enabled = true) => {
    if (enabled) items.push({ key: `cmd:${label}`, kind: 'command', label, detail, run: act(fn) });
  };
  command('Open project…', 'Ctrl+O', () => void s.openProject(null));
  for (const sample of orderedSamples(s.samples)) {
    command(`Open the ${sample.name} sample`, sample.description || 'a sample project', () => void s.openSample(sample.name));
  }
  command('Add component…', 'from a file', () => void s.addComponents(null), !!doc);
  command('Auto-layout', 'lay the graph out left to right', () => void s.autoLayout(), !!doc);
  command('Export…', 'Ctrl+E', () => s.setExportOpen(true), !!doc);
  command('Save', 'Ctrl+S', () => void s.save(false), !!doc);
  command('Save as…', 'Ctrl+Shift+S', () => void s.save(true), !!doc);
  command('Toggle theme', s.theme === 'dark' ? 'to light' : 'to dark', () => s.toggleTheme());
  return items;
}

function highlight(text: string, positions: number[]): ReactNode {
  if (!positions.length) return text;
  const set = new Set(positions);
  const out: ReactNode[] = [];
  let run = '';
  let marked = false;
  const flush = (i: number) => {
    if (!run) return;
    out.push(marked ? <mark key={i}>{run}</mark> : run);
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const m = set.has(i);
    if (m !== marked) {
      flush(i);
      marked = m;
    }
    run += text[i];
  }
  flush(text.length);
  return out;
}

function PaletteDialog() {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const setOpen = useStore((s) => s.setPaletteOpen);
  // Built once per opening; the palette is modal, so the graph holds still.
  const [items] = useState(() => buildItems(useStore.getState()));

  const results = useMemo(() => {
    const scored: { item: Item; score: number; positions: number[] }[] = [];
    for (const item of items) {
      const m = fuzzyMatch(query, item.label) ?? fuzzyMatch(query, `${item.label} ${item.detail}`);
      if (!m) continue;
      const weight = item.kind === 'node' ? 30 : item.kind === 'component' ? 20 : item.kind === 'command' ? 0 : 10;
      scored.push({ item, score: m.score + weight, positions: m.positions.filter((p) => p < item.label.length) });
    }
    if (query.trim()) scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, LIMIT);
  }, [items, query]);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const current = Math.min(active, Math.max(results.length - 1, 0));

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(current + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      results[current]?.item.run();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
    }
  };

  return (
    <div className="pb-overlay" onMouseDown={() => setOpen(false)}>
      <div
        className="pb-palette"
        role="dialog"
        aria-modal="true"
        aria-label="Search"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <input
          ref={inputRef}
          className="pb-palette__input"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={results[current] ? `${listId}-${current}` : undefined}
          aria-label="Search nodes, components and ports"
          placeholder="Search nodes, components, interfaces…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul className="pb-palette__list" role="listbox" id={listId} aria-label="Results">
          {results.length === 0 && <li className="pb-palette__none">Nothing matches “{query}”.</li>}
          {results.map(({ item, positions }, i) => (
            <li
              key={item.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === current}
              className={`pb-palette__item ${i === current ? 'is-active' : ''}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => item.run()}
            >
              <span className={`pb-palette__kind pb-palette__kind--${item.kind}`}>{item.kind}</span>
              <span className="pb-palette__label">{highlight(item.label, positions)}</span>
              <span className="pb-palette__detail">{item.detail}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function Palette() {
  const open = useStore((s) => s.paletteOpen);
  return open ? <PaletteDialog /> : null;
}
