import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetStore, useStore } from '../store';
import { NoProject } from './EmptyState';

describe('NoProject', () => {
  beforeEach(() => resetStore());

  it('shows why the start-up project did not open, with its file and reason, and can try again', async () => {
    const retryStartup = vi.fn(async () => {});
    act(() =>
      useStore.setState({
        openError: {
          message: 'cannot open /home/ada/shop',
          detail: '/home/ada/shop/patchbay.toml:3:9: unclosed table, expected `]`',
          retry: 'startup',
        },
        retryStartup,
      }),
    );
    render(<NoProject />);
    const alert = screen.getByRole('alert', { name: 'The project did not open' });
    expect(alert).toHaveTextContent('Cannot open /home/ada/shop');
    expect(alert).toHaveTextContent('/home/ada/shop/patchbay.toml:3:9: unclosed table, expected `]`');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(retryStartup).toHaveBeenCalledTimes(1);
    // Still the way to open something else.
    expect(screen.getByRole('button', { name: /Open a project/ })).toBeInTheDocument();
  });

  it('shows no error when nothing failed, and no retry for a failed dialog open', () => {
    const { rerender } = render(<NoProject />);
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => useStore.setState({ openError: { message: 'there is no sample `x`', detail: null, retry: null } }));
    rerender(<NoProject />);
    expect(screen.getByRole('alert')).toHaveTextContent('There is no sample `x`');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });
});
