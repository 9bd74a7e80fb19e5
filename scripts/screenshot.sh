#!/usr/bin/env bash
# Takes the README's screenshot: the real desktop app running a sample.
#
# Under Xvfb, starts the app (through tauri-driver and WebKitWebDriver) on a
# temporary copy of PROJECT, waits for the graph and its first analysis,
# opens the Run panel, fills the export's arguments, runs it, waits for the
# result and the trace, and captures the app's window with ImageMagick's
# `import` (WebDriver's screenshot of the page if that fails). The driving
# is in scripts/screenshot.mjs, on the app harness in tests/app-driver.
#
# Usage: scripts/screenshot.sh [PROJECT] [OUT.png]
#   PROJECT  a project folder (default: samples/sandbox-demo, the README's)
#   OUT.png  where to write the picture (default: docs/screenshot.png)
# Environment:
#   CALL_ARGS        the export's arguments as WAVE, without the parentheses
#                    (default: a sensible call for sandbox-demo,
#                    order-pipeline and kv-service, else the run form's
#                    defaults)
#   SCREENSHOT_SIZE  window and screen size, WxH (default 1600x1000)
#   APP_PROFILE      debug (default) or release build of the app
#
# Installs what is missing (scripts/setup.sh: Tauri's libraries, Xvfb,
# WebKitWebDriver, tauri-driver, ImageMagick, xdotool, Node), builds the
# samples, the UI and the app. Honors CARGO_TARGET_DIR.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# say, ensure_rust, use_build_cache, ensure_app_deps, build_samples, build_app_binary.
source "$repo/scripts/setup.sh"

die() {
  echo "screenshot.sh: error: $*" >&2
  exit 1
}

project="${1:-$repo/samples/sandbox-demo}"
out="${2:-$repo/docs/screenshot.png}"
[ -f "$project/patchbay.toml" ] || die "no patchbay.toml in $project"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
size="${SCREENSHOT_SIZE:-1600x1000}"
[[ "$size" =~ ^[0-9]+x[0-9]+$ ]] || die "SCREENSHOT_SIZE must be WxH, not '$size'"
profile="${APP_PROFILE:-debug}"

if [ -z "${CALL_ARGS+set}" ]; then
  case "$(basename "$(cd "$project" && pwd)")" in
    order-pipeline)
      # As in samples/components/README.md: 2 × $12.50 + 1 × $3.05, taxed in the eu.
      CALL_ARGS='{id: "ord-1042", customer: "alice", region: eu, items: [{sku: "widget", quantity: 2, unit-price-cents: 1250}, {sku: "gadget", quantity: 1, unit-price-cents: 305}], coupon: none}'
      ;;
    kv-service) CALL_ARGS='"set greeting hello"' ;;
    # granted#read-file, the export the run panel offers first: the granted
    # node reads the file its /data grant lets it see.
    sandbox-demo) CALL_ARGS='"/data/motd.txt"' ;;
    *) CALL_ARGS='' ;;
  esac
fi

ensure_rust
use_build_cache
ensure_app_deps
build_samples
build_app_binary "$profile"

mkdir -p "$(dirname "$out")"
say "running $(basename "$(cd "$project" && pwd)") in the app and capturing it"
SCREENSHOT_SIZE="$size" node "$repo/scripts/screenshot.mjs" "$APP_BIN" "$project" "$out" "$CALL_ARGS"
echo "$out"
