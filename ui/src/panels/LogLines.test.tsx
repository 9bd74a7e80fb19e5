import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../bindings/types';
import { LogLines } from './LogLines';

const line = (level: LogLine['level'], context: string, message: string, nodes = ['app']): LogLine => ({
  nodes,
  level,
  context,
  message,
});

const lines: LogLine[] = [
  line('DEBUG', 'kv', 'miss default/a'),
  line('INFO', 'greet', 'greeting ana'),
  line('WARN', 'kv', 'cannot open `secret`: access denied'),
  line('ERROR', '', 'no context'),
];

describe('log lines', () => {
  it('shows each level as a badge beside its message', () => {
    render(<LogLines lines={lines} />);
    const rows = within(screen.getByRole('table', { name: 'Log' })).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(within(rows[2]).getByText('WARN')).toBeTruthy();
    expect(within(rows[2]).getByText('cannot open `secret`: access denied')).toBeTruthy();
    expect(rows[2].className).toBe('pbp-log-warn');
    expect(screen.getByText('4 lines')).toBeTruthy();
  });

  it('filters out the levels below the one picked', () => {
    render(<LogLines lines={lines} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Log level' }), { target: { value: 'WARN' } });
    const rows = within(screen.getByRole('table', { name: 'Log' })).getAllByRole('row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual(['WARN', 'ERROR']);
    expect(screen.getByText('2 of 4 lines')).toBeTruthy();
  });

  it('names the node of each line when several nodes log', () => {
    render(<LogLines lines={[line('INFO', 'a', 'one', ['front']), line('INFO', 'b', 'two', ['back'])]} />);
    const rows = within(screen.getByRole('table', { name: 'Log' })).getAllByRole('row');
    expect(within(rows[1]).getByText('back')).toBeTruthy();
  });

  it('shows nothing when the run logged nothing', () => {
    const { container } = render(<LogLines lines={[]} />);
    expect(container.innerHTML).toBe('');
  });
});
