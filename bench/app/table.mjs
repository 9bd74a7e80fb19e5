// Turns bench.mjs's JSON into the results file of bench/app.sh: the machine,
// a table (metric, value, notes), and every launch's numbers.
//
// Usage: node table.mjs RESULTS.json APP_BINARY PROFILE

import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [file, app, profile] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const sh = (cmd) => {
  try {
    return execSync(cmd, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
};
const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');
const s = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(2)} s` : 'n/a');
const mib = (kib) => (Number.isFinite(kib) ? `${Math.round(kib / 1024)} MiB` : 'n/a');
const fps = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} fps` : 'n/a');
const range = (xs, f) => {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length ? `${f(median(v))} (min ${f(Math.min(...v))}, max ${f(Math.max(...v))})` : 'n/a';
};
const col = (rows, key) => rows.map((x) => x[key]);

const kv = r.kv;
const chain = r.chain;
const last = chain[chain.length - 1] ?? {};
const kvLast = kv[kv.length - 1] ?? {};
const memKv = kv.map((x) => x.memory?.rssKib);
const pssKv = kv.map((x) => x.memory?.pssKib);

const machine = [
  `date: ${r.startedAt.slice(0, 10)}`,
  `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${sh('. /etc/os-release && echo "$PRETTY_NAME"')}, Linux ${os.release()}`,
  `display: Xvfb ${process.env.SCREEN ?? ''}, no GPU: software rendering; GL drivers loaded: ${(r.glDrivers ?? []).join(', ') || 'none'}; window ${r.viewport?.[0]}x${r.viewport?.[1]} CSS px, devicePixelRatio ${r.viewport?.[2]}`,
  `WebKitGTK ${sh("dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0")}, WebKitWebDriver from webkit2gtk-driver, tauri-driver ${sh('cargo install --list | grep -m1 "^tauri-driver" | cut -d" " -f2 | tr -d :')}`,
  `app: ${app} (${profile} build), commit ${sh(`git -C '${repo}' rev-parse --short HEAD`)}${sh(`git -C '${repo}' status --porcelain -- ui src-tauri crates`) ? ' + uncommitted changes in ui/, src-tauri/ or crates/' : ''}`,
  `load average when the run started (1, 5, 15 min): ${(r.loadAverage ?? []).map((x) => x.toFixed(2)).join(', ')}`,
  `settings: ${JSON.stringify(r.settings)}`,
];

const drag = (d) =>
  !d || d.error
    ? ['n/a', d?.error ?? 'not measured']
    : [
        `${fps(d.fps)}, longest frame ${ms(d.longestFrameMs)}`,
        `${d.moves} pointer moves over ${s(d.dragMs)}, ${d.frames} frames, p95 frame ${ms(d.p95FrameMs)}; node ${d.node} ${d.moved ? 'moved' : 'DID NOT MOVE'}${
          d.earlierErrors ? ` (second try; the first failed: ${d.earlierErrors.join('; ')})` : ''
        }; backend commands meanwhile: ${
          Object.entries(d.invokes ?? {})
            .map(([k, v]) => `${k} ×${v}`)
            .join(', ') || 'none'
        }`,
      ];

const rows = [
  [
    'start to interactive, kv-service',
    range(col(kv, 'interactiveMs'), ms),
    `${kv.length} cold launches (new tauri-driver, app and PATCHBAY_STATE_DIR each): new-session request → both nodes and the wire drawn, then 2 animation frames`,
  ],
  ['… app process started', range(col(kv, 'procStartMs'), ms), 'after the request: tauri-driver and WebKitWebDriver starting it (10 ms steps)'],
  ['… page navigation started', range(col(kv, 'navigationStartMs'), ms), '`performance.timeOrigin`: process start, GTK, the webview'],
  ['… new session answered', range(col(kv, 'sessionMs'), ms), 'tauri-driver/WebKitWebDriver answer; the page keeps loading meanwhile'],
  ['… first executeScript answered', range(col(kv, 'firstExecMs'), ms), 'first round trip into the page'],
  ['… first node drawn', range(col(kv, 'firstNodeMs'), ms), ''],
  ['first analysis shown, kv-service', range(col(kv, 'analysisMs'), ms), 'Problems panel: "No problems" (check + compose in the core)'],
  ['idle memory, kv-service', `${range(memKv, mib)} RSS`, `${r.settings.IDLE_S} s idle after the graph; sum over patchbay-app, WebKitWebProcess, WebKitNetworkProcess; PSS ${mib(median(pssKv))}; last launch: ${(kvLast.memory?.processes ?? []).map((p) => `${p.comm} ${mib(p.rssKib)}`).join(', ')}`],
  [
    `${r.settings.NODES} nodes: store holds all`,
    range(col(chain, 'storeMs'), ms),
    `${chain.length} launches with the generated chain as argument; the minimap draws every node of the store`,
  ],
  [
    `${r.settings.NODES} nodes: all drawn`,
    range(col(chain, 'framedMs'), ms),
    `every node and edge in the canvas DOM (fitted view, zoom ${last.canvas?.zoom?.toFixed(3)}: all ${last.dom?.nodes} visible, so all drawn) + 2 frames; from navigation start: ${range(
      chain.map((x) => x.framedMs - x.navigationStartMs),
      ms,
    )}`,
  ],
  [`${r.settings.NODES} nodes: first node drawn`, range(col(chain, 'firstNodeMs'), ms), ''],
  [`${r.settings.NODES} nodes: first analysis shown`, range(col(chain, 'analysisMs'), ms), `"${last.analysis}"`],
  [`idle memory, ${r.settings.NODES} nodes`, `${mib(last.memory?.rssKib)} RSS`, `PSS ${mib(last.memory?.pssKib)}; ${(last.memory?.processes ?? []).map((p) => `${p.comm} ${mib(p.rssKib)}`).join(', ')}`],
  ['idle frame rate (no input)', `${fps(last.idleFps?.fps)}, longest frame ${ms(last.idleFps?.longestFrameMs)}`, `${r.settings.NODES}-node graph open; kv-service: ${fps(kvLast.idleFps?.fps)}`],
  ['drag a node, kv-service (2 nodes)', ...drag(kvLast.drag)],
  [`drag a node, ${r.settings.NODES} nodes, fitted view (zoom ${last.dragFitted?.canvas?.zoom?.toFixed(3)}, ${last.dragFitted?.canvas?.nodes} drawn)`, ...drag(last.dragFitted)],
  [`drag a node, ${r.settings.NODES} nodes, zoomed in (zoom ${last.dragZoomed?.zoom?.toFixed(2)}, ${last.dragZoomed?.canvas?.nodes} drawn)`, ...drag(last.dragZoomed)],
];
// One more launch of each with WebKitGTK's DMA-BUF renderer off.
const nd = r.noDmabuf ?? {};
if (nd.kv || nd.chain) {
  rows.push(
    ['**with WEBKIT_DISABLE_DMABUF_RENDERER=1:**', '', 'one launch of each'],
    ['start to interactive, kv-service', ms(nd.kv?.interactiveMs), nd.kv?.error ?? ''],
    ['drag a node, kv-service (2 nodes)', ...drag(nd.kv?.drag)],
    [`${r.settings.NODES} nodes: all drawn`, ms(nd.chain?.framedMs), nd.chain?.error ?? `store holds all: ${ms(nd.chain?.storeMs)}`],
    [`idle memory, ${r.settings.NODES} nodes`, `${mib(nd.chain?.memory?.rssKib)} RSS`, `PSS ${mib(nd.chain?.memory?.pssKib)}`],
    [`drag a node, ${r.settings.NODES} nodes, fitted view (zoom ${nd.chain?.dragFitted?.canvas?.zoom?.toFixed(3)}, ${nd.chain?.dragFitted?.canvas?.nodes} drawn)`, ...drag(nd.chain?.dragFitted)],
    [`drag a node, ${r.settings.NODES} nodes, zoomed in (zoom ${nd.chain?.dragZoomed?.zoom?.toFixed(2)}, ${nd.chain?.dragZoomed?.canvas?.nodes} drawn)`, ...drag(nd.chain?.dragZoomed)],
  );
}

const table = ['| metric | value | notes |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const perLaunch = [
  'kv-service launches (ms after the new-session request):',
  ...kv.map(
    (x) =>
      `  #${x.run}: process ${x.procStartMs}, navigation ${Math.round(x.navigationStartMs)}, session ${x.sessionMs}, first script ${x.firstExecMs}, first node ${Math.round(x.firstNodeMs)}, interactive ${Math.round(x.interactiveMs)}, analysis ${Math.round(x.analysisMs)}, RSS ${mib(x.memory?.rssKib)}, PSS ${mib(x.memory?.pssKib)}`,
  ),
  `${r.settings.NODES}-node launches (ms after the new-session request):`,
  ...chain.map(
    (x) =>
      `  #${x.run}: navigation ${Math.round(x.navigationStartMs)}, session ${x.sessionMs}, first node ${Math.round(x.firstNodeMs)}, store ${Math.round(x.storeMs)}, all drawn ${Math.round(x.renderedMs)}, +2 frames ${Math.round(x.framedMs)}, analysis ${Math.round(x.analysisMs)}${x.timedOut ? ' (TIMED OUT)' : ''}`,
  ),
].join('\n');

console.log(['# App benchmark (bench/app.sh)', '', ...machine, '', table, '', perLaunch].join('\n'));
