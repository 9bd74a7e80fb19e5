#!/usr/bin/env bash
# Benchmarks of the embedded host (issue 3), and `patchbay call` against
# `wasmtime run --invoke` on the same composed component.
#
# 1. Runs `cargo bench -p patchbay-host --bench host` (criterion: new Store +
#    instantiate per node and per composed sample; then tables: a call across
#    a wire measured inside the guest, the same over loopback HTTP, edit to
#    live, the steps of one `patchbay call`, live instances per process).
# 2. Composes samples/kv-service with `patchbay compose -o` and times, with
#    hyperfine,
#      patchbay call samples/kv-service 'handle-request("get a")'
#      wasmtime run --invoke 'handle-request("get a")' kv.wasm
#      wasmtime run --allow-precompiled --invoke ... kv.cwasm  (`wasmtime compile`d)
#    after checking that all three print the same result. `patchbay call`
#    loads the project, checks and composes it on every run, then loads the
#    compiled composition from its disk cache (~/.cache/patchbay/compiled);
#    `wasmtime run` is given the composed file, and uses its own compile cache
#    unless it is disabled.
#
# Prints markdown tables and writes them to bench/results/host.md.
#
# Installs what is missing: hyperfine (apt), wasmtime-cli $WASMTIME_VERSION
# (cargo install, into $HOME/.cargo/bin; a long build), the sample components
# (samples/build.sh) and the release `patchbay` binary. Honors
# CARGO_TARGET_DIR.
#
# Usage: bench/host.sh            (any working directory)
# Environment: RUNS (default 20), WARMUP (default 3), SKIP_CARGO_BENCH=1 to
# only run the CLI comparison.
set -euo pipefail

WASMTIME_VERSION="48.0.8"
RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-3}"
CALL='handle-request("get a")'
EXPECTED='"not found: a"'

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_dir="$repo/bench/results"

log() { echo "host.sh: $*" >&2; }
die() {
    echo "host.sh: error: $*" >&2
    exit 1
}

# as_root and apt_install (installs only what is missing).
source "$repo/scripts/setup.sh"

# --- tools -----------------------------------------------------------------

apt_install hyperfine jq

export PATH="$HOME/.cargo/bin:$PATH"
if ! wasmtime --version 2>/dev/null | grep -q "^wasmtime $WASMTIME_VERSION\b"; then
    log "installing wasmtime-cli $WASMTIME_VERSION (this takes a while)"
    cargo install wasmtime-cli --locked --version "$WASMTIME_VERSION" --root "$HOME/.cargo" >&2
fi
wasmtime="$(command -v wasmtime)"

log "building the sample components"
bash "$repo/samples/build.sh" >&2

log "building patchbay (release)"
cargo build --release --quiet -p patchbay-cli --manifest-path "$repo/Cargo.toml" >&2
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
patchbay="$target_dir/release/patchbay"
[ -x "$patchbay" ] || die "no patchbay binary at $patchbay"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- 1. cargo bench ------------------------------------------------------------

crit_dir="${CRITERION_HOME:-$target_dir/criterion}"
tables="$work/tables.md"
if [ "${SKIP_CARGO_BENCH:-0}" != 1 ]; then
    log "cargo bench -p patchbay-host --bench host"
    (cd "$repo" && PATCHBAY_HOST_BENCH_OUT="$tables" \
        cargo bench -p patchbay-host --bench host >&2)
else
    echo "(cargo bench skipped: SKIP_CARGO_BENCH=1)" >"$tables"
fi

# Median of criterion benchmark $1/$2 in microseconds.
crit_us() {
    local f="$crit_dir/$1/$2/new/estimates.json"
    [ -f "$f" ] || {
        echo "–"
        return
    }
    jq -r '.median.point_estimate / 1000 | . * 10 | round / 10' "$f"
}

instantiate_table() {
    local group
    echo "| benchmark | median µs |"
    echo "|---|---:|"
    for group in instantiate_node instantiate_composed call_composed; do
        [ -d "$crit_dir/$group" ] || continue
        for dir in "$crit_dir/$group"/*/; do
            name="$(basename "$dir")"
            [ "$name" = report ] && continue
            echo "| $group/$name | $(crit_us "$group" "$name") |"
        done
    done
}

# --- 2. patchbay call vs wasmtime run --------------------------------------------

log "composing samples/kv-service"
project="$repo/samples/kv-service"
"$patchbay" compose "$project" -o "$work/kv.wasm" >&2
"$wasmtime" compile "$work/kv.wasm" -o "$work/kv.cwasm" >&2

p_out="$("$patchbay" call "$project" "$CALL" 2>/dev/null)"
w_out="$("$wasmtime" run --invoke "$CALL" "$work/kv.wasm")"
c_out="$("$wasmtime" run --allow-precompiled --invoke "$CALL" "$work/kv.cwasm")"
for out in "$p_out" "$w_out" "$c_out"; do
    [ "$out" = "$EXPECTED" ] ||
        die "unexpected result: patchbay printed '$p_out', wasmtime '$w_out', wasmtime (precompiled) '$c_out'; expected '$EXPECTED'"
done
log "all print $EXPECTED"

shell_none=()
if hyperfine --help | grep -qE '^[[:space:]]*-N([[:space:],]|$)'; then
    shell_none=(-N)
fi

log "hyperfine"
hyperfine "${shell_none[@]}" --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$work/hyperfine.json" \
    -n "patchbay call" "$patchbay call $project '$CALL'" \
    -n "wasmtime run --invoke" "$wasmtime run --invoke '$CALL' $work/kv.wasm" \
    -n "wasmtime run (precompiled)" "$wasmtime run --allow-precompiled --invoke '$CALL' $work/kv.cwasm" >&2

mean_ms() { jq -r ".results[$1].mean * 1000" "$work/hyperfine.json"; }
sd_ms() { jq -r ".results[$1].stddev * 1000" "$work/hyperfine.json"; }
p_ms="$(mean_ms 0)"
w_ms="$(mean_ms 1)"
c_ms="$(mean_ms 2)"
cli_table="| command | mean ms | σ ms | patchbay / this |
|---|---:|---:|---:|
$(awk -v m="$p_ms" -v s="$(sd_ms 0)" 'BEGIN { printf "| `patchbay call samples/kv-service '"'"'%s'"'"'` | %.2f | %.2f | 1.00 |", "handle-request(\"get a\")", m, s }')
$(awk -v m="$w_ms" -v s="$(sd_ms 1)" -v p="$p_ms" 'BEGIN { printf "| `wasmtime run --invoke '"'"'%s'"'"' kv.wasm` | %.2f | %.2f | %.2f |", "handle-request(\"get a\")", m, s, p / m }')
$(awk -v m="$c_ms" -v s="$(sd_ms 2)" -v p="$p_ms" 'BEGIN { printf "| `wasmtime run --allow-precompiled --invoke … kv.cwasm` | %.2f | %.2f | %.2f |", m, s, p / m }')"

mkdir -p "$results_dir"
{
    echo "# Embedded host (issue 3)"
    echo
    echo "Generated by \`bench/host.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME")),"
    echo "$(rustc --version | awk '{print $1, $2}'), $("$wasmtime" --version | awk '{print $1, $2}'), hyperfine $(hyperfine --version | awk '{print $2}')."
    echo
    echo "### (a) New Store + instantiate (criterion, pooling allocator)"
    echo
    echo "\`instantiate_node/*\`: each sample component alone; \`instantiate_composed/*\`: each composed sample"
    echo "(from \`Host::prepare\`); both a fresh Store with WASI, \`instantiate_async\`, drop."
    echo "\`call_composed/kv-service\`: the whole \`Host::call\` of \`$CALL\`."
    echo
    instantiate_table
    echo
    cat "$tables"
    echo "### (e) \`patchbay call\` vs \`wasmtime run --invoke\` (hyperfine)"
    echo
    echo "Composed samples/kv-service, \`$CALL\`, all print \`$EXPECTED\`; hyperfine -N, $WARMUP warmup + $RUNS runs."
    echo "\`patchbay call\` loads, checks and composes the project on every run and loads the compiled"
    echo "composition from its disk cache; \`wasmtime run\` gets the composed file (its compile cache on, as by default)."
    echo
    echo "$cli_table"
} >"$results_dir/host.md"

cat "$results_dir/host.md"
