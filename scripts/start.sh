#!/usr/bin/env bash
# Sets Patchbay up on a fresh Debian/Ubuntu machine and launches the desktop
# editor on the kv-service sample. Installs what is missing first (apt
# packages, the wasm32-wasip2 target, tauri-driver, npm packages), then
# builds the sample components, the editor's page (ui/dist) and the app.
# With no display it runs the app under Xvfb and says how to screenshot it.
# The CLI walkthrough that used to live here is scripts/cli-tour.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all
setup_app
build_app --quiet

app="$CARGO_TARGET_DIR/debug/patchbay-app"
project="$PATCHBAY_ROOT/samples/kv-service"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  say "launching Patchbay on samples/kv-service"
  exec "$app" "$project"
fi

# No display: a virtual one. Pick its number and auth file here so that the
# screenshot command below can name them.
display=99
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do
  display=$((display + 1))
done
auth="${XDG_RUNTIME_DIR:-/tmp}/patchbay-xvfb-$display.auth"
say "no \$DISPLAY or \$WAYLAND_DISPLAY: running Patchbay under Xvfb (xvfb-run -a) on display :$display"
say "screenshot it from another shell: DISPLAY=:$display XAUTHORITY=$auth import -window root patchbay.png"
exec xvfb-run -a -n "$display" -f "$auth" -s "-screen 0 1600x1000x24" "$app" "$project"
