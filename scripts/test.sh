#!/usr/bin/env bash
# Runs every test, installing what they need first (idempotently):
#   formatting and clippy; Rust unit and integration tests (the server over real HTTP on SQLite,
#   then again on a throwaway PostgreSQL; sdk-core against a live server); schemathesis against
#   the server's OpenAPI document; three servers behind nginx on PostgreSQL with Redis and an S3
#   server (scripts/test-scale-out.sh); the headless JS client in Node (every API operation, its npm
#   package, its TypeScript declarations checked with tsc); the Twilio webhook's signature check
#   against the official twilio npm package; the widget and the headless JS client
#   in headless Chromium against a live server on another origin; the generated Kotlin on the
#   JVM against a live server; generated bindings up to date with the Rust exports.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)
step() { log "[$(( $(date +%s) - started ))s] $*"; }

step "prerequisites"
ensure_chromium
ensure_apt redis-server # the operations tests' Redis
export COLMENA_SERVER_BIN="$ROOT/target/debug/colmena-server"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy -q --workspace --all-targets -- -D warnings

step "build the server and the mobile library"
cargo build -q

step "Rust tests (server over HTTP on SQLite, sdk-core against a live server)"
ensure_aiosmtpd # the mail tests' SMTP server
cargo test -q

step "contract: schemathesis against the server's OpenAPI document"
"$ROOT/scripts/contract-test.sh"

step "server integration tests again, on PostgreSQL"
start_test_postgres
cargo test -q --test http_api --test auth --test commerce --test admin --test webhooks --test stripe --test hardening --test platform --test storefront --test translations --test pricing --test mail --test fulfilment --test search --test price_lists --test chat --test chat_channels --test operations --test migrations

step "scale-out: three servers behind nginx on PostgreSQL, with Redis and an S3 server (moto)"
"$ROOT/scripts/test-scale-out.sh" | tee "$ROOT/target/scale-out.txt"

step "sdk-wasm/openapi.json, the JS client's types' source, matches the server's document"
"$ROOT/scripts/gen-openapi.sh" --check

step "build the widget and the headless JS client (WebAssembly)"
"$ROOT/scripts/build-wasm.sh"

step "the headless JS client in Node against a live server; its package and TypeScript types"
ensure_npm_deps "$ROOT/tests/browser" # the tests start the server with the browser tests' harness
# --test-force-exit and --test-timeout: a failed test that leaves a socket open fails the run
# instead of hanging it.
node --test --test-force-exit --test-timeout=300000 tests/js/

step "the Twilio webhook's signature check against the official twilio package (Node)"
ensure_npm_deps "$ROOT/tests/node" # twilio; the live server comes from the browser tests' harness
node --test --test-force-exit --test-timeout=300000 tests/node/

step "generated Kotlin and Swift bindings are up to date"
"$ROOT/scripts/gen-bindings.sh" --check

step "Kotlin on the JVM against a live server"
(cd bindings/kotlin && mvn -q -B test)

step "the Kotlin command-line example against a live server"
(cd bindings/kotlin && mvn -q -B install -DskipTests)
start_demo_server
cli_output="$(mktemp)"
on_exit "rm -f $cli_output"
(cd examples/kotlin-cli && mvn -q -B compile exec:java -Dexec.args="$DEMO_BASE demo") | tee "$cli_output"
grep -q ": PAID" "$cli_output"

step "widget and headless JS client in headless Chromium"
ensure_npm_deps "$ROOT/tests/browser"
ensure_npm_deps "$ROOT/examples/react-shop" # react.test.mjs builds the React example with its esbuild
(cd tests/browser && npm test --silent)

step "all tests passed in $(( $(date +%s) - started ))s"
