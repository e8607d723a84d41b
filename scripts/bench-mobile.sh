#!/usr/bin/env bash
# Measures the mobile SDK: the size of the stripped release library, and the cost of calls
# across the Kotlin–Rust boundary that do no network work (JUnit BoundaryBenchmark on the JVM,
# against the release library). Prints figures; docs/figures.md records them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log "release build of sdk-mobile (profile release: thin LTO, stripped)"
cargo build -q --release -p colmena-mobile
lib="$ROOT/target/release/libcolmena_mobile.so"
bytes=$(stat -c %s "$lib")
gz=$(gzip -9c "$lib" | wc -c)
echo "library: $bytes bytes stripped ($(( bytes / 1024 )) KiB), $gz bytes gzipped"

"$ROOT/scripts/gen-bindings.sh" --check >/dev/null
log "boundary calls from Kotlin (release library via jna.library.path)"
(cd bindings/kotlin && mvn -q -B test -Dtest=BoundaryBenchmark -Dcolmena.bench=true \
  -Djna.library.path="$ROOT/target/release" -Dsurefire.failIfNoSpecifiedTests=false) \
  | grep -o 'BENCH .*' | sed 's/^BENCH /  /'
