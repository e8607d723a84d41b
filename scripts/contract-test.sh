#!/usr/bin/env bash
# The server against its own contract: schemathesis (PyPI) generates requests from
# GET /api/v1/openapi.json, valid and invalid, for every operation, and fails on any 5xx answer
# or any answer that does not match the documented schema. Real fixture ids come from
# tests/contract/fixtures.py; the settings are in tests/contract/schemathesis.toml.
#
# Usage: scripts/contract-test.sh   (after `cargo build`; COLMENA_SERVER_BIN overrides the binary)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_schemathesis

bin="${COLMENA_SERVER_BIN:-$ROOT/target/debug/colmena-server}"
data="$(mktemp -d /tmp/colmena-contract.XXXXXX)"
port="$(free_port)"
base="http://127.0.0.1:$port"
"$bin" --demo --addr "127.0.0.1:$port" --database-url "sqlite://$data/colmena.db" \
  --media-dir "$data/media" --files-dir "$data/files" \
  --rate-limit-public 0 --rate-limit-admin 0 --rate-limit-login 0 --rate-limit-uploads 0 \
  >"$data/server.log" 2>&1 &
server=$!
on_exit "kill $server 2>/dev/null; rm -rf $data"
for _ in $(seq 100); do
  grep -q "listening on" "$data/server.log" && break
  sleep 0.1
done

eval "$(python3 "$ROOT/tests/contract/fixtures.py" "$base")"
log "schemathesis $SCHEMATHESIS_VERSION against $base (seed ${COLMENA_CONTRACT_SEED:-1})"
# A fixed seed keeps CI reproducible; COLMENA_CONTRACT_SEED explores other inputs.
st --config-file "$ROOT/tests/contract/schemathesis.toml" run "$base/api/v1/openapi.json" \
  --url "$base" --workers 1 --phases examples,coverage,fuzzing \
  --seed "${COLMENA_CONTRACT_SEED:-1}" --no-color
