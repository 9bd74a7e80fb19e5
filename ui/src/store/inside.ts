// Drill-down into composites: the canvas shows either the top level of the
// document or the definition of the composite the user entered (double-click
// on a composite node). Entered, the editor edits that definition: the
// document it sees (`viewDoc`) is the definition as a project of its own
// (its nodes, wires and exports, the project's components and composites,
// no bindings: a composite's unwired imports are its ports, bound on the
// composite node), and an edit's recipe runs on a view of the definition
// inside the whole document (`editRecipe`), so undo, save and analysis keep
// working on the whole document. Problems inside come from the whole
// document's analysis, located by the backend in the composite, and so do
// the inner nodes' import states, worked out by the backend for the path
// entered (`viewAnalysis`). No rule about composites lives here: grouping,
// ungrouping and what a composite's ports are belong to the backend.

import type { Analysis, ComponentView, CompositeEntry, Location, ProjectDoc } from './backend';

/** One level entered: the composite node double-clicked, and the
 *  definition it instantiates. */
export type InsideStep = { node: string; composite: string };

type Inside = { doc: ProjectDoc | null; inside: InsideStep[] };

/** Whether `doc` defines a composite called `name`. */
export function compositeOf(doc: ProjectDoc | null, name: string): CompositeEntry | undefined {
  return doc?.composites?.find((c) => c.name === name);
}

/** The definition being edited, or null at the top level. */
export function currentComposite(s: Inside): string | null {
  return s.inside.length ? s.inside[s.inside.length - 1].composite : null;
}

const viewCache = new WeakMap<ProjectDoc, Map<string, ProjectDoc>>();

/** The document the canvas shows and edits: the whole document at the top
 *  level, else the entered definition as a project of its own. The same
 *  object for the same document, so identity checks keep working. */
export function viewDoc(s: Inside): ProjectDoc | null {
  const { doc } = s;
  const name = currentComposite(s);
  if (!doc || name === null) return doc;
  const def = compositeOf(doc, name);
  if (!def) return doc;
  let perDoc = viewCache.get(doc);
  if (!perDoc) {
    perDoc = new Map();
    viewCache.set(doc, perDoc);
  }
  let view = perDoc.get(name);
  if (!view) {
    view = { ...doc, nodes: def.nodes, wires: def.wires, exports: def.exports, bindings: [], fakeNodes: [], presets: [] };
    perDoc.set(name, view);
  }
  return view;
}

/** The parts of a document an edit inside a definition reaches there; the
 *  rest of an inner view's fields are the project's own (components). */
const INNER = new Set<PropertyKey>(['nodes', 'wires', 'exports']);
/** What an inner view has none of: edits to them are dropped. */
const NONE = new Set<PropertyKey>(['bindings', 'fakeNodes', 'presets']);

/** Runs `recipe` on the draft `d` of the whole document, or, entered in
 *  `composite`, on a view of its definition inside `d`: nodes, wires and
 *  exports are the definition's; bindings, fake nodes and presets are empty
 *  and stay so. */
export function editRecipe(composite: string | null, recipe: (doc: ProjectDoc) => void): (d: ProjectDoc) => void {
  if (composite === null) return recipe;
  return (d) => {
    const def = d.composites?.find((c) => c.name === composite);
    if (!def) return;
    const scratch: Record<PropertyKey, unknown> = { bindings: [], fakeNodes: [], presets: [] };
    const view = new Proxy(d, {
      get(target, key) {
        if (INNER.has(key)) return def[key as 'nodes'];
        if (NONE.has(key)) return scratch[key];
        return target[key as keyof ProjectDoc];
      },
      set(target, key, value) {
        if (INNER.has(key)) (def as Record<string, unknown>)[key as string] = value;
        else if (NONE.has(key)) scratch[key] = value;
        else (target as Record<string, unknown>)[key as string] = value;
        return true;
      },
    });
    recipe(view);
  };
}

const analysisCache = new WeakMap<Analysis, Map<string, Analysis>>();

/** The analysis the canvas shows: the whole document's at the top level;
 *  inside a definition, its problems the backend located there, each at its
 *  place in the definition, and the import states the backend gives the
 *  inner nodes along the path entered (an inner import no inner wire feeds
 *  is bound as the composite node's port it became). */
export function viewAnalysis(s: Inside & { analysis: Analysis | null }): Analysis | null {
  const { analysis } = s;
  const name = currentComposite(s);
  if (!analysis || name === null) return analysis;
  let perAnalysis = analysisCache.get(analysis);
  if (!perAnalysis) {
    perAnalysis = new Map();
    analysisCache.set(analysis, perAnalysis);
  }
  const path = s.inside.map((step) => step.node);
  const key = `${name}\n${path.join('\n')}`;
  let view = perAnalysis.get(key);
  if (!view) {
    const problems = analysis.problems
      .filter((p) => p.location.kind === 'composite' && p.location.composite === name)
      .map((p) => ({ ...p, location: (p.location as Extract<Location, { kind: 'composite' }>).inner }));
    const entered = analysis.inside?.find(
      (i) => i.composite === name && i.path.length === path.length && i.path.every((node, k) => node === path[k]),
    );
    view = { ...analysis, problems, imports: entered?.imports ?? [] };
    perAnalysis.set(key, view);
  }
  return view;
}

/** The steps still valid in `doc`: a definition that is gone (undone,
 *  ungrouped) and everything entered below it are left. */
export function validSteps(doc: ProjectDoc | null, inside: InsideStep[]): InsideStep[] {
  const i = inside.findIndex((step) => !compositeOf(doc, step.composite));
  return i < 0 ? inside : inside.slice(0, i);
}

/** The node a location inside composites ends at, and the composite it is
 *  in (null for a location at the top level). */
export function innermost(loc: Location): { composite: string | null; nodes: string[]; inner: Location } {
  if (loc.kind !== 'composite') return { composite: null, nodes: [], inner: loc };
  return { composite: loc.composite, nodes: loc.nodes, inner: loc.inner };
}

/** `components` with the composites' views of `analysis` among them (a
 *  composite node looks its ports up like a component node does), keeping
 *  each unchanged view, and `components` itself when nothing changed. */
export function withCompositeViews(
  components: Record<string, ComponentView>,
  analysis: Analysis | null,
): Record<string, ComponentView> {
  const views = analysis?.composites ?? [];
  let next: Record<string, ComponentView> | null = null;
  for (const v of views) {
    const old = components[v.id];
    if (old && old.path === '' && old.hash === v.hash && old.error === v.error && old.hash !== null) continue;
    next ??= { ...components };
    next[v.id] = v;
  }
  return next ?? components;
}
