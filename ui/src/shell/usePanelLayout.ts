// The panel sizes of the store (`panels`) applied to the page as CSS
// variables, which the grid in app.css reads; refitted when the window
// changes size.

import { useEffect } from 'react';
import { useStore } from '../store';

/** The panel sizes as CSS variables of the page (the grid in app.css). */
export function usePanelLayout(): void {
  const panels = useStore((s) => s.panels);
  const setPanels = useStore((s) => s.setPanels);
  useEffect(() => {
    const root = document.documentElement.style;
    root.setProperty('--library-w', `${panels.libraryOpen ? panels.library : 0}px`);
    root.setProperty('--right-w', `${panels.rightOpen ? panels.right : 0}px`);
    root.setProperty('--dock-h', `${panels.dock}px`);
  }, [panels]);
  // A smaller window refits the panels for now; the sizes chosen stay
  // remembered for the next start.
  useEffect(() => {
    const refit = () => setPanels({}, false);
    window.addEventListener('resize', refit);
    return () => window.removeEventListener('resize', refit);
  }, [setPanels]);
}
