// The fixes the Problems panel offers for a component whose file cannot be
// opened (gone, moved, or never opened in this session, e.g. after a
// recovery): locate the file, or remove the component and its nodes.

import { commands, errorText, isApiError, useStore, type Problem, type ProjectDoc } from '../store';

/** The component a problem says cannot be opened, if it is one. */
export function unopenedComponent(p: Problem): string | null {
  if (p.code !== 'component-missing' && p.code !== 'component-invalid') return null;
  return p.location.kind === 'component' ? p.location.component : null;
}

/** Asks for the file of `component` (the open dialog) and points the
 *  component at it, keeping its id, nodes, wires and bindings. */
export async function locateComponent(component: string): Promise<void> {
  const s = useStore.getState();
  const doc = s.doc;
  if (!doc) return;
  let views;
  try {
    views = await commands.addComponents({ doc, paths: null });
  } catch (e) {
    if (!(isApiError(e) && e.code === 'cancelled')) s.toast(errorText(e), 'error');
    return;
  }
  const view = views[0];
  if (!view) return;
  s.updateDoc(`Locate ${component}`, (d) => {
    const c = d.components.find((x) => x.id === component);
    if (c) {
      c.path = view.path;
      c.hash = view.hash;
    }
  });
  useStore.setState((st) => ({ components: { ...st.components, [component]: { ...view, id: component } } }));
  if (view.error) s.toast(`${view.path}: ${view.error}`, 'error');
}

/** Removes `component`, its nodes, their wires, exports and exact bindings. */
export function withoutComponent(d: ProjectDoc, component: string): void {
  const nodes = new Set(d.nodes.filter((n) => n.component === component).map((n) => n.id));
  d.components = d.components.filter((c) => c.id !== component);
  d.nodes = d.nodes.filter((n) => !nodes.has(n.id));
  d.wires = d.wires.filter((w) => !nodes.has(w.from.node) && !nodes.has(w.to.node));
  d.exports = d.exports.filter((e) => !nodes.has(e.from.node));
  d.bindings = d.bindings.filter((b) => !nodes.has(b.selector.split('.')[0]));
}

export function removeComponent(component: string): void {
  useStore.getState().updateDoc(`Remove ${component} and its nodes`, (d) => withoutComponent(d, component));
}
