/** Patchbay's mark: two jacks joined by a patch cable. */
export function Logo({ size = 18 }: { size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden focusable="false">
      <rect x="2.5" y="4" width="7" height="16" rx="2" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <rect x="14.5" y="4" width="7" height="16" rx="2" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <circle cx="6" cy="8.5" r="1.6" fill="currentColor" />
      <circle cx="18" cy="15.5" r="1.6" fill="currentColor" />
      <path d="M7.6 8.5c4 0 4.8 7 8.8 7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
