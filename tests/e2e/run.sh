#!/usr/bin/env bash
# End-to-end tests of the Patchbay desktop app: the real app (Tauri on
# WebKitGTK, with the Rust core behind it) driven through tauri-driver and
# WebKitWebDriver on a virtual display.
#
# Builds what is missing (sample components, ui/dist, patchbay-app and the
# patchbay CLI the tests use as an oracle) and runs every tests/e2e/*.test.js
# with node's test runner, one file at a time. The harness
# (tests/app-driver, shared with scripts/screenshot.sh and bench/app.sh)
# gives each test its own Xvfb, tauri-driver, state folder and copy of the
# sample in a temporary folder (the tests never touch the repository), and
# always stops tauri-driver and Xvfb with SIGTERM.
#
# Environment:
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
# wasm-tools, which export.test.js compares the dialog's surface against.
ensure_portability_tools
# The app and the patchbay CLI (the tests' oracle for checks and
# inspection), in one workspace build that shares its artifacts with
# `cargo test --workspace`.
build_app --quiet

artifacts="$here/artifacts"
rm -rf "$artifacts"
work="$(mktemp -d "${TMPDIR:-/tmp}/patchbay-e2e.XXXXXX")"

cleanup() {
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

say "node --test tests/e2e"
set +e
(
  cd "$here"
  PATCHBAY_APP="$CARGO_TARGET_DIR/debug/patchbay-app" \
    PATCHBAY_CLI="$CARGO_TARGET_DIR/debug/patchbay" \
    PATCHBAY_E2E_WORK="$work" \
    PATCHBAY_E2E_ARTIFACTS="$artifacts" \
    node --test --test-concurrency=1 --test-reporter=spec "$@" ./*.test.js </dev/null
)
status=$?
set -e
if [ "$status" -ne 0 ] && [ -d "$artifacts" ]; then
  echo "screenshots and driver logs of the failures: $artifacts" >&2
fi
exit "$status"
