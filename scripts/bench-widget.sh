#!/usr/bin/env bash
# Measures the widget's gzipped size and its time to the first painted grid in headless
# Chromium, against the same products as plain HTML, and prints the targets (figures recorded
# in docs/figures.md). Builds what it needs first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_chromium
cargo build -q
"$ROOT/scripts/build-wasm.sh"
ensure_npm_deps "$ROOT/tests/browser"
cd tests/browser && node bench-widget.mjs "${1:-15}"
