import { useEffect } from 'react';
import { useStore } from '../store';

/** Puts the store's theme on <html> (`data-theme`), where the CSS variables
 *  of app.css pick it up. */
export function useApplyTheme(): void {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  }, [theme]);
}
