#!/usr/bin/env bash
# Catalog search benchmark (figures recorded in docs/benchmarks.md; nothing here is asserted):
# a release server on SQLite, then on a throwaway PostgreSQL, each with 10,000 products added to
# store `demo` through the admin API, answers a mix of 600 searches (exact names, prefixes,
# typos, filtered by attribute and price with facets) one at a time; p50 and p99 per kind.
# PostgreSQL's tables are vacuumed and analysed after the load, as autovacuum soon would.
# The catalog cache is off (--cache-ttl-seconds 0): every answer is a real search.
# Usage: scripts/bench-search.sh   (COLMENA_BENCH_BIN=PATH measures another server binary)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
count="${COLMENA_BENCH_PRODUCTS:-10000}"

if [ -z "${COLMENA_BENCH_BIN:-}" ]; then
  log "release build"
  cargo build -q --release -p colmena-server --bin colmena-server
fi
bin="${COLMENA_BENCH_BIN:-$ROOT/target/release/colmena-server}"
driver="$ROOT/scripts/bench/search_bench.py"

work="$(mktemp -d /tmp/colmena-search-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
on_exit cleanup

# bench NAME DATABASE_URL: seeds a fresh server on that database and measures it.
bench() {
  local name="$1" url="$2" port base
  port="$(free_port)"
  mkdir -p "$work/$name"
  "$bin" --demo --addr "127.0.0.1:$port" --database-url "$url" \
    --media-dir "$work/$name/media" --files-dir "$work/$name/files" --cache-ttl-seconds 0 \
    --rate-limit-public 0 --rate-limit-admin 0 --rate-limit-login 0 --rate-limit-uploads 0 \
    >"$work/$name/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$work/$name/server.log" && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
  log "$name: seeding $count products"
  python3 "$driver" seed "$base" "$count"
  if [[ "$url" == postgres* ]]; then
    # What autovacuum does within a minute of the load. Measured before it, PostgreSQL plans
    # without statistics (or with those of the first few hundred products) and the figures
    # measure autovacuum's timing: p99 from 20 ms to over a second for the same build.
    psql "$url" -q -c "VACUUM ANALYZE"
  fi
  log "$name: measuring"
  echo "### $name"
  python3 "$driver" measure "$base" "$count"
}

bench SQLite "sqlite://$work/colmena.db"
start_test_postgres
psql "$COLMENA_TEST_POSTGRES_URL/postgres" -q -c "CREATE DATABASE search_bench"
bench "PostgreSQL $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version | awk '{print $3}')" \
  "$COLMENA_TEST_POSTGRES_URL/search_bench"
