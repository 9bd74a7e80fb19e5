import { describe, expect, it } from 'vitest';
import type { ImportMode, ImportState, PortInfo } from './backend';
import { collapsedGroupOf, groupSummary, importRows, sameRows, type ImportRow, type ImportRowsInput } from './portGroups';
import { estimateComponentNode, NODE_HEADER, PORT_ROW, SECTION_CAPTION } from './metrics';

function port(name: string): PortInfo {
  const at = name.indexOf('@');
  const slash = name.indexOf('/');
  return {
    name,
    kind: slash > 0 ? 'interface' : 'function',
    package: slash > 0 ? name.slice(0, slash) : null,
    interface: slash > 0 ? name.slice(slash + 1, at > 0 ? at : undefined) : null,
    version: at > 0 ? name.slice(at + 1) : null,
    functions: [],
    types: [],
    typesOnly: false,
  };
}

// The imports of a Rust guest (kv-service), as the component lists them.
const RUST_GUEST = [
  'patchbay:kv/store',
  'wasi:io/poll@0.2.6',
  'wasi:io/error@0.2.6',
  'wasi:io/streams@0.2.6',
  'wasi:cli/environment@0.2.6',
  'wasi:cli/exit@0.2.6',
  'wasi:cli/stdin@0.2.6',
  'wasi:cli/stdout@0.2.6',
  'wasi:cli/stderr@0.2.6',
  'wasi:cli/terminal-input@0.2.6',
  'wasi:cli/terminal-output@0.2.6',
].map(port);

type Bound = { mode: ImportMode; selector?: string | null; fake?: ImportState['fake']; typesOnly?: boolean };

/** Every WASI import granted by `*.wasi:*`, the store wired, unless `bound` says otherwise. */
function input({
  bound = {},
  wired = ['patchbay:kv/store'],
  problems = [],
  expanded = [],
}: {
  bound?: Record<string, Bound>;
  wired?: string[];
  problems?: string[];
  expanded?: string[];
} = {}): ImportRowsInput {
  const states = new Map<string, ImportState>();
  for (const p of RUST_GUEST) {
    const b: Bound = bound[p.name] ?? (wired.includes(p.name) ? { mode: 'wired' } : { mode: 'grant', selector: '*.wasi:*' });
    states.set(p.name, {
      node: 'service',
      port: p.name,
      mode: b.mode,
      selector: b.selector ?? null,
      fake: b.fake ?? null,
      typesOnly: b.typesOnly ?? false,
      scopes: [],
    });
  }
  return { states, wired: new Set(wired), problems: new Set(problems), expanded: new Set(expanded) };
}

/** Rows in short: a port's name, or `[package: n mode]` for a group (`+` when open). */
function show(rows: ImportRow[]): string[] {
  return rows.map((r) =>
    r.kind === 'port'
      ? `${r.group ? '  ' : ''}${r.port.name}`
      : `[${r.group.package}: ${r.group.ports.length} ${r.group.mode}${r.group.fake ? ` ${r.group.fake}` : ''}${r.group.expanded ? ' +' : ''}]`,
  );
}

describe('importRows', () => {
  it('collapses the unwired imports of each package bound alike into one row', () => {
    expect(show(importRows(RUST_GUEST, input()))).toEqual(['patchbay:kv/store', '[wasi:io: 3 grant]', '[wasi:cli: 7 grant]']);
    const cli = importRows(RUST_GUEST, input())[2];
    expect(cli.kind === 'group' && cli.group).toMatchObject({ package: 'wasi:cli', version: '0.2.6', selector: '*.wasi:*' });
    expect(cli.kind === 'group' && groupSummary(cli.group)).toBe('wasi:cli · 7 imports · grant');
  });

  it('shows wired ports, ports with problems and differently bound ports on their own', () => {
    const rows = importRows(
      RUST_GUEST,
      input({
        wired: ['patchbay:kv/store', 'wasi:cli/stdin@0.2.6'],
        problems: ['wasi:io/poll@0.2.6'],
        bound: {
          'wasi:cli/environment@0.2.6': { mode: 'grant', selector: 'service.wasi:cli/environment@0.2.6' },
          'wasi:cli/exit@0.2.6': { mode: 'deny', selector: 'service.wasi:cli/exit@0.2.6' },
        },
      }),
    );
    expect(show(rows)).toEqual([
      'patchbay:kv/store',
      'wasi:io/poll@0.2.6',
      '[wasi:io: 2 grant]',
      'wasi:cli/environment@0.2.6',
      'wasi:cli/exit@0.2.6',
      'wasi:cli/stdin@0.2.6',
      '[wasi:cli: 4 grant]',
    ]);
  });

  it('splits a package by mode and by fake, and leaves a lone port alone', () => {
    const rows = importRows(
      RUST_GUEST,
      input({
        bound: {
          'wasi:cli/stdout@0.2.6': { mode: 'mock', selector: 'service.wasi:cli/std*', fake: 'log' },
          'wasi:cli/stderr@0.2.6': { mode: 'mock', selector: 'service.wasi:cli/std*', fake: 'log' },
          'wasi:cli/stdin@0.2.6': { mode: 'mock', selector: 'service.wasi:cli/std*', fake: null },
          'wasi:io/poll@0.2.6': { mode: 'deny', selector: '*.wasi:io/*' },
          'wasi:io/error@0.2.6': { mode: 'deny', selector: '*.wasi:io/*' },
          'wasi:io/streams@0.2.6': { mode: 'deny', selector: '*.wasi:io/*' },
        },
      }),
    );
    expect(show(rows)).toEqual([
      'patchbay:kv/store',
      '[wasi:io: 3 deny]',
      '[wasi:cli: 4 grant]',
      'wasi:cli/stdin@0.2.6',
      '[wasi:cli: 2 mock log]',
    ]);
  });

  it('lists the ports of an expanded group under its row', () => {
    const rows = importRows(RUST_GUEST, input({ expanded: ['wasi:io'] }));
    expect(show(rows)).toEqual([
      'patchbay:kv/store',
      '[wasi:io: 3 grant +]',
      '  wasi:io/poll@0.2.6',
      '  wasi:io/error@0.2.6',
      '  wasi:io/streams@0.2.6',
      '[wasi:cli: 7 grant]',
    ]);
    expect(collapsedGroupOf(rows, 'wasi:io/poll@0.2.6')).toBeNull();
    expect(collapsedGroupOf(rows, 'wasi:cli/exit@0.2.6')?.package).toBe('wasi:cli');
    expect(collapsedGroupOf(rows, 'patchbay:kv/store')).toBeNull();
  });

  it('groups imports that only carry types, and never groups without a binding or a package', () => {
    const types = [port('patchbay:orders/types@0.1.0'), port('patchbay:orders/money@0.1.0'), port('log')];
    const states = new Map<string, ImportState>(
      types.map((p) => [
        p.name,
        { node: 'n', port: p.name, mode: 'leave', selector: null, fake: null, typesOnly: p.package !== null, scopes: [] },
      ]),
    );
    const rows = importRows(types, { states, wired: new Set(), problems: new Set(), expanded: new Set() });
    expect(show(rows)).toEqual(['[patchbay:orders: 2 types]', 'log']);
    // Before the first analysis nothing is known about bindings: one row each.
    expect(show(importRows(RUST_GUEST, { ...input(), states: new Map() }))).toEqual(RUST_GUEST.map((p) => p.name));
  });

  it('tells rows that draw the same apart from rows that do not', () => {
    const a = importRows(RUST_GUEST, input());
    expect(sameRows(a, importRows(RUST_GUEST, input()))).toBe(true);
    expect(sameRows(a, importRows(RUST_GUEST, input({ expanded: ['wasi:cli'] })))).toBe(false);
    expect(sameRows(a, importRows(RUST_GUEST, input({ problems: ['wasi:cli/exit@0.2.6'] })))).toBe(false);
  });
});

describe('estimateComponentNode with groups', () => {
  it('counts a collapsed group as one row and puts its ports’ handles on it', () => {
    const view = {
      id: 'kv-service',
      path: 'kv-service.wasm',
      absPath: '/kv-service.wasm',
      size: 1,
      hash: null,
      info: { imports: RUST_GUEST, exports: [port('handle-request')], wit: '' },
      error: null,
    };
    const flat = estimateComponentNode(view);
    const grouped = estimateComponentNode(view, importRows(RUST_GUEST, input()));
    expect(flat.height - grouped.height).toBe((RUST_GUEST.length - 3) * PORT_ROW);
    const firstRow = NODE_HEADER + SECTION_CAPTION + PORT_ROW / 2;
    const y = Object.fromEntries(grouped.inPorts.map((p) => [p.id, p.y]));
    expect(y['patchbay:kv/store']).toBe(firstRow);
    expect(y['wasi:io/poll@0.2.6']).toBe(firstRow + PORT_ROW);
    expect(y['wasi:io/streams@0.2.6']).toBe(firstRow + PORT_ROW);
    expect(y['wasi:cli/terminal-output@0.2.6']).toBe(firstRow + 2 * PORT_ROW);
    expect(grouped.inPorts).toHaveLength(RUST_GUEST.length);
    // Open, the group's row is a header above its ports.
    const open = estimateComponentNode(view, importRows(RUST_GUEST, input({ expanded: ['wasi:io'] })));
    expect(open.height - grouped.height).toBe(3 * PORT_ROW);
    expect(open.inPorts.find((p) => p.id === 'wasi:io/poll@0.2.6')?.y).toBe(firstRow + 2 * PORT_ROW);
  });
});
