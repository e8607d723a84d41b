#!/usr/bin/env bash
# Measures the merchant console in headless Chromium against a release server: each page's load
# time, cold (a fresh browser context: nothing cached) and the bytes transferred, and prints them
# (figures recorded in docs/figures.md; nothing is asserted). Seed 004's target: under 1 s.
# Usage: scripts/bench-console.sh [runs per page, default 5]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_chromium
cargo build -q --release -p colmena-server
"$ROOT/scripts/build-wasm.sh" console
ensure_npm_deps "$ROOT/tests/browser"
cd tests/browser && COLMENA_SERVER_BIN="${COLMENA_SERVER_BIN:-$ROOT/target/release/colmena-server}" \
  node bench-console.mjs "${1:-5}"
