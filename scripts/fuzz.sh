#!/usr/bin/env bash
# The long fuzz run: every target (project parser, check/compose on mutated
# projects, inspection of mutated components) in release, each input under a
# watchdog, and the figures printed at the end (inputs tried, panics, hangs,
# crashes, broken invariants, known findings) as a markdown table.
#
# `cargo test` runs a short, fixed run of the same targets; this script is
# for the long one. When wasm-tools is present (on PATH or in the venv that
# scripts/fuzz-corpus.sh makes), a larger corpus is generated first, outside
# the repository, and added to the seeds.
#
# Usage: scripts/fuzz.sh            (any working directory)
# Environment:
#   FUZZ_SECONDS       seconds per target (default 300)
#   FUZZ_ITERATIONS    at most this many inputs per target (default: no cap)
#   FUZZ_TARGETS       project, compose, inspect, or a comma list (default all)
#   FUZZ_SEED          the run's seed (default 1); inputs depend only on it,
#                      the iteration and the seeds
#   FUZZ_TIMEOUT       seconds after which an input is a hang (default 5)
#   FUZZ_CORPUS_COUNT  files of each kind in the generated corpus (default
#                      60; 0 skips it)
#   FUZZ_FINDINGS      where findings go (default crates/patchbay-fuzz/findings)
#   CARGO_TARGET_DIR   default ~/.cache/patchbay/fuzz-target, apart from the
#                      shared build cache so a long run does not hold its lock
# Findings are saved as replayable inputs with a note beside each; replay one
# with `patchbay-fuzz replay --target T FILE` (the note has the command).
set -euo pipefail

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/patchbay/fuzz-target}"
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust
use_build_cache
build_samples

seconds="${FUZZ_SECONDS:-300}"
targets="${FUZZ_TARGETS:-all}"
seed="${FUZZ_SEED:-1}"
timeout="${FUZZ_TIMEOUT:-5}"
corpus_count="${FUZZ_CORPUS_COUNT:-60}"
findings="${FUZZ_FINDINGS:-$PATCHBAY_ROOT/crates/patchbay-fuzz/findings}"

corpus_args=()
if [ "$corpus_count" -gt 0 ]; then
  if command -v wasm-tools >/dev/null 2>&1 || [ -x "$HOME/.cache/patchbay/wasm-tools-venv/bin/wasm-tools" ]; then
    corpus="$CARGO_TARGET_DIR/fuzz-corpus"
    rm -rf "$corpus"
    say "generating a corpus of $corpus_count files per kind in $corpus"
    bash "$PATCHBAY_ROOT/scripts/fuzz-corpus.sh" "$corpus" "$corpus_count"
    corpus_args=(--corpus "$corpus")
  else
    say "wasm-tools not found: fuzzing with the committed corpus only (scripts/fuzz-corpus.sh installs it)"
  fi
fi

say "building patchbay-fuzz (release)"
cargo build --release --quiet -p patchbay-fuzz --manifest-path "$PATCHBAY_ROOT/Cargo.toml"

iteration_args=()
[ -n "${FUZZ_ITERATIONS:-}" ] && iteration_args=(--iterations "$FUZZ_ITERATIONS")

say "fuzzing $targets for $seconds s each (seed $seed, watchdog $timeout s)"
"$CARGO_TARGET_DIR/release/patchbay-fuzz" run --target "$targets" --seconds "$seconds" \
  --seed "$seed" --timeout "$timeout" --findings "$findings" --repo "$PATCHBAY_ROOT" \
  "${iteration_args[@]}" "${corpus_args[@]}"
