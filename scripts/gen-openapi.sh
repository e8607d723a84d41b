#!/usr/bin/env bash
# Saves the server's OpenAPI document (GET /api/v1/openapi.json of a demo server) as
# sdk-wasm/openapi.json, from which scripts/build-wasm.sh generates the JS client's TypeScript
# types with openapi-typescript. A committed copy keeps the wasm build free of a native server
# build.
#   --check: fail if the committed document differs from the server's.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

check=false
[ "${1:-}" = "--check" ] && check=true

[ -x "${COLMENA_SERVER_BIN:-$ROOT/target/debug/colmena-server}" ] || cargo build -q -p colmena-server
start_demo_server
fresh="$(mktemp)"
on_exit "rm -f $fresh"
node -e '
  const [url, out] = process.argv.slice(1);
  fetch(url).then((r) => { if (!r.ok) throw new Error(`${url}: ${r.status}`); return r.json(); })
    .then((doc) => require("node:fs").writeFileSync(out, JSON.stringify(doc, null, 2) + "\n"));
' "$DEMO_BASE/api/v1/openapi.json" "$fresh"

target="$ROOT/sdk-wasm/openapi.json"
if $check; then
  if ! cmp -s "$fresh" "$target"; then
    echo "out of date: sdk-wasm/openapi.json (run scripts/gen-openapi.sh and commit)" >&2
    exit 1
  fi
  log "sdk-wasm/openapi.json matches the server"
else
  cp "$fresh" "$target"
  log "saved the server's OpenAPI document in sdk-wasm/openapi.json"
fi
