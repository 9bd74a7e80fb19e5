const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** How the modifier key of shortcuts is written on this platform. */
export const MOD = isMac ? '⌘' : 'Ctrl+';
