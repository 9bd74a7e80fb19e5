// Small stroke icons drawn for Patchbay (16×16 grid, currentColor).

const PATHS = {
  open: 'M2 4.5h4l1.5 1.5H14v6.5H2z',
  save: 'M3 2.5h8l2 2v9H3zM5.5 2.5v3.5h5V2.5M5.5 13.5v-4h5v4',
  undo: 'M5 4L2 7l3 3M2.5 7H10a3.5 3.5 0 010 7H7',
  redo: 'M11 4l3 3-3 3M13.5 7H6a3.5 3.5 0 000 7h3',
  add: 'M8 3v10M3 8h10',
  layout: 'M2 3h4v4H2zM10 9h4v4h-4zM6 5h2v6h2',
  export: 'M8 10V2.5M5 5.5l3-3 3 3M3 9v4.5h10V9',
  run: 'M5 3l8 5-8 5z',
  search: 'M7 2.5a4.5 4.5 0 110 9 4.5 4.5 0 010-9zM10.5 10.5L14 14',
  sun: 'M8 5a3 3 0 110 6 3 3 0 010-6zM8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3',
  moon: 'M12.5 10A5.5 5.5 0 016 3.5a5.5 5.5 0 106.5 6.5z',
  error: 'M8 1.5l6.5 12h-13zM8 6v3.5M8 11.5v.5',
  warning: 'M8 1.5l6.5 12h-13zM8 6v3.5M8 11.5v.5',
  ok: 'M3 8.5l3 3 7-7',
  close: 'M4 4l8 8M12 4l-8 8',
  component: 'M3 3h10v10H3zM1 6h2M1 10h2M13 8h2',
  fake: 'M3 3h10v10H3zM6 6.5h4M6 9.5h2M13 8h2',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14 }: { name: IconName; size?: number }) {
  return (
    <svg className={`pb-icon pb-icon--${name}`} viewBox="0 0 16 16" width={size} height={size} aria-hidden focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
