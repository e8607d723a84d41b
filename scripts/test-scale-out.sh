#!/usr/bin/env bash
# The scale-out test (tests/scale/scale_out.py): three colmena-server instances behind nginx on
# one PostgreSQL, with Redis and moto's S3-compatible server, all on loopback and all started
# here. Usage: scripts/test-scale-out.sh (COLMENA_SERVER_BIN picks the binary; default: debug).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_apt nginx redis-server postgresql
ensure_scale_tools
bin="${COLMENA_SERVER_BIN:-$ROOT/target/debug/colmena-server}"
[ -x "$bin" ] || cargo build -q -p colmena-server --bin colmena-server

work="$(mktemp -d /tmp/colmena-scale-infra.XXXXXX)"
on_exit "rm -rf $work"

start_test_postgres
psql "$COLMENA_TEST_POSTGRES_URL/postgres" -qc "CREATE DATABASE colmena_scale" >/dev/null

redis_port="$(free_port)"
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --dir "$work" >"$work/redis.log" 2>&1 &
on_exit "kill $! 2>/dev/null"

moto_port="$(free_port)"
"$COLMENA_MOTO_SERVER" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$moto_port/" && break
  sleep 0.2
done
# moto accepts unsigned requests: the bucket is made with a plain PUT.
curl -sf -X PUT "http://127.0.0.1:$moto_port/colmena" >/dev/null
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

log "scale-out test: 3 instances, nginx, PostgreSQL, Redis :$redis_port, moto S3 :$moto_port"
COLMENA_SERVER_BIN="$bin" \
SCALE_DATABASE_URL="$COLMENA_TEST_POSTGRES_URL/colmena_scale" \
SCALE_REDIS_URL="redis://127.0.0.1:$redis_port" \
SCALE_S3_ENDPOINT="http://127.0.0.1:$moto_port" \
  "$COLMENA_SCALE_PYTHON" tests/scale/scale_out.py
