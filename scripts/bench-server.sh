#!/usr/bin/env bash
# Server benchmark (figures recorded in docs/benchmarks.md; nothing here is asserted):
#   * 10,000 products in one store on SQLite; GET …/products?limit=20 and GET …/products/{slug}
#     with oha on loopback: throughput and p50/p99 latency;
#   * in the same run, nginx (Debian) serving the very same response bodies as static files,
#     the ceiling;
#   * checkouts per second on SQLite and on PostgreSQL.
# Release build; rate limits off. Usage: scripts/bench-server.sh [seconds per run, default 10]
# COLMENA_BENCH_BIN=PATH measures another server binary (an earlier build, say) the same way.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
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
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
on_exit cleanup

# start_server NAME DATABASE_URL: a release server with the demo stores; sets $base.
start_server() {
  local name="$1" url="$2" port
  port="$(free_port)"
  mkdir -p "$work/$name"
  "$bin" --demo --addr "127.0.0.1:$port" --database-url "$url" \
    --media-dir "$work/$name/media" --files-dir "$work/$name/files" \
    --rate-limit-public 0 --rate-limit-admin 0 --rate-limit-login 0 --rate-limit-uploads 0 \
    >"$work/$name/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$work/$name/server.log" && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
}

# measure LABEL URL: oha's throughput and latency percentiles, as a Markdown table row.
measure() {
  "$oha" -z "${duration}s" -c "$connections" --no-tui --output-format json "$2" >"$work/oha.json"
  python3 - "$1" "$work/oha.json" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
result = json.load(open(path))
summary, latency = result["summary"], result["latencyPercentiles"]
codes = result.get("statusCodeDistribution", {})
print(f"| {label} | {summary['requestsPerSec']:,.0f} | {latency['p50'] * 1000:.2f} | "
      f"{latency['p99'] * 1000:.2f} | {dict(codes)} |")
PY
}

log "SQLite server with 10,000 extra products"
start_server sqlite "sqlite://$work/sqlite/colmena.db"
sqlite_base="$base"
python3 scripts/bench/seed_products.py "$sqlite_base" 10000
list_url="$sqlite_base/api/v1/stores/demo/products?limit=20"
product_url="$sqlite_base/api/v1/stores/demo/products/bench-product-05000"

log "nginx serving the same bodies as static files"
mkdir -p "$work/www/logs"
curl -sf "$list_url" >"$work/www/list.json"
curl -sf "$product_url" >"$work/www/product.json"
nginx_port="$(free_port)"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/www/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/www/tmp;
  proxy_temp_path $work/www/tmp;
  fastcgi_temp_path $work/www/tmp;
  uwsgi_temp_path $work/www/tmp;
  scgi_temp_path $work/www/tmp;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
mkdir -p "$work/www/tmp"
# nginx's workers drop root for `nobody`, who must be able to read the files.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/"*.json
nginx -c "$work/nginx.conf" -p "$work"

echo
echo "Catalog reads, ${duration}s each, $connections connections, $(nproc) cores, $(date -u +%F):"
echo
echo "| Request | Requests/s | p50 ms | p99 ms | Status codes |"
echo "|---|---:|---:|---:|---|"
measure "colmena-server: products?limit=20 (10,028 products)" "$list_url"
measure "nginx: the same body, static" "http://127.0.0.1:$nginx_port/list.json"
measure "colmena-server: product by slug" "$product_url"
measure "nginx: the same body, static" "http://127.0.0.1:$nginx_port/product.json"
echo "| Body sizes | list $(wc -c <"$work/www/list.json") B, product $(wc -c <"$work/www/product.json") B | | | |"

echo
echo "Checkouts (2,000 carts of one unit, 16 concurrent clients):"
echo
printf -- "- SQLite: "
"$checkout_bench" "$sqlite_base" 2000 16
start_test_postgres
psql "$COLMENA_TEST_POSTGRES_URL/postgres" -qc "CREATE DATABASE colmena_bench" >/dev/null
start_server postgres "$COLMENA_TEST_POSTGRES_URL/colmena_bench"
printf -- "- PostgreSQL: "
"$checkout_bench" "$base" 2000 16
