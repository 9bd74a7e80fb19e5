#!/usr/bin/env bash
# Compares `patchbay compose` with the `wac` CLI on the same compositions.
#
# For N in 2 8 32 64 it writes a chain project of N nodes
#   memory (kv-memory) <- cache1 .. cache<N-2> (kv-cache) <- service (kv-service)
# (the shape of the `compose_chain` criterion benchmark), composes it once
# with `patchbay compose --wac` to get the equivalent `.wac` source, then times
# both tools with hyperfine. Both outputs must have the same WIT (compared
# with `patchbay inspect`), or the script fails.
#
# Prints a markdown table and writes it to bench/results/compose.md.
#
# Installs what is missing: hyperfine (apt), wac-cli (cargo install, into
# $HOME/.cargo/bin), the sample components (samples/build.sh) and the release
# `patchbay` binary. Honors CARGO_TARGET_DIR.
#
# wac-cli 0.12.0 (the newest release; it builds on rustc 1.95) is built
# without its default `registry` feature, so `wac compose` can only resolve
# packages from the --dep flags and never reaches a package registry.
#
# Usage: bench/compose.sh            (any working directory)
# Environment: RUNS (default 20), WARMUP (default 3).
set -euo pipefail

WAC_VERSION="0.12.0"
SIZES=(2 8 32 64)
RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-3}"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_dir="$repo/bench/results"
wasm_dir="$repo/samples/wasm"

log() { echo "compose.sh: $*" >&2; }
die() {
    echo "compose.sh: error: $*" >&2
    exit 1
}

# as_root and apt_install (installs only what is missing).
source "$repo/scripts/setup.sh"

# --- tools -----------------------------------------------------------------

apt_install hyperfine jq

export PATH="$HOME/.cargo/bin:$PATH"
if ! wac --version 2>/dev/null | grep -qx "wac-cli $WAC_VERSION"; then
    log "installing wac-cli $WAC_VERSION"
    cargo install wac-cli --locked --version "$WAC_VERSION" \
        --no-default-features --features wit --root "$HOME/.cargo" >&2
fi

log "building the sample components"
bash "$repo/samples/build.sh" >&2

log "building patchbay (release)"
cargo build --release --quiet -p patchbay-cli --manifest-path "$repo/Cargo.toml" >&2
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
patchbay="$target_dir/release/patchbay"
[ -x "$patchbay" ] || die "no patchbay binary at $patchbay"
wac="$(command -v wac)"

for c in kv-memory kv-cache kv-service; do
    [ -f "$wasm_dir/$c.wasm" ] || die "missing $wasm_dir/$c.wasm"
done

shell_none=()
if hyperfine --help | grep -qE '^[[:space:]]*-N([[:space:],]|$)'; then
    shell_none=(-N)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- projects ----------------------------------------------------------------

# Writes an N-node chain project into folder $2. Node ids must be kebab-case
# words that each start with a letter, hence `cache1`, not `cache-1`.
write_chain() {
    local n="$1" dir="$2" i prev
    mkdir -p "$dir"
    {
        printf 'version = 1\nname = "kv-chain"\n\n'
        printf '[components.kv-memory]\npath = "%s"\n\n' "$wasm_dir/kv-memory.wasm"
        if [ "$n" -gt 2 ]; then
            printf '[components.kv-cache]\npath = "%s"\n\n' "$wasm_dir/kv-cache.wasm"
        fi
        printf '[components.kv-service]\npath = "%s"\n\n' "$wasm_dir/kv-service.wasm"
        printf '[nodes.memory]\ncomponent = "kv-memory"\n\n'
        for ((i = 1; i <= n - 2; i++)); do
            printf '[nodes.cache%d]\ncomponent = "kv-cache"\n\n' "$i"
        done
        printf '[nodes.service]\ncomponent = "kv-service"\n\n'
        prev=memory
        for ((i = 1; i <= n - 2; i++)); do
            printf '[[wires]]\nfrom = "%s.patchbay:kv/store"\nto = "cache%d.patchbay:kv/store"\n\n' "$prev" "$i"
            prev="cache$i"
        done
        printf '[[wires]]\nfrom = "%s.patchbay:kv/store"\nto = "service.patchbay:kv/store"\n\n' "$prev"
        printf '[[exports]]\nfrom = "service.handle-request"\n\n'
        printf '[bindings."*.wasi:*"]\nmode = "grant"\n'
    } >"$dir/patchbay.toml"
}

# Prints `--dep NAME=PATH` arguments (one a line, PATH absolute) taken from
# the header comment of a generated .wac file in project folder $2.
wac_deps() {
    local wac_file="$1" dir="$2" name path
    sed -n 's|^//[[:space:]]*--dep[[:space:]]\{1,\}\([^=[:space:]]*\)=\([^[:space:]]*\).*|\1 \2|p' "$wac_file" |
        while read -r name path; do
            case "$path" in /*) ;; *) path="$dir/$path" ;; esac
            printf -- '--dep\n%s=%s\n' "$name" "$path"
        done
}

# Mean of command $2 (0-based) in hyperfine JSON $1, in milliseconds.
mean_ms() {
    jq -r ".results[$2].mean * 1000" "$1"
}

# --- runs ----------------------------------------------------------------------

rows=()
for n in "${SIZES[@]}"; do
    dir="$work/chain-$n"
    write_chain "$n" "$dir"
    "$patchbay" compose "$dir" -o "$dir/out.wasm" --wac "$dir/chain.wac" >/dev/null 2>&1 ||
        die "patchbay cannot compose the $n-node chain: $("$patchbay" compose "$dir" -o "$dir/out.wasm" 2>&1)"
    mapfile -t deps < <(wac_deps "$dir/chain.wac" "$dir")
    [ "${#deps[@]}" -gt 0 ] || die "no --dep lines in the header of $dir/chain.wac"
    for ((i = 1; i < ${#deps[@]}; i += 2)); do
        [ -f "${deps[i]#*=}" ] || die "dependency ${deps[i]} of $dir/chain.wac is missing"
    done

    # hyperfine without a shell splits commands on whitespace; the paths have none.
    patchbay_cmd="$patchbay compose $dir -o $dir/p.wasm"
    wac_cmd="$wac compose $dir/chain.wac ${deps[*]} -o $dir/w.wasm"

    log "N=$n: hyperfine"
    hyperfine "${shell_none[@]}" --warmup "$WARMUP" --runs "$RUNS" --style basic \
        --export-json "$dir/hyperfine.json" \
        -n "patchbay N=$n" "$patchbay_cmd" \
        -n "wac N=$n" "$wac_cmd" >&2

    "$patchbay" inspect "$dir/p.wasm" >"$dir/p.wit" || die "patchbay's output for N=$n is invalid"
    "$patchbay" inspect "$dir/w.wasm" >"$dir/w.wit" || die "wac's output for N=$n is invalid"
    if ! diff -u "$dir/p.wit" "$dir/w.wit" >"$dir/wit.diff"; then
        cat "$dir/wit.diff" >&2
        die "N=$n: patchbay and wac outputs have different WIT (diff above)"
    fi

    p_ms="$(mean_ms "$dir/hyperfine.json" 0)"
    w_ms="$(mean_ms "$dir/hyperfine.json" 1)"
    rows+=("$(awk -v n="$n" -v p="$p_ms" -v w="$w_ms" \
        'BEGIN { printf "| %d | %.2f | %.2f | %.2f | %.3f |", n, p, w, p / w, p / n }')")
done

table="| N | patchbay mean ms | wac mean ms | ratio (patchbay/wac) | patchbay ms per node |
|---:|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
    table+=$'\n'"$row"
done

mkdir -p "$results_dir"
{
    echo "# patchbay compose vs wac compose"
    echo
    echo "Generated by \`bench/compose.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"));"
    echo "$("$wac" --version), hyperfine $(hyperfine --version | awk '{print $2}'), $WARMUP warmup + $RUNS runs per command."
    echo
    echo "$table"
} >"$results_dir/compose.md"

echo "$table"
