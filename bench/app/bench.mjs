// The app benchmark (run by bench/app.sh, under Xvfb): drives the real
// Patchbay desktop app through tauri-driver and measures
//
//   1. start to interactive on the kv-service sample, over several cold
//      launches (a new tauri-driver, app process and PATCHBAY_STATE_DIR each);
//   2. a generated 500-node chain: time to load, frame rate while dragging a
//      node (fitted view and zoomed in), and the first analysis;
//   3. resident memory of the app and its WebKit processes once idle;
//   4. the drags, the 500-node load and its memory again with WebKitGTK's
//      DMA-BUF renderer off (WEBKIT_DISABLE_DMABUF_RENDERER=1), which under
//      Xvfb decides how many frames the page gets while it handles input.
//
// Usage: node bench.mjs APP SAMPLES_DIR WORK_DIR OUT.json
// Environment: RUNS (kv-service launches, default 7), LOAD_RUNS (500-node
// launches, default 3), NODES (default 500), IDLE_S (default 10), DRAG_MS
// (default 3000), SCREEN (the Xvfb screen every launch shares, default
// 1600x1000x24).
//
// The app runs through the harness in tests/app-driver (plain WebDriver, no
// client library, so a new session's time is the driver's and the app's).
// Prints progress on stderr and writes every measurement to OUT.json; the
// table is made by table.mjs.

import { execSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyProject, launchApp, mouse, sleep, startDisplay } from '../../tests/app-driver/index.js';

const [app, samples, work, outFile] = process.argv.slice(2);
if (!app || !samples || !work || !outFile) {
  console.error('usage: node bench.mjs APP SAMPLES_DIR WORK_DIR OUT.json');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS ?? 7);
const LOAD_RUNS = Number(process.env.LOAD_RUNS ?? 3);
const NODES = Number(process.env.NODES ?? 500);
const IDLE_S = Number(process.env.IDLE_S ?? 10);
const DRAG_MS = Number(process.env.DRAG_MS ?? 3000);
const log = (msg) => console.error(`app bench: ${msg}`);

// --- processes -------------------------------------------------------------

/** Every process as {pid, ppid, comm}. */
async function processes() {
  const out = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: split after the last ')'.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]), start: Number(fields[19]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** `root` and every process below it. */
function subtree(all, root) {
  const children = new Map();
  for (const p of all) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p);
  }
  const found = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    for (const c of children.get(pid) ?? []) {
      found.push(c);
      stack.push(c.pid);
    }
  }
  return found;
}

/** The app process launched below tauri-driver `driverPid`. */
async function appProcess(driverPid) {
  const all = await processes();
  return subtree(all, driverPid).find((p) => p.comm.startsWith('patchbay-app')) ?? null;
}

/** RSS and PSS (KiB) of the app and every process below it, per process name. */
async function memoryOf(appPid) {
  const all = await processes();
  const self = all.find((p) => p.pid === appPid);
  if (!self) throw new Error(`the app (pid ${appPid}) is gone`);
  const procs = [self, ...subtree(all, appPid)];
  const rows = [];
  for (const p of procs) {
    try {
      const status = await readFile(`/proc/${p.pid}/status`, 'utf8');
      const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      let pss = null;
      try {
        pss = Number(/^Pss:\s+(\d+)/m.exec(await readFile(`/proc/${p.pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      } catch {
        // no smaps_rollup: PSS unknown
      }
      rows.push({ pid: p.pid, comm: p.comm, rssKib: rss, pssKib: pss });
    } catch {
      // gone meanwhile
    }
  }
  const sum = (k) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  return { rssKib: sum('rssKib'), pssKib: sum('pssKib'), processes: rows };
}

/** When a process started, in epoch ms: /proc/PID/stat counts clock ticks
 * since boot, and /proc/uptime says how long ago boot was (both 10 ms steps). */
async function startedAtEpochMs(proc) {
  const now = Date.now();
  const uptimeS = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
  return now - (uptimeS - proc.start / CLOCK_TICKS) * 1000;
}
const CLOCK_TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

// --- projects ----------------------------------------------------------------

/** A fresh copy of the kv-service sample and the components it uses. */
async function copyKvService() {
  return copyProject(path.join(samples, 'kv-service'), await mkdtemp(path.join(work, 'kv-')));
}

const COLUMNS = 25;
const STEP_X = 400; // a node is 300 px wide
const STEP_Y = 540; // a kv-cache node is about 460 px tall (14 imports, 1 export)

/**
 * Writes an n-node chain: `memory` (kv-memory) <- cache1 <- … <- cache<n-1>
 * (kv-cache, each importing and exporting patchbay:kv/store), on a grid of
 * 25 columns that keeps nodes apart (so the editor keeps the positions), the
 * top node's store exported, WASI granted with an empty scope.
 */
async function writeChain(dir, n) {
  await mkdir(path.join(dir, 'chain'), { recursive: true });
  await mkdir(path.join(dir, 'wasm'), { recursive: true });
  for (const c of ['kv-memory', 'kv-cache']) {
    await copyFile(path.join(samples, 'wasm', `${c}.wasm`), path.join(dir, 'wasm', `${c}.wasm`));
  }
  const id = (i) => (i === 0 ? 'memory' : `cache${i}`);
  const at = (i) => `position = { x = ${(i % COLUMNS) * STEP_X}.0, y = ${Math.floor(i / COLUMNS) * STEP_Y}.0 }`;
  const parts = [
    `# ${n} nodes: kv-memory under ${n - 1} kv-cache layers (generated by bench/app/bench.mjs).`,
    'version = 1',
    'name = "kv-chain"',
    '',
    '[components.kv-memory]',
    'path = "../wasm/kv-memory.wasm"',
    '',
    '[components.kv-cache]',
    'path = "../wasm/kv-cache.wasm"',
    '',
  ];
  for (let i = 0; i < n; i++) {
    parts.push(`[nodes.${id(i)}]`, `component = "${i === 0 ? 'kv-memory' : 'kv-cache'}"`, at(i), '');
  }
  for (let i = 1; i < n; i++) {
    parts.push('[[wires]]', `from = "${id(i - 1)}.patchbay:kv/store"`, `to = "${id(i)}.patchbay:kv/store"`, '');
  }
  parts.push('[[exports]]', `from = "${id(n - 1)}.patchbay:kv/store"`, '');
  parts.push('[bindings."*.wasi:*"]', 'mode = "grant"', '');
  await writeFile(path.join(dir, 'chain', 'patchbay.toml'), parts.join('\n'));
  return { project: path.join(dir, 'chain'), middle: id(Math.floor(n / 2)) };
}

// --- one app launch ------------------------------------------------------------

/**
 * Starts the app on `project` with a new tauri-driver and a fresh state
 * folder (and `env` added to its environment), on the shared display, and
 * times the launch from `t0`, just before the new-session request (which
 * starts the app).
 */
async function launch(project, label, env = {}) {
  const l = await launchApp({ project, app, workDir: work, env, display });
  const { session, driver, t0, sessionMs } = l;
  try {
    const first = await session.execute(() => ({ origin: performance.timeOrigin }));
    const firstExecMs = Date.now() - t0;
    await session.setTimeouts({ script: 600_000 });
    const proc = await appProcess(driver.pid);
    const procStartMs = proc ? (await startedAtEpochMs(proc)) - t0 : null;
    return {
      session,
      t0,
      appPid: proc?.pid ?? null,
      timings: { procStartMs, navigationStartMs: first.origin - t0, sessionMs, firstExecMs },
      close: () => l.close(),
    };
  } catch (e) {
    log(`${label}: ${e.message}`);
    await l.close();
    throw e;
  }
}

/**
 * In the page: waits until the canvas shows every one of `want` nodes' (the
 * minimap draws every node of the store; the canvas may draw only the visible
 * ones) and `edge` edges, then two animation frames. Returns epoch times of
 * the milestones.
 */
function waitForGraph(want, wantEdges, timeoutMs = 300_000) {
  return new Promise((resolve) => {
    const at = {};
    const started = performance.now();
    const now = () => performance.timeOrigin + performance.now();
    const dom = () => ({
      nodes: document.querySelectorAll('.react-flow__node').length,
      edges: document.querySelectorAll('.react-flow__edge').length,
      mini: document.querySelectorAll('.react-flow__minimap-node').length,
    });
    const tick = () => {
      const d = dom();
      if (at.firstNode === undefined && d.nodes > 0) at.firstNode = now();
      if (at.store === undefined && d.mini >= want) at.store = now();
      if (at.rendered === undefined && d.nodes >= want && d.edges >= wantEdges) at.rendered = now();
      if (at.store !== undefined && at.rendered !== undefined) {
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            at.framed = now();
            resolve({ at, dom: dom() });
          }),
        );
        return;
      }
      if (performance.now() - started > timeoutMs) {
        resolve({ at, dom: d, timedOut: true });
        return;
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
}

/** In the page: the epoch time the first analysis was shown (Problems panel). */
function waitForAnalysis(timeoutMs = 300_000) {
  return new Promise((resolve) => {
    const started = performance.now();
    const tick = () => {
      const text = pb.analysisShown();
      if (text) resolve({ at: performance.timeOrigin + performance.now(), text: text.split('\n')[0] });
      else if (performance.now() - started > timeoutMs) resolve({ at: NaN, text: `no analysis shown after ${timeoutMs} ms` });
      else requestAnimationFrame(tick);
    };
    tick();
  });
}

// --- frame rate while dragging -----------------------------------------------------

/** In the page: starts counting animation frames and pointer moves. */
function startFrameCounter() {
  const rec = { frames: [], moves: [], on: true };
  window.__pbBench = rec;
  const loop = (ts) => {
    if (!rec.on) return;
    rec.frames.push(ts);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  rec.onMove = (e) => rec.moves.push(e.timeStamp);
  window.addEventListener('pointermove', rec.onMove, { capture: true, passive: true });
  // Count the backend commands the page sends meanwhile (Tauri's IPC entry).
  rec.invokes = {};
  const internals = window.__TAURI_INTERNALS__;
  if (internals && !internals.__pbCounted) {
    const invoke = internals.invoke;
    internals.invoke = function (cmd, ...rest) {
      const counts = window.__pbBench?.on ? window.__pbBench.invokes : null;
      if (counts) counts[cmd] = (counts[cmd] ?? 0) + 1;
      return invoke.call(this, cmd, ...rest);
    };
    internals.__pbCounted = true;
  }
}

/** In the page: stops counting; frame statistics over the span of the pointer moves. */
function stopFrameCounter() {
  const rec = window.__pbBench;
  rec.on = false;
  window.removeEventListener('pointermove', rec.onMove, { capture: true });
  const { frames, moves, invokes } = rec;
  if (moves.length < 2) return { moves: moves.length, frames: frames.length, invokes };
  const from = moves[0];
  const to = moves[moves.length - 1];
  // Frames inside the drag, plus the ones just before and after it, so the
  // longest gap counts a frame that straddles either end.
  const inside = frames.filter((t) => t >= from && t <= to);
  const before = frames.filter((t) => t < from).pop();
  const after = frames.find((t) => t > to);
  const span = [before, ...inside, after].filter((t) => t !== undefined);
  let longest = 0;
  const gaps = [];
  for (let i = 1; i < span.length; i++) {
    gaps.push(span[i] - span[i - 1]);
    longest = Math.max(longest, span[i] - span[i - 1]);
  }
  gaps.sort((a, b) => a - b);
  return {
    dragMs: to - from,
    moves: moves.length,
    frames: inside.length,
    fps: ((inside.length - 1) * 1000) / (inside[inside.length - 1] - inside[0]),
    longestFrameMs: longest,
    p95FrameMs: gaps[Math.floor(gaps.length * 0.95)] ?? null,
    invokes,
  };
}

/** In the page: the canvas box, the zoom, and how many nodes are drawn. */
function canvasState() {
  const pane = document.querySelector('.react-flow').getBoundingClientRect();
  const m = /scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport').style.transform);
  return {
    pane: { x: pane.x, y: pane.y, w: pane.width, h: pane.height },
    zoom: m ? Number(m[1]) : null,
    nodes: document.querySelectorAll('.react-flow__node').length,
  };
}

/** In the page: the point to press to drag node `id` (its title), and where the node is. */
function grabPoint(id) {
  const node = document.querySelector(`[data-testid="node-${id}"]`);
  if (!node) return null;
  const title = node.querySelector('.pb-node__title') ?? node;
  const b = title.getBoundingClientRect();
  const wrapper = node.closest('.react-flow__node');
  return { x: Math.round(b.left + Math.min(b.width / 2, 20)), y: Math.round(b.top + b.height / 2), transform: wrapper?.style.transform ?? '' };
}

/** In the page: the id of the drawn node whose title is in view and nearest the canvas centre. */
function nodeNearCentre() {
  const pane = document.querySelector('.react-flow').getBoundingClientRect();
  const cx = pane.left + pane.width / 2;
  const cy = pane.top + pane.height / 2;
  let best = null;
  let bestD = Infinity;
  for (const n of document.querySelectorAll('.react-flow__node')) {
    const t = (n.querySelector('.pb-node__title') ?? n).getBoundingClientRect();
    const inside = t.left >= pane.left + 40 && t.right <= pane.right - 40 && t.top >= pane.top + 40 && t.bottom <= pane.bottom - 40;
    const d = Math.hypot(t.left + t.width / 2 - cx, t.top + t.height / 2 - cy);
    if (inside && d < bestD) [best, bestD] = [n.getAttribute('data-id'), d];
  }
  return best;
}

/**
 * Drags node `id` by its title in a zig-zag across the middle of the canvas
 * for about DRAG_MS (moves of 16 ms), counting frames in the page.
 */
async function dragFps(session, id) {
  const grab = await session.execute(grabPoint, id);
  if (!grab) throw new Error(`node ${id} is not drawn`);
  const { pane } = await session.execute(canvasState);
  const steps = Math.round(DRAG_MS / 16);
  const left = pane.x + pane.w * 0.2;
  const right = pane.x + pane.w * 0.8;
  const top = pane.y + pane.h * 0.3;
  const bottom = pane.y + pane.h * 0.7;
  const actions = [
    { type: 'pointerMove', x: grab.x, y: grab.y, origin: 'viewport', duration: 0 },
    { type: 'pointerDown', button: 0 },
    { type: 'pause', duration: 50 },
  ];
  for (let i = 1; i <= steps; i++) {
    // Two sweeps left-right-left, and down-up within each.
    const phase = (i / steps) * 2;
    const f = phase % 1;
    const tri = f < 0.5 ? f * 2 : 2 - f * 2;
    actions.push({
      type: 'pointerMove',
      x: Math.round(grab.x + (left + (right - left) * tri - grab.x) * Math.min(1, i / 10)),
      y: Math.round(grab.y + (top + (bottom - top) * Math.abs(Math.sin(phase * Math.PI)) - grab.y) * Math.min(1, i / 10)),
      origin: 'viewport',
      duration: 16,
    });
  }
  actions.push({ type: 'pointerUp', button: 0 });
  await session.execute(startFrameCounter);
  await sleep(300);
  const wall0 = Date.now();
  await session.actions([mouse(actions)]);
  const wallMs = Date.now() - wall0;
  await sleep(300);
  const stats = await session.execute(stopFrameCounter);
  const after = await session.execute(grabPoint, id);
  return { node: id, ...stats, actionsWallMs: wallMs, moved: after?.transform !== grab.transform };
}

/** In the page: animation frames per second with nothing happening, over `ms`. */
function idleFps(ms) {
  return new Promise((resolve) => {
    const frames = [];
    const loop = (ts) => {
      frames.push(ts);
      if (ts - frames[0] < ms) requestAnimationFrame(loop);
      else {
        let longest = 0;
        for (let i = 1; i < frames.length; i++) longest = Math.max(longest, frames[i] - frames[i - 1]);
        resolve({ fps: ((frames.length - 1) * 1000) / (frames[frames.length - 1] - frames[0]), longestFrameMs: longest });
      }
    };
    requestAnimationFrame(loop);
  });
}

/** Clicks React Flow's zoom-in control until the zoom reaches `target`. */
async function zoomTo(session, target) {
  for (let i = 0; i < 40; i++) {
    const { zoom } = await session.execute(canvasState);
    if (zoom >= target) return zoom;
    // A programmatic click: the zoom is set-up, not what is measured.
    await session.execute(() => document.querySelector('.react-flow__controls-zoomin').click());
    await sleep(300);
  }
  return (await session.execute(canvasState)).zoom;
}

/** The GL drivers the app's processes have loaded (Mesa's software rasterizer under Xvfb). */
async function glDrivers(appPid) {
  const all = await processes();
  const found = new Set();
  for (const p of [all.find((x) => x.pid === appPid), ...subtree(all, appPid)].filter(Boolean)) {
    try {
      for (const line of (await readFile(`/proc/${p.pid}/maps`, 'utf8')).split('\n')) {
        const m = /\/([^/]*(?:_dri\.so|libgallium[^/]*\.so|libGLX_mesa[^/]*|libEGL_mesa[^/]*|libvulkan_lvp[^/]*))/.exec(line);
        if (m) found.add(`${p.comm}: ${m[1]}`);
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return [...found].sort();
}

// --- the runs ------------------------------------------------------------------

/**
 * Runs a measurement that may fail without ending the benchmark; a failure
 * is tried once more (WebKitWebDriver now and then answers a long action
 * sequence on a busy page with "unknown error"), and both are recorded.
 */
async function attempt(what, f, tries = 2) {
  const errors = [];
  for (let i = 0; i < tries; i++) {
    try {
      const value = await f();
      return errors.length ? { ...value, earlierErrors: errors } : value;
    } catch (e) {
      log(`${what} failed: ${e.message}`);
      errors.push(e.message);
      await sleep(2000);
    }
  }
  return { error: errors.join('; ') };
}

const results = {
  startedAt: new Date().toISOString(),
  settings: { RUNS, LOAD_RUNS, NODES, IDLE_S, DRAG_MS },
  loadAverage: os.loadavg(),
  kv: [],
  chain: [],
  // The same drags with WebKitGTK's DMA-BUF renderer turned off (see BENCHMARKS.md).
  noDmabuf: {},
};
const save = () => writeFile(outFile, JSON.stringify(results, null, 2));
const NO_DMABUF = { WEBKIT_DISABLE_DMABUF_RENDERER: '1' };
const fmt = (d) => (d?.error ? `failed: ${d.error}` : `${d?.fps?.toFixed(1)} fps, longest frame ${d?.longestFrameMs?.toFixed(0)} ms (${d?.canvas?.nodes ?? '?'} nodes drawn)`);

/** One kv-service launch: start-up milestones, then (optionally) idle memory and a drag. */
async function kvLaunch(label, env, { memory = true, drag = false } = {}) {
  const project = await copyKvService();
  const l = await launch(project, label, env);
  try {
    const graph = await l.session.evaluate(waitForGraph, 2, 1);
    const analysis = await l.session.evaluate(waitForAnalysis);
    const r = {
      ...l.timings,
      firstNodeMs: graph.at.firstNode - l.t0,
      interactiveMs: graph.at.framed - l.t0,
      analysisMs: analysis.at - l.t0,
      analysis: analysis.text,
    };
    if (memory) {
      // Idle memory: the graph is up; nothing happens for IDLE_S seconds.
      await sleep(IDLE_S * 1000);
      r.memory = l.appPid ? await memoryOf(l.appPid) : null;
    }
    if (drag) {
      r.idleFps = await l.session.evaluate(idleFps, 2000);
      r.drag = await attempt('dragging a kv-service node', async () => ({ ...(await dragFps(l.session, 'service')), canvas: await l.session.execute(canvasState) }));
      log(`${label}: drag ${fmt(r.drag)}`);
    }
    return r;
  } finally {
    await l.close();
  }
}

/** One launch on the generated chain: load milestones, then (optionally) idle memory and drags. */
async function chainLaunch(label, env, chain, { measure = false } = {}) {
  const l = await launch(chain.project, label, env);
  try {
    const graph = await l.session.evaluate(waitForGraph, NODES, NODES - 1);
    const analysis = await l.session.evaluate(waitForAnalysis);
    const r = {
      ...l.timings,
      firstNodeMs: graph.at.firstNode - l.t0,
      storeMs: graph.at.store - l.t0,
      renderedMs: graph.at.rendered - l.t0,
      framedMs: graph.at.framed - l.t0,
      dom: graph.dom,
      timedOut: graph.timedOut ?? false,
      analysisMs: analysis.at - l.t0,
      analysis: analysis.text,
      canvas: await l.session.execute(canvasState),
    };
    log(`${label}: ${r.dom.nodes} nodes drawn after ${Math.round(r.framedMs)} ms (store ${Math.round(r.storeMs)} ms), analysis ${Math.round(r.analysisMs)} ms`);
    if (measure) {
      await sleep(IDLE_S * 1000);
      r.memory = l.appPid ? await memoryOf(l.appPid) : null;
      r.idleFps = await l.session.evaluate(idleFps, 2000);
      // Zoomed out: the fitted view the project opens in, every node drawn.
      r.dragFitted = await attempt('dragging in the fitted view', async () => ({
        ...(await dragFps(l.session, chain.middle)),
        canvas: await l.session.execute(canvasState),
      }));
      log(`${label}: drag, fitted view: ${fmt(r.dragFitted)}`);
      // Zoomed in to 100 %: only the nodes in view are drawn.
      r.dragZoomed = await attempt('dragging zoomed in', async () => {
        const zoom = await zoomTo(l.session, 1);
        await sleep(1000);
        const near = await l.session.execute(nodeNearCentre);
        return { ...(await dragFps(l.session, near)), zoom, canvas: await l.session.execute(canvasState) };
      });
      log(`${label}: drag, zoomed in: ${fmt(r.dragZoomed)}`);
    }
    return r;
  } finally {
    await l.close();
  }
}

// One X server for every launch, as a person's session has one.
const display = await startDisplay({ size: process.env.SCREEN ?? '1600x1000x24' });

log('warm-up launch (not counted)');
{
  const l = await launch(await copyKvService(), 'warmup');
  try {
    await l.session.evaluate(waitForGraph, 2, 1);
    results.glDrivers = l.appPid ? await glDrivers(l.appPid) : [];
    results.userAgent = await l.session.execute(() => navigator.userAgent);
    results.viewport = await l.session.execute(() => [innerWidth, innerHeight, devicePixelRatio]);
  } finally {
    await l.close();
  }
}

for (let run = 1; run <= RUNS; run++) {
  const r = { run, ...(await kvLaunch(`kv-service launch ${run}`, {}, { drag: run === RUNS })) };
  log(
    `kv-service launch ${run}: session ${r.sessionMs} ms, graph interactive ${Math.round(r.interactiveMs)} ms, ` +
      `analysis ${Math.round(r.analysisMs)} ms, RSS ${r.memory ? Math.round(r.memory.rssKib / 1024) : '?'} MiB`,
  );
  results.kv.push(r);
  await save();
}

const chain = await writeChain(await mkdtemp(path.join(work, 'chain-')), NODES);
log(`generated a ${NODES}-node chain in ${chain.project}`);
for (let run = 1; run <= LOAD_RUNS; run++) {
  results.chain.push({ run, ...(await chainLaunch(`${NODES} nodes, launch ${run}`, {}, chain, { measure: run === LOAD_RUNS })) });
  await save();
}

log('the drags again with WEBKIT_DISABLE_DMABUF_RENDERER=1');
results.noDmabuf.kv = await attempt('kv-service without DMA-BUF', () => kvLaunch('kv-service, no DMA-BUF', NO_DMABUF, { memory: false, drag: true }), 1);
await save();
results.noDmabuf.chain = await attempt(`${NODES} nodes without DMA-BUF`, () => chainLaunch(`${NODES} nodes, no DMA-BUF`, NO_DMABUF, chain, { measure: true }), 1);

results.finishedAt = new Date().toISOString();
await save();
await display.stop();
log(`wrote ${outFile}`);
