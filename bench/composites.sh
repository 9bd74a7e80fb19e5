#!/usr/bin/env bash
# Compose time of grouped chains of 500, 1000 and 2000 nodes: `patchbay
# compose` against the `wac` CLI on the same graph.
#
# The graph: `base` (run(x) = x) then N `inc` nodes (run(x) = next(x) + 1),
# the WAT components of crates/patchbay-compose/tests/composites. Grouped as
# composite `block` (50 inc nodes in a chain), composite `stage` (10 blocks,
# 500 nodes) and N/500 stage nodes at the top.
#
# Timed with hyperfine (fresh processes, so Patchbay composes every
# composite; its in-process cache does not help):
#   - patchbay: `patchbay compose PROJECT -o out.wasm` (the whole nesting);
#   - wac nested: the same nesting with wac, one `wac compose` per level
#     (block.wac, stage.wac fed wac's block, the top recipe fed wac's stage),
#     the recipes being the ones `patchbay compose --composite … --wac`
#     writes; timed as one `sh -c` running the three;
#   - wac flat: one recipe instantiating all N inc nodes in one graph, which
#     wasmparser refuses past 1000 instances (the script records the error).
# Both nested outputs must have the same WIT (`patchbay inspect`).
#
# Prints a markdown table and writes it to bench/results/composites.md.
# Installs what is missing: hyperfine and jq (apt), wac-cli 0.12.0 (cargo),
# and builds the `patchbay` binary (release; PROFILE=debug for debug).
# Honors CARGO_TARGET_DIR.
#
# Usage: bench/composites.sh            (any working directory)
# Environment: RUNS (default 10), WARMUP (default 2), PROFILE.
set -euo pipefail

WAC_VERSION="0.12.0"
SIZES=(500 1000 2000)
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-2}"
PROFILE="${PROFILE:-release}"
STEP="demo:chain/step"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_dir="$repo/bench/results"
wat_dir="$repo/crates/patchbay-compose/tests/composites"

log() { echo "composites.sh: $*" >&2; }
die() {
    echo "composites.sh: error: $*" >&2
    exit 1
}

source "$repo/scripts/setup.sh"
apt_install hyperfine jq
export PATH="$HOME/.cargo/bin:$PATH"
if ! wac --version 2>/dev/null | grep -qx "wac-cli $WAC_VERSION"; then
    log "installing wac-cli $WAC_VERSION"
    cargo install wac-cli --locked --version "$WAC_VERSION" \
        --no-default-features --features wit --root "$HOME/.cargo" >&2
fi
wac="$(command -v wac)"

log "building patchbay ($PROFILE)"
if [ "$PROFILE" = release ]; then
    cargo build --release --quiet -p patchbay-cli --manifest-path "$repo/Cargo.toml" >&2
else
    cargo build --quiet -p patchbay-cli --manifest-path "$repo/Cargo.toml" >&2
fi
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
patchbay="$target_dir/$PROFILE/patchbay"
[ -x "$patchbay" ] || die "no patchbay binary at $patchbay"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Writes the grouped chain of $1 inc nodes into folder $2.
write_grouped() {
    local n="$1" dir="$2" stages=$(($1 / 500)) i prev=base
    mkdir -p "$dir"
    cp "$wat_dir/base.wat" "$wat_dir/inc.wat" "$dir/"
    {
        printf 'version = 2\nname = "chain"\n\n[components.base]\npath = "base.wat"\n\n[components.inc]\npath = "inc.wat"\n\n[nodes.base]\ncomponent = "base"\n\n'
        for ((i = 0; i < stages; i++)); do
            printf '[nodes.s%d]\ncomposite = "stage"\n\n[[wires]]\nfrom = "%s.%s"\nto = "s%d.%s"\n\n' "$i" "$prev" "$STEP" "$i" "$STEP"
            prev="s$i"
        done
        printf '[[exports]]\nfrom = "%s.%s"\n\n' "$prev" "$STEP"
        for level in "stage 10 composite block" "block 50 component inc"; do
            set -- $level
            for ((i = 0; i < $2; i++)); do
                printf '[composites.%s.nodes.n%d]\n%s = "%s"\n\n' "$1" "$i" "$3" "$4"
            done
            for ((i = 1; i < $2; i++)); do
                printf '[[composites.%s.wires]]\nfrom = "n%d.%s"\nto = "n%d.%s"\n\n' "$1" $((i - 1)) "$STEP" "$i" "$STEP"
            done
            printf '[[composites.%s.exports]]\nfrom = "n%d.%s"\n\n' "$1" $(($2 - 1)) "$STEP"
        done
    } >"$dir/patchbay.toml"
}

# Writes the flat recipe of $1 inc nodes after base into $2/flat.wac.
write_flat() {
    local n="$1" dir="$2" i prev=base
    {
        printf 'package composition:flat;\n\nlet base = new project:base { ... };\n'
        for ((i = 0; i < n; i++)); do
            printf 'let n%d = new project:inc { "%s": %s["%s"], ... };\n' "$i" "$STEP" "$prev" "$STEP"
            prev="n$i"
        done
        printf 'export %s["%s"];\n' "$prev" "$STEP"
    } >"$dir/flat.wac"
}

mean_ms() { jq -r ".results[$2].mean * 1000" "$1"; }

rows=()
for n in "${SIZES[@]}"; do
    dir="$work/chain-$n"
    write_grouped "$n" "$dir"
    out="$dir/out"
    mkdir -p "$out"
    "$patchbay" compose "$dir" -o "$out/p.wasm" --wac "$out/top.wac" >/dev/null 2>&1 ||
        die "patchbay cannot compose the $n-node chain: $("$patchbay" compose "$dir" -o "$out/p.wasm" 2>&1)"
    for c in block stage; do
        "$patchbay" compose "$dir" --composite "$c" -o "$out/$c-p.wasm" --wac "$out/$c.wac" >/dev/null 2>&1 ||
            die "patchbay cannot compose composite $c"
    done
    # The binaries of base and inc (WAT) are written beside the recipes.
    deps="$out/deps/project"
    [ -f "$deps/inc.wasm" ] && [ -f "$deps/base.wasm" ] || die "no WAT binaries beside the recipes in $deps"
    nested="$wac compose $out/block.wac --dep project:inc=$deps/inc.wasm -o $out/block-w.wasm \
&& $wac compose $out/stage.wac --dep project:block=$out/block-w.wasm -o $out/stage-w.wasm \
&& $wac compose $out/top.wac --dep project:base=$deps/base.wasm --dep project:stage=$out/stage-w.wasm -o $out/w.wasm"

    write_flat "$n" "$dir"
    flat_error="$("$wac" compose "$dir/flat.wac" --dep "project:base=$deps/base.wasm" \
        --dep "project:inc=$deps/inc.wasm" -o "$out/flat.wasm" 2>&1 >/dev/null)" && flat="composes" ||
        flat="fails: $(echo "$flat_error" | grep -o 'instances count exceeds limit of [0-9]*' | head -1)"
    [ "$flat" = "fails: " ] && flat="fails: $(echo "$flat_error" | tail -1)"

    log "N=$n: hyperfine"
    hyperfine --warmup "$WARMUP" --runs "$RUNS" --style basic \
        --export-json "$dir/hyperfine.json" \
        -n "patchbay N=$n" "$patchbay compose $dir -o $out/p.wasm" \
        -n "wac nested N=$n" "$nested" >&2

    "$patchbay" inspect "$out/p.wasm" >"$out/p.wit" || die "patchbay's output for N=$n is invalid"
    "$patchbay" inspect "$out/w.wasm" >"$out/w.wit" || die "wac's output for N=$n is invalid"
    diff -u "$out/p.wit" "$out/w.wit" >&2 || die "N=$n: patchbay and wac outputs have different WIT"

    p_ms="$(mean_ms "$dir/hyperfine.json" 0)"
    w_ms="$(mean_ms "$dir/hyperfine.json" 1)"
    rows+=("$(awk -v n="$n" -v p="$p_ms" -v w="$w_ms" -v f="$flat" \
        'BEGIN { printf "| %d | %.1f | %.1f | %.2f | %s |", n, p, w, p / w, f }')")
done

table="| N | patchbay (grouped) mean ms | wac nested (3 invocations) mean ms | ratio (patchbay/wac) | wac flat (one graph) |
|---:|---:|---:|---:|---|"
for row in "${rows[@]}"; do
    table+=$'\n'"$row"
done
mkdir -p "$results_dir"
{
    echo "# Grouped chains: patchbay compose vs wac compose"
    echo
    echo "Generated by \`bench/composites.sh\` on $(date -u +%Y-%m-%d) at $(git -C "$repo" rev-parse --short HEAD) ($(nproc) cores); patchbay $PROFILE build;"
    echo "$("$wac" --version), hyperfine $(hyperfine --version | awk '{print $2}'), $WARMUP warmup + $RUNS runs per command."
    echo
    echo "$table"
} >"$results_dir/composites.md"
cat "$results_dir/composites.md"
