#!/usr/bin/env bash
# Vendure (an open-source Node commerce server) as a peer for the server benchmark: the same two
# catalog reads as bench-server.sh — a listing of 20 products and one product by slug with its
# variants and prices — asked of Vendure's Shop API (GraphQL over POST) and measured with oha the
# same way, in the same run.
#
#   scripts/bench/vendure.sh [seconds per run, default 10]    the two rows on their own
#
# or, sourced (bench-server.sh):
#   vendure_start                            installs once, starts Vendure, stops it on exit
#   vendure_describe                         one line: version, database, catalog size
#   vendure_measure SECONDS CONNECTIONS      two Markdown rows like bench-server.sh's `measure`
#
# The project is made once by `@vendure/create --ci` (version pinned below) in
# $TOOLS_DIR/vendure-<version>: --ci asks nothing, picks SQLite (better-sqlite3) and populates
# Vendure's sample catalog (54 products, 88 variants). It then runs compiled (`vendure build
# server`, then node) in production mode, on a copy of that database, without the worker process
# (reads need none), with Vendure's default caches.

# Sourced from bench-server.sh, lib.sh is already loaded.
declare -F on_exit >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# The latest @vendure/create 3.x on the registry; it installs @vendure/core etc. of the same version.
VENDURE_VERSION=3.7.3
VENDURE_DIR="$TOOLS_DIR/vendure-$VENDURE_VERSION"
VENDURE_OHA="$TOOLS_DIR/oha/bin/oha"
# A sample product with several variants (4), for the product-by-slug read.
VENDURE_SLUG=laptop

# The listing: 20 products (one search hit per product, as a shop's category page asks), with
# what a list page shows: name, slug, description, image, price range.
VENDURE_SEARCH_BODY='{"query":"query Listing { search(input: {take: 20, groupByProduct: true}) { totalItems items { productId productName slug description productAsset { preview } priceWithTax { ... on PriceRange { min max } ... on SinglePrice { value } } currencyCode } } }"}'
# One product page: the product and each variant with its prices and stock level.
VENDURE_PRODUCT_BODY='{"query":"query Product($slug: String!) { product(slug: $slug) { id name slug description featuredAsset { preview } variants { id name sku price priceWithTax currencyCode stockLevel } } }","variables":{"slug":"'"$VENDURE_SLUG"'"}}'
# The catalog's size, for the description line.
VENDURE_COUNT_BODY='{"query":"{ products: search(input: {take: 0, groupByProduct: true}) { totalItems } variants: search(input: {take: 0}) { totalItems } }"}'

# vendure_install: the Vendure project, made once per version (a few minutes). A marker written
# last tells a finished install from an interrupted one, which is removed and made anew.
vendure_install() {
  [ -f "$VENDURE_DIR/.colmena-ready" ] && return 0
  log "installing Vendure $VENDURE_VERSION into $VENDURE_DIR (npx @vendure/create --ci; about 4 minutes, once)"
  local install_log
  install_log="$(mktemp /tmp/colmena-vendure-install.XXXXXX)"
  rm -rf "$VENDURE_DIR"
  mkdir -p "$TOOLS_DIR"
  # --use-npm: the package manager is otherwise guessed from whatever invoked us. While populating,
  # @vendure/create starts Vendure once on port 3000 (or the next free one) and waits 40 s for
  # the search index. No telemetry; NODE_ENV unset, or npm would skip the dev dependencies
  # (the TypeScript compiler among them).
  if ! (cd "$TOOLS_DIR" && env -u NODE_ENV VENDURE_DISABLE_TELEMETRY=true \
          npx --yes "@vendure/create@$VENDURE_VERSION" "vendure-$VENDURE_VERSION" --ci --use-npm \
          </dev/null) >"$install_log" 2>&1 \
     || ! (cd "$VENDURE_DIR" && npm run -s build:server) >>"$install_log" 2>&1; then
    # The log is full of spinner frames: keep the last lines that say something.
    tr '\r' '\n' <"$install_log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | grep -v '^[│◒◐◓◑ ]*$' | tail -n 30 >&2
    log "Vendure install failed (whole log: $install_log)"
    return 1
  fi
  rm -f "$install_log"
  touch "$VENDURE_DIR/.colmena-ready"
}

# vendure_ensure_oha: oha, installed as bench-server.sh does (when this script runs on its own).
vendure_ensure_oha() {
  if [ ! -x "$VENDURE_OHA" ]; then
    log "installing oha (crates.io) into $TOOLS_DIR/oha (once)"
    cargo install -q oha --locked --root "$TOOLS_DIR/oha"
  fi
}

# vendure_start: Vendure on a free loopback port, stopped when the calling script exits; sets
# VENDURE_URL (the Shop API) and the catalog's size (VENDURE_PRODUCTS, VENDURE_VARIANTS).
vendure_start() {
  vendure_install
  local port
  VENDURE_WORK="$(mktemp -d /tmp/colmena-vendure.XXXXXX)"
  port="$(free_port)"
  # A copy of the populated database: the installed one stays as @vendure/create left it.
  cp "$VENDURE_DIR/vendure.sqlite" "$VENDURE_WORK/vendure.sqlite"
  # The generated config reads PORT and APP_ENV from the environment before its .env file.
  # APP_ENV=production turns off the Shop API's debug mode (stack traces in errors) that the
  # generated .env turns on; NODE_ENV=production is how Node servers are run in production.
  # In production Vendure refuses to start with the default superadmin password, so it is given
  # a random one (it only matters if no superadmin exists; the populated one is kept).
  # Started from a one-line entry instead of dist/index.js to bind to loopback only (the
  # generated config listens on every interface) and to point at the copied database.
  (cd "$VENDURE_DIR" && exec env PORT="$port" APP_ENV=production NODE_ENV=production \
      VENDURE_DISABLE_TELEMETRY=true SUPERADMIN_PASSWORD="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" \
      VENDURE_BENCH_DB="$VENDURE_WORK/vendure.sqlite" node -e "
        const { bootstrap, runMigrations } = require('@vendure/core');
        const { config } = require('./dist/vendure-config');
        config.apiOptions.hostname = '127.0.0.1';
        config.dbConnectionOptions = { ...config.dbConnectionOptions, database: process.env.VENDURE_BENCH_DB };
        runMigrations(config).then(() => bootstrap(config)).catch(err => { console.error(err); process.exit(1); });
      ") >"$VENDURE_WORK/server.log" 2>&1 &
  VENDURE_PID=$!
  on_exit vendure_stop
  VENDURE_URL="http://127.0.0.1:$port/shop-api"
  # Vendure takes a few seconds to boot (longer while the cores are busy).
  local ready=""
  for _ in $(seq 240); do
    if ! kill -0 "$VENDURE_PID" 2>/dev/null; then break; fi
    if curl -sf -o /dev/null -X POST -H 'content-type: application/json' \
        -d '{"query":"{ __typename }"}' "$VENDURE_URL"; then ready=1; break; fi
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    tail -n 30 "$VENDURE_WORK/server.log" >&2
    log "Vendure did not answer on $VENDURE_URL"
    return 1
  fi
  local counts
  counts="$(vendure_verify)" || return 1
  read -r VENDURE_PRODUCTS VENDURE_VARIANTS VENDURE_SLUG_VARIANTS <<<"$counts"
  log "Vendure $VENDURE_VERSION on $VENDURE_URL: $VENDURE_PRODUCTS products"
}

# vendure_stop: SIGTERM (Vendure closes its connections and exits), SIGKILL if it lingers.
vendure_stop() {
  [ -n "${VENDURE_PID:-}" ] || return 0
  kill "$VENDURE_PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$VENDURE_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$VENDURE_PID" 2>/dev/null || true
  rm -rf "${VENDURE_WORK:-}"
  VENDURE_PID=""
}

# vendure_verify: asks each query once and fails unless it answers 200 with data and without
# GraphQL errors (GraphQL reports errors with a 200 too, which oha would count as successes);
# the listing must hold 20 products with prices, the product its variants. Prints the catalog's
# products, variants, and the measured product's variants.
vendure_verify() {
  python3 - "$VENDURE_URL" "$VENDURE_SEARCH_BODY" "$VENDURE_PRODUCT_BODY" "$VENDURE_COUNT_BODY" <<'PY'
import json, sys, urllib.error, urllib.request
url = sys.argv[1]

def ask(name, body):
    request = urllib.request.Request(url, data=body.encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        answer = json.loads(text)
    except ValueError:
        answer = {}
    if status != 200 or answer.get("errors") or not answer.get("data"):
        sys.exit(f"Vendure's {name} query: HTTP {status}, {text[:500]}")
    return answer["data"]

search = ask("search", sys.argv[2])["search"]
if len(search["items"]) != min(20, search["totalItems"]) or search["totalItems"] < 20 \
        or any(item["priceWithTax"] is None for item in search["items"]):
    sys.exit(f"Vendure's search listing is not 20 priced products: {json.dumps(search)[:500]}")
product = ask("product", sys.argv[3])["product"]
if not product or not product["variants"] \
        or any(variant["priceWithTax"] is None for variant in product["variants"]):
    sys.exit(f"Vendure's product query found no product with priced variants: {product}")
counts = ask("count", sys.argv[4])
print(counts["products"]["totalItems"], counts["variants"]["totalItems"], len(product["variants"]))
PY
}

# vendure_describe: which Vendure this is and what it holds (starts Vendure first if need be).
vendure_describe() {
  [ -n "${VENDURE_URL:-}" ] || vendure_start
  local sqlite_driver
  sqlite_driver="$(node -p "require('$VENDURE_DIR/node_modules/better-sqlite3/package.json').version")"
  echo "Vendure $VENDURE_VERSION (npm, @vendure/create --ci; SQLite via better-sqlite3 $sqlite_driver;" \
    "Node $(node --version); production mode, no worker): $VENDURE_PRODUCTS products," \
    "$VENDURE_VARIANTS variants"
}

# vendure_oha LABEL BODY DURATION CONNECTIONS: oha's throughput and latency percentiles for one
# GraphQL query, as a Markdown row in the format of bench-server.sh's `measure`.
vendure_oha() {
  local label="$1" body="$2" duration="$3" connections="$4"
  "$VENDURE_OHA" -z "${duration}s" -c "$connections" --no-tui --output-format json \
    -m POST -H 'content-type: application/json' -d "$body" "$VENDURE_URL" >"$VENDURE_WORK/oha.json"
  python3 "$(dirname "${BASH_SOURCE[0]}")/oha_row.py" "$label" "$VENDURE_WORK/oha.json"
}

# vendure_measure SECONDS CONNECTIONS: the two rows (starts Vendure first if need be). Each
# query gets 2 s of load first, not measured: V8 compiles the hot paths and Vendure fills its
# default caches in the first requests, which is not the steady state being compared.
vendure_measure() {
  local duration="$1" connections="$2"
  vendure_ensure_oha
  [ -n "${VENDURE_URL:-}" ] || vendure_start
  local query body label
  for query in search product; do
    if [ "$query" = search ]; then
      body="$VENDURE_SEARCH_BODY"
      label="Vendure $VENDURE_VERSION: Shop API search, take 20 ($VENDURE_PRODUCTS products)"
    else
      body="$VENDURE_PRODUCT_BODY"
      label="Vendure $VENDURE_VERSION: Shop API product by slug ($VENDURE_SLUG_VARIANTS variants)"
    fi
    "$VENDURE_OHA" -z 2s -c "$connections" --no-tui -m POST -H 'content-type: application/json' \
      -d "$body" "$VENDURE_URL" >/dev/null
    vendure_oha "$label" "$body" "$duration" "$connections"
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  duration="${1:-10}"
  connections=32
  vendure_ensure_oha
  vendure_start
  echo
  vendure_describe
  echo "Catalog reads, ${duration}s each, $connections connections, $(nproc) cores, $(date -u +%F):"
  echo
  echo "| Request | Requests/s | p50 ms | p99 ms | Status codes |"
  echo "|---|---:|---:|---:|---|"
  vendure_measure "$duration" "$connections"
fi
