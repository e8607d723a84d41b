#!/usr/bin/env bash
# Measures the widget's gzipped size and its time to the first painted grid in headless
# Chromium, against the same products as plain HTML, and prints the targets (figures recorded
# in docs/figures.md). Builds what it needs first: the server in its release profile, as a shop
# runs it (the debug build answers the widget's API reads several times slower; CI never builds
# this profile).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_chromium
cargo build -q --release -p colmena-server
"$ROOT/scripts/build-wasm.sh"
ensure_npm_deps "$ROOT/tests/browser"
cd tests/browser && COLMENA_SERVER_BIN="${COLMENA_SERVER_BIN:-$ROOT/target/release/colmena-server}" \
  node bench-widget.mjs "${1:-15}"
