#!/usr/bin/env bash
# Benchmarks the desktop app itself: the real Patchbay window (Tauri +
# WebKitGTK) under Xvfb, driven through tauri-driver and WebKitWebDriver by
# bench/app/bench.mjs on the app harness in tests/app-driver (plain
# WebDriver over HTTP, no client library).
#
# Measures
#   - start to interactive on samples/kv-service, over RUNS cold launches
#     (a new tauri-driver, app process and PATCHBAY_STATE_DIR each; one
#     warm-up launch first is not counted), split into the driver's and the
#     page's share;
#   - a generated 500-node chain (kv-memory under 499 kv-cache layers, on a
#     grid): time to load from the command line, frames per second while
#     dragging a node (fitted view, and zoomed in to 100 %);
#   - resident memory (RSS, and PSS) of the app and its WebKit processes
#     after 10 s idle, for both projects;
#   - the drags and the 500-node load once more with
#     WEBKIT_DISABLE_DMABUF_RENDERER=1 (one launch each).
#
# Prints a table and writes it, with the machine and every launch's numbers,
# to bench/results/app-<date>-<commit>.txt. See BENCHMARKS.md ("App") for what the
# numbers mean.
#
# Usage: bench/app.sh            (any working directory)
# Environment: APP_PROFILE (release, default, or debug), RUNS (default 7),
# LOAD_RUNS (default 3), NODES (default 500), IDLE_S (default 10), DRAG_MS
# (default 3000), SCREEN (Xvfb screen, default 1600x1000x24).
#
# Installs what is missing (scripts/setup.sh: Tauri's libraries, Xvfb,
# WebKitWebDriver, tauri-driver, Node), builds the samples, the UI and the
# app. Honors CARGO_TARGET_DIR. Run it on a quiet machine: other processes
# show up directly in the frame rates.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_dir="$repo/bench/results"
profile="${APP_PROFILE:-release}"
export SCREEN="${SCREEN:-1600x1000x24}"

log() { echo "app.sh: $*" >&2; }

# say, ensure_rust, use_build_cache, ensure_app_deps, build_samples, build_app_binary.
source "$repo/scripts/setup.sh"

ensure_rust
use_build_cache
ensure_app_deps >&2
build_samples >&2
build_app_binary "$profile" >&2

for c in kv-memory kv-cache kv-service; do
  [ -f "$repo/samples/wasm/$c.wasm" ] || {
    echo "app.sh: error: missing samples/wasm/$c.wasm" >&2
    exit 1
  }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

load="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
  log "warning: the load average is $load; other processes will show in the numbers"
fi
log "measuring (about ten minutes)"
node "$repo/bench/app/bench.mjs" "$APP_BIN" "$repo/samples" "$work" "$work/results.json"

mkdir -p "$results_dir"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
out="$results_dir/app-$(date -u +%Y-%m-%d)-$commit.txt"
node "$repo/bench/app/table.mjs" "$work/results.json" "$APP_BIN" "$profile" >"$out"
cat "$out"
log "wrote $out"
