#!/usr/bin/env bash
# Builds the widget (with the headless JS client inside) to widget/dist/:
#   colmena.js (the loader), colmena_widget.js (wasm-bindgen glue), colmena_widget_bg.wasm,
#   <colmena-banners>' own bundle (colmena_banners.js, colmena_banners_bg.wasm), which the loader
#   fetches only for pages that show one, and the checkout's (colmena_checkout.js,
#   colmena_checkout_bg.wasm), fetched when a shopper first starts a checkout, and search with its
#   filters' (colmena_search.js, colmena_search_bg.wasm), fetched when a shopper first searches
#   or opens the filters, and <colmena-chat>'s conversation (colmena_chat.js,
#   colmena_chat_bg.wasm), fetched when a shopper first opens the chat; each with a
#   gzipped copy (.gz) that colmena-server sends to browsers accepting gzip;
# and the headless client alone (with webhook verification) to sdk-wasm/pkg/, the npm package
# @colmena/sdk (package.json, TypeScript declarations, a Node entry, README); and the merchant
# console (Leptos) to console/dist/, which colmena-server serves at /admin.
# Uses rustup's wasm32 target when installed; otherwise Debian's rustc-web with -Zbuild-std
# (see shared/toolchain.md). Its own target directory keeps it apart from the native build.
#
# Usage: scripts/build-wasm.sh [widget|headless|console]   (no argument: all three)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

what="${1:-all}"
case "$what" in
  all | widget | headless | console) ;;
  *) echo "usage: $0 [widget|headless|console]" >&2; exit 2 ;;
esac

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
if [ "$what" = all ] || [ "$what" = widget ]; then
  cargo_wasm -p colmena-widget -p colmena-widget-banners -p colmena-widget-checkout -p colmena-widget-search -p colmena-widget-chat

  ensure_wasm_bindgen
  out="$ROOT/widget/dist"
  rm -rf "$out" && mkdir -p "$out"
  for bundle in colmena_widget colmena_banners colmena_checkout colmena_search colmena_chat; do
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$out" --out-name "$bundle" \
      "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/$bundle.wasm"
  done
  # The loader imports the glue's error-class module in parallel with the glue: its path holds
  # a hash wasm-bindgen chooses.
  errors_module="$(cd "$out" && find snippets -name errors.js | head -n 1)"
  [ -n "$errors_module" ] || { echo "build-wasm.sh: no errors.js snippet in $out" >&2; exit 1; }
  sed "s|\./ERRORS_MODULE|./$errors_module|" "$ROOT/widget/js/colmena.js" >"$out/colmena.js"
  # Short wasm import/export names and minified JS; binaryen's -O1 and a deflate-friendly
  # function order: as a production bundle ships (docs/figures.md has each step's saving).
  ensure_npm_deps "$ROOT/widget"
  node "$ROOT/widget/tools/minify.mjs" "$out" colmena_widget.js colmena_widget_bg.wasm colmena_banners.js colmena_banners_bg.wasm \
    colmena_checkout.js colmena_checkout_bg.wasm colmena_search.js colmena_search_bg.wasm colmena_chat.js colmena_chat_bg.wasm
  for bundle in colmena_widget colmena_banners colmena_checkout colmena_search colmena_chat; do
    node "$ROOT/widget/tools/optimize-wasm.mjs" "$out/${bundle}_bg.wasm"
  done
  # Gzipped copies beside each file, which the server sends to browsers that accept gzip.
  # zopfli writes standard gzip about 5 % smaller than gzip -9, once, at build time.
  ensure_apt zopfli
  find "$out" -type f \( -name '*.js' -o -name '*.wasm' \) -exec zopfli --i15 {} +
  log "widget built: $(du -b "$out/colmena_widget_bg.wasm" | cut -f1) bytes of wasm, <colmena-banners> $(du -b "$out/colmena_banners_bg.wasm" | cut -f1), checkout $(du -b "$out/colmena_checkout_bg.wasm" | cut -f1), search $(du -b "$out/colmena_search_bg.wasm" | cut -f1), chat $(du -b "$out/colmena_chat_bg.wasm" | cut -f1), in ${out#$ROOT/}"
fi

# The headless client alone, with webhook verification, for Node and bundlers (ES module and
# TypeScript declarations) in sdk-wasm/pkg/; and beside it, as a module of its own
# (`@colmena/sdk/chat`), the chat interpreter, about as large as the client.
if [ "$what" = all ] || [ "$what" = headless ]; then
  cargo_wasm -p colmena-wasm --features webhooks
  cargo_wasm -p colmena-wasm-chat
  ensure_wasm_bindgen
  pkg="$ROOT/sdk-wasm/pkg"
  rm -rf "$pkg" && mkdir -p "$pkg"
  # The widget's binaryen step (its pinned binaryen lives in widget/node_modules).
  ensure_npm_deps "$ROOT/widget"
  for module in colmena:colmena_wasm chat:colmena_wasm_chat; do
    name="${module%%:*}"
    wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$pkg" --out-name "$name" \
      "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/${module#*:}.wasm"
    node "$ROOT/widget/tools/optimize-wasm.mjs" "$pkg/${name}_bg.wasm"
    # The npm package around it. <name>_bg.wasm.d.ts types the raw wasm exports for bundler
    # targets, which a --target web package never loads; InitOutput, what init() resolves to,
    # types them with `any`: the public declarations have none.
    rm "$pkg/${name}_bg.wasm.d.ts"
    sed -i '/^export interface InitOutput {/,/^}/s/\bany\b/unknown/g' "$pkg/$name.d.ts"
  done
  # The API contract's types, generated from the server's OpenAPI document (scripts/gen-openapi.sh
  # keeps sdk-wasm/openapi.json current) by openapi-typescript, pinned in sdk-wasm/package.json.
  ensure_npm_deps "$ROOT/sdk-wasm"
  (cd "$ROOT/sdk-wasm" && npx --no-install openapi-typescript openapi.json -o "$pkg/api-types.d.ts" \
    --root-types --root-types-no-schema-prefix --root-types-keep-casing --empty-objects-unknown >/dev/null)
  cp "$ROOT/sdk-wasm/js/node.js" "$ROOT/sdk-wasm/js/chat-node.js" "$pkg/"
  cp "$ROOT/sdk-wasm/README.md" "$pkg/"
  version="$(sed -nE '/^\[workspace.package\]/,/^\[/ s/^version = "(.*)"/\1/p' "$ROOT/Cargo.toml")"
  cat >"$pkg/package.json" <<JSON
{
  "name": "@colmena/sdk",
  "version": "$version",
  "description": "Colmena's headless JavaScript client (catalog, cart, checkout, admin API), typed, for browsers and Node",
  "license": "Apache-2.0",
  "repository": "github:colmena-commerce/colmena",
  "type": "module",
  "main": "./colmena.js",
  "types": "./colmena.d.ts",
  "exports": {
    ".": {
      "types": "./colmena.d.ts",
      "node": "./node.js",
      "default": "./colmena.js"
    },
    "./chat": {
      "types": "./chat.d.ts",
      "node": "./chat-node.js",
      "default": "./chat.js"
    },
    "./colmena_bg.wasm": "./colmena_bg.wasm",
    "./chat_bg.wasm": "./chat_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["colmena.js", "colmena.d.ts", "colmena_bg.wasm", "chat.js", "chat.d.ts", "chat_bg.wasm", "api-types.d.ts", "node.js", "chat-node.js", "snippets/", "README.md"],
  "sideEffects": ["./node.js", "./chat-node.js"],
  "engines": { "node": ">=18" }
}
JSON
  log "headless client built in ${pkg#$ROOT/}: $(du -b "$pkg/colmena_bg.wasm" | cut -f1) bytes of wasm, $(gzip -9 -c "$pkg/colmena_bg.wasm" | wc -c) gzipped; the chat interpreter $(du -b "$pkg/chat_bg.wasm" | cut -f1), $(gzip -9 -c "$pkg/chat_bg.wasm" | wc -c) gzipped"
fi

# The merchant console: its own bundle, loaded only at /admin (the widget's budget is untouched).
if [ "$what" = all ] || [ "$what" = console ]; then
  cargo_wasm -p colmena-console
  ensure_wasm_bindgen
  out="$ROOT/console/dist"
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$out" --out-name colmena_console \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/colmena_console.wasm"
  ensure_npm_deps "$ROOT/widget"
  node "$ROOT/widget/tools/optimize-wasm.mjs" "$out/colmena_console_bg.wasm"
  cp "$ROOT/console/index.html" "$ROOT/console/console.css" "$out/"
  ensure_apt zopfli
  find "$out" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.html' \) -exec zopfli --i15 {} +
  log "console built: $(du -b "$out/colmena_console_bg.wasm" | cut -f1) bytes of wasm ($(du -b "$out/colmena_console_bg.wasm.gz" | cut -f1) gzipped) in ${out#$ROOT/}"
fi
