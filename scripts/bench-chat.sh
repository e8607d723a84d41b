#!/usr/bin/env bash
# Chat interpreter benchmark (prints figures; nothing here is asserted): exact-match accuracy of
# the labelled set (sdk-core/tests/data/chat: intent, product, variant and quantity all right) on
# the demo catalogs, in all and per language, store, intent and feature; then the time to index a
# synthetic 10,000-product catalog and interpret's latency over it (p50, p99, max), every labelled
# message repeated to at least 10,000 calls. Release build, no network.
# Usage: scripts/bench-chat.sh [PRODUCTS [CALLS]]   (defaults 10000 and 10000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log "release build of the chat benchmark"
cargo build -q --release -p colmena-sdk --example chat_bench
"${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/chat_bench" "$@"
