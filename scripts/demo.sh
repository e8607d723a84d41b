#!/usr/bin/env bash
# The demo: builds the widget and the server, then serves the demo stores on embedded SQLite and
# the demo page that embeds the widget. Open http://127.0.0.1:8080 (Ctrl-C stops).
#   COLMENA_ADDR=0.0.0.0:9000 scripts/demo.sh   to listen elsewhere.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/build-wasm.sh"
log "building colmena-server"
cargo build -q
mkdir -p "$ROOT/.demo"
log "starting the demo: open http://${COLMENA_ADDR:-127.0.0.1:8080}"
exec "$ROOT/target/debug/colmena-server" --demo --demo-shipping \
  --addr "${COLMENA_ADDR:-127.0.0.1:8080}" \
  --database-url "sqlite://$ROOT/.demo/colmena.db" \
  --media-dir "$ROOT/.demo/media" \
  --files-dir "$ROOT/.demo/files" \
  --mail-dir "$ROOT/.demo/mail" \
  --widget-dir "$ROOT/widget/dist" \
  --console-dir "$ROOT/console/dist" \
  --webhook-allow-http --webhook-allow-private  # local partner receivers (examples/src/bin/partner.rs); production wants https and public addresses
