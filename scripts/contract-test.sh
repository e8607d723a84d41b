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

start_demo_server --rate-limit-public 0 --rate-limit-admin 0 --rate-limit-login 0 --rate-limit-uploads 0
base="$DEMO_BASE"

eval "$(python3 "$ROOT/tests/contract/fixtures.py" "$base")"
log "schemathesis $SCHEMATHESIS_VERSION against $base (seed ${COLMENA_CONTRACT_SEED:-1})"
# A fixed seed keeps CI reproducible; COLMENA_CONTRACT_SEED explores other inputs.
st --config-file "$ROOT/tests/contract/schemathesis.toml" run "$base/api/v1/openapi.json" \
  --url "$base" --workers 1 --phases examples,coverage,fuzzing \
  --seed "${COLMENA_CONTRACT_SEED:-1}" --no-color
