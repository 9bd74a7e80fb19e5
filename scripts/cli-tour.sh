#!/usr/bin/env bash
# A tour of the `patchbay` CLI on the kv-service sample: check it, compose
# it, show the composed world, and run it in the embedded host. Sets up what
# is missing first (as start.sh does, without the desktop app). Writes its
# results to out/kv-service/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all

say "building the patchbay CLI"
cargo build --release --quiet --manifest-path "$PATCHBAY_ROOT/Cargo.toml" -p patchbay-cli
patchbay="$CARGO_TARGET_DIR/release/patchbay"
project="$PATCHBAY_ROOT/samples/kv-service"
out="$PATCHBAY_ROOT/out/kv-service"
mkdir -p "$out"

say "patchbay inspect samples/wasm/kv-service.wasm"
"$patchbay" inspect "$PATCHBAY_ROOT/samples/wasm/kv-service.wasm"
say "patchbay check samples/kv-service"
"$patchbay" check "$project"
say "patchbay compose samples/kv-service -o out/kv-service/kv-service.wasm --wac … --wit …"
"$patchbay" compose "$project" -o "$out/kv-service.wasm" --wac "$out/kv-service.wac" --wit "$out/kv-service.wit"
say "the recipe (out/kv-service/kv-service.wac)"
cat "$out/kv-service.wac"
say "the composed world (patchbay inspect out/kv-service/kv-service.wasm)"
"$patchbay" inspect "$out/kv-service.wasm"
say "patchbay call samples/kv-service 'handle-request(\"set greeting hello\")' --traced"
"$patchbay" call "$project" 'handle-request("set greeting hello")' --traced
