#!/usr/bin/env bash
# Builds the widget (with the headless JS client inside) to widget/dist/:
#   colmena.js (the loader), colmena_widget.js (wasm-bindgen glue), colmena_widget_bg.wasm;
# and the headless client alone (with webhook verification) to sdk-wasm/pkg/.
# Uses rustup's wasm32 target when installed; otherwise Debian's rustc-web with -Zbuild-std
# (see shared/toolchain.md). Its own target directory keeps it apart from the native build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

export CARGO_TARGET_DIR="$ROOT/target/wasm"
# cargo_wasm ARGS…: a wasm-release build for wasm32, with whichever toolchain this machine has.
cargo_wasm() {
  local build=(build --profile wasm-release --target wasm32-unknown-unknown "$@")
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "building $* with rustup's wasm32 target"
    cargo "${build[@]}"
  else
    ensure_apt rustc-web cargo-web rust-web-src lld-22
    log "building $* with Debian's rustc-web (-Zbuild-std)"
    # Size flags that only a std built from source allows: panics abort without formatting a
    # message, no file/line strings, and `{:?}` prints nothing (no user-facing text uses it).
    # Together about 10 KB gzipped of the widget (docs/figures.md).
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
      RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo "${build[@]}" -Zbuild-std=std,panic_abort
  fi
}
cargo_wasm -p colmena-widget

ensure_wasm_bindgen
out="$ROOT/widget/dist"
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$out" --out-name colmena_widget \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/colmena_widget.wasm"
cp "$ROOT/widget/js/colmena.js" "$out/"
log "widget built: $(du -b "$out/colmena_widget_bg.wasm" | cut -f1) bytes of wasm in ${out#$ROOT/}"

# The headless client alone, with webhook verification, for Node and bundlers (ES module and
# TypeScript declarations) in sdk-wasm/pkg/.
cargo_wasm -p colmena-wasm --features webhooks
pkg="$ROOT/sdk-wasm/pkg"
rm -rf "$pkg" && mkdir -p "$pkg"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$pkg" --out-name colmena \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/colmena_wasm.wasm"
log "headless client built in ${pkg#$ROOT/}"
