#!/usr/bin/env bash
# Runs every Patchbay test: the Rust workspace (unit tests, fixture suites
# for inspect, compose and bad input, host suites, CLI tests, doc tests), the
# editor's checks (typecheck, lint, unit tests), the portability suite
# (exported samples run under the wasmtime CLI and jco), and the end-to-end suite
# against the real desktop app. Installs what is missing first. Extra
# arguments go to `cargo test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all
# patchbay-app is a workspace member: `cargo test --workspace` compiles it,
# so it needs the GUI libraries and ui/dist too.
setup_app

say "cargo test --workspace"
cargo test --workspace --manifest-path "$PATCHBAY_ROOT/Cargo.toml" "$@"

say "the editor: typecheck, lint, unit tests (ui/)"
(
  cd "$PATCHBAY_ROOT/ui"
  npm run typecheck </dev/null
  npm run lint </dev/null
  npm test </dev/null
)

say "portability: exported samples under the wasmtime CLI and jco (tests/portability)"
bash "$PATCHBAY_ROOT/tests/portability/run.sh"

say "end-to-end tests of the desktop app (tests/e2e)"
bash "$PATCHBAY_ROOT/tests/e2e/run.sh"
