#!/usr/bin/env bash
# Builds sdk-mobile and regenerates the Kotlin and Swift bindings from the built library.
#   --check: fail if the committed bindings differ from freshly generated ones.
# The Kotlin package also gets the library in its resources (linux-x86-64/), so the JVM finds it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

check=false
[ "${1:-}" = "--check" ] && check=true

cargo build -q  # the default members, as the tests build them
lib="$ROOT/target/debug/libcolmena_mobile.so"
gen="$(mktemp -d)"
trap 'rm -rf "$gen"' EXIT
"$ROOT/target/debug/uniffi-bindgen" generate --library "$lib" \
  --language kotlin --language swift --out-dir "$gen" --no-format >/dev/null

kotlin_dir="$ROOT/bindings/kotlin/src/main/kotlin/dev/colmena/sdk"
swift_dir="$ROOT/bindings/swift/Sources"
mkdir -p "$kotlin_dir" "$swift_dir/Colmena" "$swift_dir/ColmenaFFI/include"
declare -A targets=(
  ["$gen/dev/colmena/sdk/colmena_mobile.kt"]="$kotlin_dir/colmena_mobile.kt"
  ["$gen/Colmena.swift"]="$swift_dir/Colmena/Colmena.swift"
  ["$gen/ColmenaFFI.h"]="$swift_dir/ColmenaFFI/include/ColmenaFFI.h"
  ["$gen/ColmenaFFI.modulemap"]="$swift_dir/ColmenaFFI/include/module.modulemap"
)
stale=0
for src in "${!targets[@]}"; do
  dst="${targets[$src]}"
  if $check; then
    if ! cmp -s "$src" "$dst"; then
      echo "out of date: ${dst#$ROOT/} (run scripts/gen-bindings.sh and commit)" >&2
      stale=1
    fi
  else
    cp "$src" "$dst"
  fi
done
[ "$stale" = 0 ] || exit 1

resources="$ROOT/bindings/kotlin/src/main/resources/linux-x86-64"
mkdir -p "$resources"
cp "$lib" "$resources/"
log "bindings $($check && echo checked || echo generated); library copied to ${resources#$ROOT/}"
