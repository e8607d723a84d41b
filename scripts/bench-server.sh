#!/usr/bin/env bash
# Server benchmark (figures recorded in docs/benchmarks.md; nothing here is asserted):
#   * catalog reads with oha on loopback, 32 connections: a page of 20 products (first and a
#     deeper page, newest first and by price), and one product by slug, from 10,000 products;
#     with the catalog cache on (its default 5 s) and off (--cache-ttl-seconds 0), on SQLite and
#     on PostgreSQL;
#   * nginx (Debian) serving the very same response bodies as static files: the ceiling;
#   * Vendure (npm, its Shop API's `search` and `product` queries) started in the same run: the
#     peer to beat (scripts/bench/vendure.sh);
#   * checkouts per second with p50 and p99 (2,000 carts, 16 concurrent clients): SQLite (its one
#     writer; synchronous NORMAL and FULL), PostgreSQL with durable settings (fsync on), one
#     server, then three behind nginx.
# Release build; rate limits off. Usage: scripts/bench-server.sh [seconds per run, default 10]
# COLMENA_BENCH_BIN=PATH measures another server binary (an earlier build, say) the same way.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bench/vendure.sh"
cd "$ROOT"
duration="${1:-10}"
connections=32

ensure_apt nginx
if [ ! -x "$TOOLS_DIR/oha/bin/oha" ]; then
  log "installing oha (crates.io) into $TOOLS_DIR/oha (once)"
  cargo install -q oha --locked --root "$TOOLS_DIR/oha"
fi
oha="$TOOLS_DIR/oha/bin/oha"

log "release build"
cargo build -q --release -p colmena-server --bin colmena-server --example checkout_bench
bin="${COLMENA_BENCH_BIN:-$ROOT/target/release/colmena-server}"
checkout_bench="$ROOT/target/release/examples/checkout_bench"

work="$(mktemp -d /tmp/colmena-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid_file in "$work"/*.pid; do [ -f "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null; done
  rm -rf "$work"
}
on_exit cleanup

# start_server NAME DATABASE_URL [ARGS…]: a release server with the demo stores; sets $base.
start_server() {
  local name="$1" url="$2" port
  shift 2
  port="$(free_port)"
  mkdir -p "$work/$name"
  "$bin" --demo --addr "127.0.0.1:$port" --database-url "$url" \
    --media-dir "$work/media" --files-dir "$work/files" --mail-dir "$work/$name/mail" \
    --rate-limit-public 0 --rate-limit-admin 0 --rate-limit-login 0 --rate-limit-uploads 0 \
    --jwt-secret "benchmark-secret-benchmark-secret-0123456789" "$@" \
    >"$work/$name/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do grep -q "listening on" "$work/$name/server.log" && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
}

# start_nginx NAME CONF_BODY: nginx with `http { CONF_BODY }`; its workers drop root for
# `nobody`, who must be able to read what it serves.
start_nginx() {
  local name="$1" body="$2"
  mkdir -p "$work/$name/tmp" "$work/$name/logs"
  cat >"$work/$name.conf" <<CONF
worker_processes auto;
pid $work/$name.pid;
error_log $work/$name/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/$name/tmp;
  proxy_temp_path $work/$name/tmp;
  fastcgi_temp_path $work/$name/tmp;
  uwsgi_temp_path $work/$name/tmp;
  scgi_temp_path $work/$name/tmp;
  $body
}
CONF
  chmod 755 "$work" "$work/$name"
  nginx -c "$work/$name.conf" -p "$work/$name"
}

# measure LABEL URL: oha's throughput and latency percentiles, as a Markdown row.
measure() {
  "$oha" -z "${duration}s" -c "$connections" --no-tui --output-format json "$2" >"$work/oha.json"
  python3 "$ROOT/scripts/bench/oha_row.py" "$1" "$work/oha.json"
}

# reads ENGINE CACHED_BASE UNCACHED_BASE: the catalog rows of one database.
reads() {
  local engine="$1" cached="$2" uncached="$3" path
  for path in "products?limit=20" "products?limit=20&offset=400" "products?limit=20&sort=price" \
      "products/bench-product-05000"; do
    measure "$engine, cache on: $path" "$cached/api/v1/stores/demo/$path"
    measure "$engine, cache off: $path" "$uncached/api/v1/stores/demo/$path"
  done
}

log "SQLite: 10,000 extra products; one server with the catalog cache, one without"
start_server sqlite "sqlite://$work/sqlite.db"
sqlite_base="$base"
python3 scripts/bench/seed_products.py "$sqlite_base" 10000
start_server sqlite-uncached "sqlite://$work/sqlite.db" --cache-ttl-seconds 0
sqlite_uncached="$base"
uncached_pids=("${pids[-1]}")
list_url="$sqlite_base/api/v1/stores/demo/products?limit=20"
product_url="$sqlite_base/api/v1/stores/demo/products/bench-product-05000"

log "nginx serving the same bodies as static files"
mkdir -p "$work/www"
curl -sf "$list_url" >"$work/www/list.json"
curl -sf "$product_url" >"$work/www/product.json"
chmod 755 "$work/www"
chmod 644 "$work/www/"*.json
static_port="$(free_port)"
start_nginx static "server { listen 127.0.0.1:$static_port; root $work/www; }"

log "Vendure, the peer"
vendure_start

log "PostgreSQL (durable: fsync on): the same 10,000 products"
start_test_postgres durable
psql "$COLMENA_TEST_POSTGRES_URL/postgres" -qc "CREATE DATABASE colmena_bench" >/dev/null
pg_url="$COLMENA_TEST_POSTGRES_URL/colmena_bench"
start_server postgres "$pg_url"
pg_base="$base"
python3 scripts/bench/seed_products.py "$pg_base" 10000
psql "$pg_url" -qc "VACUUM ANALYZE" >/dev/null
start_server postgres-uncached "$pg_url" --cache-ttl-seconds 0
pg_uncached="$base"
uncached_pids+=("${pids[-1]}")

echo
echo "Catalog reads, ${duration}s each, $connections connections, $(nproc) cores, $(date -u +%F):"
echo
echo "| Request | Requests/s | p50 ms | p99 ms | Status codes |"
echo "|---|---:|---:|---:|---|"
reads "SQLite" "$sqlite_base" "$sqlite_uncached"
reads "PostgreSQL" "$pg_base" "$pg_uncached"
measure "nginx: the list page's body, static" "http://127.0.0.1:$static_port/list.json"
measure "nginx: the product's body, static" "http://127.0.0.1:$static_port/product.json"
vendure_measure "$duration" "$connections"
echo "| Body sizes | list $(wc -c <"$work/www/list.json") B, product $(wc -c <"$work/www/product.json") B | | | |"
echo
vendure_describe
vendure_stop
# The checkouts get the machine to themselves.
kill "${uncached_pids[@]}"

echo
echo "Checkouts (2,000 carts of one unit, 16 concurrent clients):"
echo
printf -- "- SQLite, one writer, synchronous NORMAL (the default): "
"$checkout_bench" "$sqlite_base" 2000 16
start_server sqlite-full "sqlite://$work/sqlite-full.db" --sqlite-synchronous full
printf -- "- SQLite, one writer, synchronous FULL: "
"$checkout_bench" "$base" 2000 16
printf -- "- PostgreSQL (fsync on), one server: "
"$checkout_bench" "$pg_base" 2000 16
start_server postgres-2 "$pg_url"
second="${base#http://}"
start_server postgres-3 "$pg_url"
third="${base#http://}"
balancer_port="$(free_port)"
start_nginx balancer "upstream colmena { server ${pg_base#http://}; server $second; server $third; keepalive 64; }
  server { listen 127.0.0.1:$balancer_port; location / { proxy_pass http://colmena;
    proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$host; } }"
printf -- "- PostgreSQL (fsync on), three servers behind nginx: "
"$checkout_bench" "http://127.0.0.1:$balancer_port" 2000 16
