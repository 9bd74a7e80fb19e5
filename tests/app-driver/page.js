// What a driver asks of the app's page, written once: functions that run in
// the page. Every script a session runs starts with `PRELUDE`, which defines
// them as `pb`, so a page function (a test's, the screenshot's, the bench's
// timing loops) calls `pb.analysisShown()` and the like.

const helpers = [
  /** The text of the Problems panel, or '' while it is not there. */
  function problemsText() {
    return document.querySelector('[aria-label="Problems"]')?.innerText ?? '';
  },

  /** The Problems panel's text once the first analysis is shown, else null. */
  function analysisShown() {
    const text = pb.problemsText();
    return text && !/Analyzing/.test(text) ? text.trim() : null;
  },

  /** Whether the canvas shows the nodes `ids` (any node when none are
   * named) and, when `wired`, at least one edge. */
  function graphShown(ids, wired) {
    const shown = (el) => !!el && (typeof el.checkVisibility !== 'function' || el.checkVisibility());
    const nodes = ids.length
      ? ids.every((id) => shown(document.querySelector(`[data-testid="node-${CSS.escape(id)}"]`)))
      : document.querySelectorAll('.react-flow__node').length > 0;
    return nodes && (!wired || !!document.querySelector('.react-flow__edge'));
  },

  /** The tab (`button[role=tab]`) whose text starts with `label`, within
   * the element matching CSS `within` if given. A tab's text may end with a
   * count badge ("Problems1"). */
  function tabNamed(label, within) {
    const root = within ? document.querySelector(within) : document;
    for (const tab of root?.querySelectorAll('button[role="tab"]') ?? []) {
      if (tab.textContent.replace(/\s+/g, ' ').trim().startsWith(label)) return tab;
    }
    return null;
  },
];

/** The script text that defines `pb` in the page. */
export const PRELUDE = `const pb = {\n${helpers.map((f) => `${f.name}: ${f}`).join(',\n')}\n};\n`;
