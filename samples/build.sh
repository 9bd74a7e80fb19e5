#!/usr/bin/env bash
# Builds the sample guest components for wasm32-wasip2 and copies each one to
# samples/wasm/<name>.wasm (only when its content changed, so mtimes stay
# stable for anything watching them).
#
# Usage: samples/build.sh [COMPONENT...]   (no arguments: all components)
#
# PATCHBAY_SAMPLES_TARGET overrides the cargo target directory
# (default: samples/target).
set -euo pipefail

samples_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="wasm32-wasip2"
target_dir="${PATCHBAY_SAMPLES_TARGET:-$samples_dir/target}"
out_dir="$samples_dir/wasm"

# An outer environment must not change how the guests are built.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_TARGET CARGO_TARGET_DIR

if [ "$#" -gt 0 ]; then
    components=("$@")
    for name in "${components[@]}"; do
        if [ ! -f "$samples_dir/components/$name/Cargo.toml" ]; then
            echo "build.sh: unknown component '$name' (see $samples_dir/components)" >&2
            exit 2
        fi
    done
else
    components=()
    for manifest in "$samples_dir"/components/*/Cargo.toml; do
        components+=("$(basename "$(dirname "$manifest")")")
    done
fi

if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target" >&2
fi

cargo_args=(build --release --target "$target"
    --manifest-path "$samples_dir/Cargo.toml"
    --target-dir "$target_dir")
if [ "$#" -gt 0 ]; then
    for name in "${components[@]}"; do
        cargo_args+=(-p "$name")
    done
fi
cargo "${cargo_args[@]}"

mkdir -p "$out_dir"
for name in "${components[@]}"; do
    built="$target_dir/$target/release/${name//-/_}.wasm"
    dest="$out_dir/$name.wasm"
    if ! cmp -s "$built" "$dest"; then
        cp "$built" "$dest.tmp"
        mv "$dest.tmp" "$dest"
        echo "copied $name -> $dest ($(wc -c < "$dest") bytes)"
    fi
done
