#!/usr/bin/env bash
# Installs what building and testing Patchbay needs, when it is missing.
# Sourced by start.sh and test.sh; safe to run again (it only installs what
# is absent). Works as root or with sudo, with no standard input.
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
  if ! rustup target list --installed | grep -qx wasm32-wasip2; then
    say "adding the wasm32-wasip2 target"
    rustup target add wasm32-wasip2
  fi
}

# Builds are reused across clones: cargo output goes to a cache outside the
# repository unless the caller chose a target directory.
use_build_cache() {
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/patchbay/target}"
  export PATCHBAY_SAMPLES_TARGET="${PATCHBAY_SAMPLES_TARGET:-$HOME/.cache/patchbay/samples-target}"
  mkdir -p "$CARGO_TARGET_DIR" "$PATCHBAY_SAMPLES_TARGET"
}

build_samples() {
  say "building the sample components from source"
  bash "$PATCHBAY_ROOT/samples/build.sh"
}

setup_all() {
  ensure_rust
  use_build_cache
  build_samples
}
