#!/usr/bin/env bash
# Builds ColmenaFFI.xcframework for iOS devices, the iOS simulator and macOS. Run on macOS with
# Xcode and rustup (no Swift toolchain exists on the project's Linux CI machines).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for target in "${targets[@]}"; do
  cargo build --manifest-path "$root/Cargo.toml" -p colmena-mobile --release --target "$target"
done
lib() { echo "$root/target/$1/release/libcolmena_mobile.a"; }
work="$(mktemp -d)"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$work/libcolmena_sim.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$work/libcolmena_macos.a"
headers="$here/Sources/ColmenaFFI/include"
rm -rf "$here/ColmenaFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$headers" \
  -library "$work/libcolmena_sim.a" -headers "$headers" \
  -library "$work/libcolmena_macos.a" -headers "$headers" \
  -output "$here/ColmenaFFI.xcframework"
echo "built $here/ColmenaFFI.xcframework"
