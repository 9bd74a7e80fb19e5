#!/usr/bin/env bash
# End-to-end tests of the Patchbay desktop app: the real app (Tauri on
# WebKitGTK, with the Rust core behind it) driven through tauri-driver and
# WebKitWebDriver on a virtual display.
#
# Builds what is missing (sample components, ui/dist, patchbay-app and the
# patchbay CLI the tests use as an oracle), copies samples/kv-service and the
# components it references into a temporary folder (the tests never touch
# the repository), starts Xvfb and tauri-driver, runs the tests with node's
# test runner, and always stops tauri-driver and Xvfb with SIGTERM.
#
# Environment:
#   PATCHBAY_E2E_PORT  tauri-driver's port (default 4444, or the next free
#                      even port when 4444 is taken); WebKitWebDriver gets +1
#   PATCHBAY_E2E_KEEP  set to 1 to keep the temporary folder
# Extra arguments go to `node --test` (e.g. --test-name-pattern=export).
# On failure, screenshots and the driver's log are in tests/e2e/artifacts/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../scripts/setup.sh"
ensure_rust
use_build_cache
ensure_app_deps
build_samples
# The app and the patchbay CLI (the tests' oracle for checks and
# inspection), in one workspace build that shares its artifacts with
# `cargo test --workspace`.
build_app --quiet

artifacts="$here/artifacts"
rm -rf "$artifacts"
work="$(mktemp -d "${TMPDIR:-/tmp}/patchbay-e2e.XXXXXX")"

# The sample, with the components it names as `../wasm/…`, laid out as in
# the repository so its relative paths still hold.
sample="$PATCHBAY_ROOT/samples/kv-service"
mkdir -p "$work/template"
cp -R "$sample" "$work/template/kv-service"
rm -rf "$work/template/kv-service/out"
sed -n 's/^path = "\(\.\.\/wasm\/[^"]*\)"$/\1/p' "$sample/patchbay.toml" | while read -r rel; do
  mkdir -p "$(dirname "$work/template/kv-service/$rel")"
  cp "$sample/$rel" "$work/template/kv-service/$rel"
done
mkdir -p "$work/state" "$work/xdg-data" "$work/xdg-config"

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${PATCHBAY_E2E_PORT:-}" ]; then
  port="$PATCHBAY_E2E_PORT"
  if port_taken "$port" || port_taken "$((port + 1))"; then
    echo "error: port $port or $((port + 1)) is already in use (PATCHBAY_E2E_PORT)" >&2
    exit 1
  fi
else
  port=4444
  while port_taken "$port" || port_taken "$((port + 1))"; do
    port=$((port + 2))
    [ "$port" -lt 4600 ] || { echo "error: no free port pair between 4444 and 4600 for tauri-driver" >&2; exit 1; }
  done
fi
native_port=$((port + 1))

xvfb_pid=""
driver_pid=""
status=1
# Stops what this script started, politely (SIGTERM) and in order: the
# driver first (it ends WebKitWebDriver and the app), then the display.
cleanup() {
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
    kill -TERM "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$work/tauri-driver.log" ]; then
    mkdir -p "$artifacts"
    cp "$work/tauri-driver.log" "$artifacts/tauri-driver.log"
    echo "the driver's and the app's output: $artifacts/tauri-driver.log" >&2
  fi
  if [ "${PATCHBAY_E2E_KEEP:-0}" = 1 ]; then
    echo "kept $work" >&2
  else
    # The app's WebKit network process may still flush web storage into
    # the folder for a moment after the app quit: remove until it stays gone.
    for _ in 1 2 3 4 5; do
      rm -rf "$work"
      sleep 0.5
      [ -e "$work" ] || break
    done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A virtual display of our own: Xvfb picks a free display number and tells
# it on fd 3.
say "starting Xvfb (1600x1000)"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$work/xvfb.log" >&2; echo "error: Xvfb did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/display" ] || { echo "error: Xvfb did not report its display" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"
unset WAYLAND_DISPLAY

# The app inherits this environment through tauri-driver and
# WebKitWebDriver: a fresh state folder (recovery files, last project) and
# fresh web storage, so nothing from a person's own use leaks in.
say "starting tauri-driver on 127.0.0.1:$port (display $DISPLAY)"
PATCHBAY_STATE_DIR="$work/state" XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" \
  tauri-driver --port "$port" --native-port "$native_port" --native-driver "$(command -v WebKitWebDriver)" \
  >"$work/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 300); do
  port_taken "$port" && break
  kill -0 "$driver_pid" 2>/dev/null || { cat "$work/tauri-driver.log" >&2; echo "error: tauri-driver exited" >&2; exit 1; }
  sleep 0.1
done
port_taken "$port" || { echo "error: tauri-driver is not listening on port $port after 30 s" >&2; exit 1; }

say "node --test tests/e2e"
set +e
(
  cd "$here"
  PATCHBAY_APP="$CARGO_TARGET_DIR/debug/patchbay-app" \
    PATCHBAY_CLI="$CARGO_TARGET_DIR/debug/patchbay" \
    PATCHBAY_E2E_WORK="$work" \
    PATCHBAY_E2E_PORT="$port" \
    PATCHBAY_E2E_ARTIFACTS="$artifacts" \
    node --test --test-reporter=spec "$@" kv-service.test.js </dev/null
)
status=$?
set -e
if [ "$status" -ne 0 ] && [ -d "$artifacts" ]; then
  echo "screenshots of the failures: $artifacts" >&2
fi
exit "$status"
