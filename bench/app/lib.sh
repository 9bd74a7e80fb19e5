# Shell functions shared by scripts/screenshot.sh and bench/app.sh: what
# driving the real desktop app needs (installed when missing), the app built,
# and a project copied somewhere it may be changed. Source it after
# scripts/setup.sh (for as_root, apt_install, say, PATCHBAY_ROOT).

# Tauri's build libraries, an X server, window capture, the WebDriver pair
# (WebKitWebDriver and tauri-driver) and Node to speak WebDriver.
ensure_app_driver_tools() {
  if declare -F ensure_app_deps >/dev/null; then
    ensure_app_deps
  else
    apt_install build-essential pkg-config file libwebkit2gtk-4.1-dev libgtk-3-dev \
      librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev
  fi
  apt_install xvfb xauth imagemagick xdotool x11-utils webkit2gtk-driver procps
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 18 ]; then
    echo "error: Node $major is too old: driving the app needs Node 18 or newer (fetch)" >&2
    return 1
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "installing tauri-driver"
    cargo install tauri-driver --locked
  fi
}

# Builds ui/dist when it is missing or older than its sources (the app embeds
# it at compile time), with `npm ci` first when the lockfile changed.
ensure_ui_built() {
  if declare -F build_ui >/dev/null; then
    build_ui
    return
  fi
  local ui="$PATCHBAY_ROOT/ui"
  if [ ! -f "$ui/node_modules/.package-lock.json" ] ||
    [ "$ui/package-lock.json" -nt "$ui/node_modules/.package-lock.json" ]; then
    say "installing the UI's npm packages"
    (cd "$ui" && npm ci --no-audit --no-fund) >&2
  fi
  if [ ! -f "$ui/dist/index.html" ] || [ -n "$(find "$ui/src" "$ui/public" "$ui/index.html" \
    "$ui/package.json" "$ui/package-lock.json" "$ui/vite.config.ts" "$ui"/tsconfig*.json \
    -newer "$ui/dist/index.html" -print -quit 2>/dev/null)" ]; then
    say "building the UI"
    (cd "$ui" && npm run build) >&2
  fi
}

# Builds the desktop app in profile $1 (debug or release) and sets APP_BIN.
# Cargo rebuilds it when ui/dist changed (src-tauri/build.rs watches it).
build_app_binary() {
  local profile="${1:-debug}" flags=()
  [ "$profile" = release ] && flags=(--release)
  if [ "$profile" = debug ] && declare -F build_app >/dev/null; then
    build_app
  else
    say "building patchbay-app ($profile)"
    cargo build "${flags[@]}" --manifest-path "$PATCHBAY_ROOT/Cargo.toml" -p patchbay-app >&2
  fi
  local target_dir="${CARGO_TARGET_DIR:-$PATCHBAY_ROOT/target}"
  APP_BIN="$target_dir/$profile/patchbay-app"
  if [ ! -x "$APP_BIN" ]; then
    echo "error: no app binary at $APP_BIN" >&2
    return 1
  fi
}

# The relative `path = "…"` entries of a patchbay.toml (component files).
component_paths() {
  sed -n 's/^[[:space:]]*path[[:space:]]*=[[:space:]]*"\([^"/][^"]*\)".*/\1/p' "$1"
}

# Copies project folder $1 into the new folder $2, and every component file
# it names by a relative path to the same place relative to the copy, so that
# `../wasm/x.wasm` still resolves. Prints the copy's folder.
copy_project() {
  local src dest depth=0 up rel p i base copy from to
  src="$(cd "$1" && pwd)"
  dest="$2"
  while IFS= read -r p; do
    up=0
    rel="$p"
    while [[ "$rel" == ../* ]]; do
      up=$((up + 1))
      rel="${rel#../}"
    done
    ((up > depth)) && depth=$up
  done < <(component_paths "$src/patchbay.toml")
  # The copy sits deep enough below $2 for its `../` paths to stay inside.
  base="$dest"
  for ((i = 1; i < depth; i++)); do base="$base/d$i"; done
  mkdir -p "$base"
  copy="$base/$(basename "$src")"
  cp -R "$src" "$copy"
  while IFS= read -r p; do
    from="$(realpath -m "$src/$p")"
    to="$(realpath -m "$copy/$p")"
    [ -f "$from" ] || continue
    mkdir -p "$(dirname "$to")"
    cp "$from" "$to"
  done < <(component_paths "$src/patchbay.toml")
  echo "$copy"
}
