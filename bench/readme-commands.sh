#!/usr/bin/env bash
# Times the README's two commands in a fresh clone of this repository's
# HEAD: `start.sh` from an empty build cache (until the app's process
# starts; the app is then stopped with SIGTERM), `test.sh` right after,
# then both again warm. Prints a table; logs go to OUT (default
# /tmp/patchbay-readme-times). The build caches are new folders under OUT,
# so the shared cache is untouched. Needs the machine set up once
# (apt packages, Rust); "cold" is the build alone.
set -u
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-/tmp/patchbay-readme-times}"
rm -rf "$out"; mkdir -p "$out"
git clone -q "$repo" "$out/clone"
cd "$out/clone"
export CARGO_TARGET_DIR="$out/target" PATCHBAY_SAMPLES_TARGET="$out/samples-target"
load() { cut -d' ' -f1-3 /proc/loadavg; }
rows=()
start_app() {
  local label=$1 t0 pid
  t0=$(date +%s)
  bash scripts/start.sh > "$out/start-$label.log" 2>&1 < /dev/null &
  pid=$!
  while ! pgrep -f "$CARGO_TARGET_DIR/debug/patchbay-app" > /dev/null; do
    if ! kill -0 "$pid" 2> /dev/null; then
      rows+=("| start.sh, $label | failed: see $out/start-$label.log | $(load) |")
      return
    fi
    sleep 2
  done
  rows+=("| start.sh, $label, to the app's launch | $(( $(date +%s) - t0 )) s | $(load) |")
  sleep 5
  pkill -TERM -f "$CARGO_TARGET_DIR/debug/patchbay-app"
  sleep 2
  kill "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
}
test_run() {
  local label=$1 t0 status
  t0=$(date +%s)
  bash scripts/test.sh > "$out/test-$label.log" 2>&1 < /dev/null
  status=$?
  rows+=("| test.sh, $label | $(( $(date +%s) - t0 )) s (exit $status) | $(load) |")
}
start_app "empty build cache"
test_run "right after"
start_app "warm"
test_run "warm"
echo "README commands at $(git rev-parse --short HEAD), $(nproc) cores"
echo
echo "| step | time | load average after |"
echo "| --- | ---: | --- |"
printf '%s\n' "${rows[@]}"
