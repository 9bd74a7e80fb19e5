#!/usr/bin/env bash
# Runs every Patchbay test: unit tests, fixture suites (inspect, compose,
# bad input), CLI tests and doc tests. Installs what is missing first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all

say "cargo test --workspace"
cargo test --workspace --manifest-path "$PATCHBAY_ROOT/Cargo.toml" "$@"
