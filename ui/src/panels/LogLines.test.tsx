import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LogLines } from './LogLines';
import { logLines } from './logLines';

const stderr = [
  '[INFO greet] greeting ana',
  'thread panicked at src/lib.rs',
  '[WARN kv] cannot open `secret`: access denied',
  '[ERROR] no context',
  '[NOTICE x] not a wasi:logging level',
  '',
].join('\n');

describe('log lines', () => {
  it('reads the host’s lines with their levels and leaves other output out', () => {
    expect(logLines(stderr)).toEqual([
      { level: 'INFO', context: 'greet', message: 'greeting ana' },
      { level: 'WARN', context: 'kv', message: 'cannot open `secret`: access denied' },
      { level: 'ERROR', context: '', message: 'no context' },
    ]);
  });

  it('shows each level beside its message', () => {
    render(<LogLines text={stderr} />);
    const rows = within(screen.getByRole('table', { name: 'Log' })).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('WARN')).toBeTruthy();
    expect(within(rows[1]).getByText('cannot open `secret`: access denied')).toBeTruthy();
    expect(rows[1].className).toBe('pbp-log-warn');
  });

  it('shows nothing when the run logged nothing', () => {
    const { container } = render(<LogLines text={'plain output\n'} />);
    expect(container.innerHTML).toBe('');
  });
});
