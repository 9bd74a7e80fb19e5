// End-to-end tests that the canvas reads at normal zoom (issue 13): port
// names are at least 11 px on screen, cut once in the middle and never again
// by CSS, with the full name on hover; after auto-layout wires (a fake's
// dashed wire included) run around the nodes, and a wire whose node moves
// is a curve again until the next layout (an undo brings the route back).
// Run with run.sh.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WAIT_MS, copyProject, withApp, withAppOn } from './lib/app.js';

const TEST_MS = 300_000;
const STORE = 'patchbay:kv/store';

/** Every port name on the canvas: what it shows, its full name (the hover
 * title), its font size at 100% and on screen, and whether CSS cuts it
 * further. */
async function portNames(app) {
  return app.browser.execute(() => {
    const viewport = document.querySelector('.react-flow__viewport');
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
    return [...document.querySelectorAll('.pb-port__name')].map((el) => ({
      shown: el.textContent,
      // A group row shows its package whole (its title lists the ports).
      group: !!el.closest('.pb-port--group'),
      full: el.getAttribute('title') ?? el.textContent,
      // The size at 100% (what "normal zoom" means), and on screen now.
      px: parseFloat(getComputedStyle(el).fontSize),
      onScreen: parseFloat(getComputedStyle(el).fontSize) * zoom,
      cutByCss: el.scrollWidth > el.clientWidth + 0.5,
    }));
  });
}

test('port names on sandbox-demo are 11 px or more, cut once in the middle and not again, the full name on hover', { timeout: TEST_MS }, async () => {
  await withAppOn('readable port names', await copyProject('readable-ports', 'sandbox-demo'), async (app) => {
    await app.waitForProject();
    const names = await app.until(async () => {
      const all = await portNames(app);
      return all.length >= 20 ? all : false;
    }, 'the ports of the three nodes');
    for (const n of names) {
      if (n.group) {
        assert.ok(n.px >= 11 && !n.cutByCss, `the group ${n.shown} is whole at ${n.px} px`);
        continue;
      }
      const base = n.full.replace(/@[^@]*$/, '');
      assert.ok(n.px >= 11, `${n.full} is ${n.px} px on screen`);
      assert.ok(!n.cutByCss, `${n.full} shows "${n.shown}" and CSS cuts it again`);
      const parts = n.shown.split('…');
      assert.ok(parts.length <= 2, `${n.full} is cut more than once: "${n.shown}"`);
      if (parts.length === 2) {
        assert.ok(base.startsWith(parts[0]) && base.endsWith(parts[1]), `"${n.shown}" is ${base} cut in the middle`);
      } else assert.equal(n.shown, base);
    }
    assert.ok(
      names.some((n) => n.shown.includes('…')),
      'some long name (wasi:http/outgoing-handler beside its scope badge) is cut',
    );
    // Fit view shows three nodes at 100%, never zoomed in past it.
    await app.browser.$('.react-flow__controls-fitview').click();
    await app.browser.pause(400);
    const zoom = await app.browser.execute(
      () => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a,
    );
    assert.ok(zoom <= 1, `fit view zooms to ${zoom}`);
    // At 100% (where fit view stops when the graph fits) a name is its CSS size.
    if (zoom === 1) for (const n of await portNames(app)) assert.ok(n.onScreen >= 11, `${n.full} is ${n.onScreen} px`);
  });
});

/** Each drawn wire's path sampled on screen, with whether it is drawn along
 * its layout route, and every node's box on screen. */
async function wiresAndNodes(app) {
  return app.browser.execute(() => {
    const wires = [...document.querySelectorAll('g[data-testid^="edge-"]')].map((g) => {
      // From the path's own units to the screen through its boxes (WebKit's
      // getScreenCTM() leaves out the CSS transform of the viewport).
      const path = g.querySelector('path.react-flow__edge-path') ?? g.querySelector('path');
      const box = path.getBBox();
      const rect = path.getBoundingClientRect();
      const sx = box.width ? rect.width / box.width : 1;
      const sy = box.height ? rect.height / box.height : 1;
      const total = path.getTotalLength();
      const points = [];
      for (let d = 0; d <= total; d += 4) {
        const p = path.getPointAtLength(d);
        points.push({ x: rect.left + (p.x - box.x) * sx, y: rect.top + (p.y - box.y) * sy });
      }
      return { id: g.dataset.testid, routed: g.dataset.routed === 'true', points };
    });
    const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => {
      const b = n.getBoundingClientRect();
      return { id: n.dataset.id, left: b.left, top: b.top, right: b.right, bottom: b.bottom };
    });
    return { wires, nodes };
  });
}

/** The nodes a wire's drawn path runs through (inside their box by more than a few pixels). */
function nodesCrossed(wire, nodes) {
  const m = 4;
  return nodes
    .filter((n) => wire.points.some((p) => p.x > n.left + m && p.x < n.right - m && p.y > n.top + m && p.y < n.bottom - m))
    .map((n) => n.id);
}

test('after auto-layout the wires, a fake’s dashed wire included, run around the nodes; moving a node makes its wires curves, undo brings the routes back', { timeout: TEST_MS }, async () => {
  await withApp('routed wires', async (app) => {
    // kv-service with its store served by the kv fake instead of memory, as
    // the user who found the fake's wire behind a node had it.
    await app.deleteWire(`memory.${STORE}`, `service.${STORE}`);
    await (await app.button('Add the kv fake')).click();
    await app.node('fake:kv').waitForDisplayed({ timeout: WAIT_MS });
    await app.browser.$('.react-flow__controls-fitview').click();
    await app.dragWire(await app.handle('service', 'import', STORE), await app.handle('fake:kv', 'export', 'fake'));
    await app.until(async () => (await app.statusText()).includes('mocked by the kv fake'), 'the kv fake to mock the import');

    await (await app.button('Auto-layout')).click();
    await app.until(async () => {
      const seen = await wiresAndNodes(app);
      return seen.wires.length >= 1 && seen.wires.every((w) => w.routed);
    }, 'every wire to be drawn along its route');
    // The layout ends by fitting the view: read the picture once it stands still.
    await app.centre(await app.node('service'));
    await app.centre(await app.node('fake:kv'));
    const laid = await wiresAndNodes(app);
    const fake = laid.wires.find((w) => w.id.includes('fake'));
    assert.ok(fake, `the fake's wire is drawn (${laid.wires.map((w) => w.id).join(', ')})`);
    for (const w of laid.wires) assert.deepEqual(nodesCrossed(w, laid.nodes), [], `${w.id} runs behind a node`);

    // Move the service node: its wires follow it as curves, at once.
    const node = await app.node('service');
    const box = await app.browser.execute((el) => {
      const b = el.getBoundingClientRect();
      return { x: Math.round(b.left + b.width / 2), y: Math.round(b.top + 14) };
    }, node);
    await app.browser
      .action('pointer', { parameters: { pointerType: 'mouse' } })
      .move({ x: box.x, y: box.y, origin: 'viewport', duration: 0 })
      .down({ button: 0 })
      .pause(50)
      .move({ x: box.x + 20, y: box.y + 40, origin: 'viewport', duration: 60 })
      .move({ x: box.x + 40, y: box.y + 90, origin: 'viewport', duration: 60 })
      .pause(80)
      .up({ button: 0 })
      .perform();
    await app.browser.pause(300);
    // Moved against the fake node, which stayed.
    const offset = (x) => {
      const [a, b] = ['service', 'fake:kv'].map((id) => x.nodes.find((n) => n.id === id));
      return { x: Math.round(a.left - b.left), y: Math.round(a.top - b.top) };
    };
    const [was, now] = [offset(laid), offset(await wiresAndNodes(app))];
    assert.ok(now.x !== was.x || now.y !== was.y, `service moved: ${JSON.stringify({ was, now })}`);
    const brief = (x) => JSON.stringify(x.wires.map((w) => ({ id: w.id, routed: w.routed, from: w.points[0], to: w.points.at(-1) })));
    await app
      .until(async () => (await wiresAndNodes(app)).wires.every((w) => !w.routed), 'the moved node’s wires to be curves', 5000)
      .catch(async (e) => {
        throw new Error(`${e.message}: laid ${brief(laid)}, now ${brief(await wiresAndNodes(app))} ${JSON.stringify({ was, now })}`);
      });

    // Undo puts the node back where the layout had it, and its route fits again.
    await app.browser.execute(() => document.activeElement?.blur());
    await app.browser.keys(['Control', 'z']);
    await app.until(async () => (await wiresAndNodes(app)).wires.every((w) => w.routed), 'the routes to come back on undo');
  });
});
