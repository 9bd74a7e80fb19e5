#!/usr/bin/env bash
# Export cost per sample: `patchbay export` sealed (the default) against
# `patchbay export --open`, timed with hyperfine, and the two artifacts
# compared: size in bytes and number of imports (counted in the WIT that
# `wasm-tools component wit` prints, and checked against the list `patchbay
# export` prints).
#
# Samples: every samples/*/patchbay.toml, plus `kv-service (wasi denied)`, a
# copy of kv-service with `*.wasi:*` denied (the case where sealing removes
# every import).
#
# Prints a markdown table and writes it to bench/results/export.md.
#
# Installs what is missing: hyperfine and jq (apt), wasm-tools
# (ensure_portability_tools, PyPI), the sample components (samples/build.sh)
# and the release `patchbay` binary. Honors CARGO_TARGET_DIR.
#
# Usage: bench/export.sh            (any working directory)
# Environment: RUNS (default 20), WARMUP (default 3).
set -euo pipefail

RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-3}"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_dir="$repo/bench/results"

log() { echo "export.sh: $*" >&2; }
die() {
    echo "export.sh: error: $*" >&2
    exit 1
}

source "$repo/scripts/setup.sh"
ensure_rust
use_build_cache
apt_install hyperfine jq
ensure_portability_tools
build_samples >&2

log "building patchbay (release)"
cargo build --release --quiet -p patchbay-cli --bin patchbay --manifest-path "$repo/Cargo.toml" >&2
patchbay="$CARGO_TARGET_DIR/release/patchbay"
[ -x "$patchbay" ] || die "no patchbay binary at $patchbay"

shell_none=()
if hyperfine --help | grep -qE '^[[:space:]]*-N([[:space:],]|$)'; then
    shell_none=(-N)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A copy of kv-service whose every `*.wasi:*` import is denied, with
# absolute component paths.
denied="$work/kv-service-wasi-denied"
mkdir -p "$denied"
sed -e "s#\"\\.\\./wasm/#\"$repo/samples/wasm/#" -e '/^build = /d' -e '/^watch = /d' \
    "$repo/samples/kv-service/patchbay.toml" |
    awk '/^\[bindings\."\*\.wasi:\*"\]/ { b = 1 } b && /^mode = "grant"/ { sub(/"grant"/, "\"deny\""); b = 0 } { print }' \
        >"$denied/patchbay.toml"
grep -q 'mode = "deny"' "$denied/patchbay.toml" || die "could not deny *.wasi:* in $denied/patchbay.toml"

# The imports of an artifact, one a line, as wasm-tools prints its world.
wit_imports() {
    "$PATCHBAY_WASM_TOOLS" component wit "$1" | sed -n 's/^[[:space:]]*import \([^;:[:space:]]*\(:[^;:[:space:]]*\)\{0,1\}\)[;:].*/\1/p'
}

# Count of imports `patchbay export` printed (its "imports:" line).
said_imports() {
    sed -n 's/^imports: //p' "$1" | sed 's/^none$/0/'
}

# Mean of command $2 (0-based) in hyperfine JSON $1, in milliseconds.
mean_ms() {
    jq -r ".results[$2].mean * 1000" "$1"
}

projects=()
names=()
for manifest in "$repo"/samples/*/patchbay.toml; do
    dir="$(dirname "$manifest")"
    projects+=("$dir")
    names+=("$(basename "$dir")")
done
projects+=("$denied")
names+=("kv-service (wasi denied)")

rows=()
for i in "${!projects[@]}"; do
    project="${projects[i]}" name="${names[i]}"
    out="$work/out-$i"
    mkdir -p "$out"
    for mode in sealed open; do
        flag=()
        [ "$mode" = open ] && flag=(--open)
        "$patchbay" export "${flag[@]}" "$project" -o "$out/$mode" >"$out/$mode.txt" 2>"$out/$mode.err" ||
            die "$name: patchbay export ${flag[*]} failed: $(cat "$out/$mode.err")"
    done
    wasm_name="$(cd "$out/sealed" && ls -- *.wasm)"
    sealed_wasm="$out/sealed/$wasm_name" open_wasm="$out/open/$wasm_name"
    sealed_imports="$(wit_imports "$sealed_wasm" | wc -l)"
    open_imports="$(wit_imports "$open_wasm" | wc -l)"
    [ "$sealed_imports" = "$(said_imports "$out/sealed.txt")" ] ||
        die "$name sealed: wasm-tools lists $sealed_imports imports, patchbay export says $(said_imports "$out/sealed.txt")"
    [ "$open_imports" = "$(said_imports "$out/open.txt")" ] ||
        die "$name open: wasm-tools lists $open_imports imports, patchbay export says $(said_imports "$out/open.txt")"
    stubs=0
    if [ -d "$out/sealed/stubs" ]; then
        stubs="$(find "$out/sealed/stubs" -name '*.wasm' | wc -l)"
    fi

    log "$name: hyperfine"
    # hyperfine without a shell splits commands on whitespace; the paths have none.
    hyperfine "${shell_none[@]}" --warmup "$WARMUP" --runs "$RUNS" --style basic \
        --export-json "$out/hyperfine.json" \
        -n "sealed $name" "$patchbay export $project -o $out/t-sealed" \
        -n "open $name" "$patchbay export --open $project -o $out/t-open" >&2

    rows+=("$(awk -v n="$name" -v s="$(mean_ms "$out/hyperfine.json" 0)" -v o="$(mean_ms "$out/hyperfine.json" 1)" \
        -v sb="$(stat -c %s "$sealed_wasm")" -v ob="$(stat -c %s "$open_wasm")" \
        -v si="$sealed_imports" -v oi="$open_imports" -v st="$stubs" \
        'BEGIN { printf "| %s | %.1f | %.1f | %d | %d | %+.1f %% | %d | %d | %d |", n, s, o, sb, ob, (sb - ob) * 100 / ob, si, oi, st }')")
done

table="| sample | sealed ms | open ms | sealed bytes | open bytes | size change | sealed imports | open imports | stubs |
|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
    table+=$'\n'"$row"
done

mkdir -p "$results_dir"
{
    echo "# patchbay export: sealed vs open"
    echo
    echo "Generated by \`bench/export.sh\` on $(date -u +%Y-%m-%d) at $(git -C "$repo" rev-parse --short HEAD) ($(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"));"
    echo "release \`patchbay\`, hyperfine $(hyperfine --version | awk '{print $2}'), $WARMUP warmup + $RUNS runs per command (mean); imports counted by $("$PATCHBAY_WASM_TOOLS" --version | cut -d' ' -f1-2)."
    echo
    echo "$table"
} >"$results_dir/export.md"

echo "$table"
