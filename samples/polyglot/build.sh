#!/usr/bin/env bash
# Builds the JavaScript and Python sample components from source and copies
# each one to samples/wasm/<name>.wasm (only when its content changed, as
# samples/build.sh does for the Rust ones):
#
#   tax-calculator-js  JavaScript, componentize-js (npm, package-lock.json here)
#   validator-py       Python, componentize-py (PyPI, requirements.txt here)
#
# Usage: samples/polyglot/build.sh [COMPONENT...]   (no arguments: all)
#
# The toolchains are installed when missing: componentize-js into
# node_modules here, componentize-py into a venv under
# $HOME/.cache/patchbay/polyglot-venv. A build takes 20 to 40 s, so each
# result is kept under $HOME/.cache/patchbay/polyglot (PATCHBAY_POLYGLOT_CACHE),
# keyed by a hash of everything it is built from; an unchanged component is
# copied from there.
set -euo pipefail

polyglot_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$polyglot_dir/../../scripts/setup.sh"
out_dir="$PATCHBAY_ROOT/samples/wasm"
cache_dir="${PATCHBAY_POLYGLOT_CACHE:-$HOME/.cache/patchbay/polyglot}"
venv="$HOME/.cache/patchbay/polyglot-venv"

# name -> "language source world wit-folder"
declare -A COMPONENTS=(
  [tax-calculator-js]="js tax-calculator-js/tax.js tax-calculator wit/orders"
  [validator-py]="py validator-py/app.py validator wit/orders"
)

if [ "$#" -gt 0 ]; then
  names=("$@")
  for name in "${names[@]}"; do
    if [ -z "${COMPONENTS[$name]:-}" ]; then
      echo "polyglot/build.sh: unknown component '$name' (known: ${!COMPONENTS[*]})" >&2
      exit 2
    fi
  done
else
  names=(tax-calculator-js validator-py)
fi

ensure_js_toolchain() {
  ensure_node
  npm_ci_if_stale "$polyglot_dir"
}

ensure_py_toolchain() {
  local stamp="$venv/.patchbay-requirements"
  if [ ! -x "$venv/bin/componentize-py" ] || ! cmp -s "$polyglot_dir/requirements.txt" "$stamp"; then
    command -v python3 >/dev/null 2>&1 || apt_install python3
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
    say "installing componentize-py (PyPI) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$polyglot_dir/requirements.txt" </dev/null
    cp "$polyglot_dir/requirements.txt" "$stamp"
  fi
}

# A hash of every input of a build: the sources, the WIT, the toolchain's
# pinned versions and this script.
build_key() {
  local language="$1" source="$2" wit="$3" toolchain
  case "$language" in
    js) toolchain=("$polyglot_dir/package-lock.json" "$polyglot_dir/build-js.mjs") ;;
    py) toolchain=("$polyglot_dir/requirements.txt") ;;
  esac
  {
    find "$polyglot_dir/$(dirname "$source")" "$PATCHBAY_ROOT/$wit" -type f \
      -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
    sha256sum "${toolchain[@]}" "$polyglot_dir/build.sh"
  } | sed "s#$PATCHBAY_ROOT/##" | sha256sum | cut -c1-32
}

build_one() {
  local name="$1" language source world wit
  read -r language source world wit <<<"${COMPONENTS[$name]}"
  local cached="$cache_dir/$name-$(build_key "$language" "$source" "$wit").wasm"
  if [ ! -s "$cached" ]; then
    mkdir -p "$cache_dir"
    say "building $name ($language) from samples/polyglot/$source"
    case "$language" in
      js)
        ensure_js_toolchain
        (cd "$polyglot_dir" && node build-js.mjs "$source" "$PATCHBAY_ROOT/$wit" "$world" "$cached.tmp")
        ;;
      py)
        ensure_py_toolchain
        # Bindings are generated into a scratch folder, never into the
        # sources; componentize-py finds the app through --python-path.
        local scratch
        scratch="$(mktemp -d)"
        (cd "$scratch" && env -u VIRTUAL_ENV "$venv/bin/componentize-py" \
          -d "$PATCHBAY_ROOT/$wit" -w "$world" componentize \
          -p "$polyglot_dir/$(dirname "$source")" -o "$cached.tmp" \
          "$(basename "$source" .py)" >/dev/null)
        rm -rf "$scratch"
        ;;
    esac
    mv "$cached.tmp" "$cached"
  fi
  mkdir -p "$out_dir"
  local dest="$out_dir/$name.wasm"
  if ! cmp -s "$cached" "$dest"; then
    cp "$cached" "$dest.tmp"
    mv "$dest.tmp" "$dest"
    echo "copied $name -> $dest ($(wc -c <"$dest") bytes)"
  fi
}

for name in "${names[@]}"; do
  build_one "$name"
done
