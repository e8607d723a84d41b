// swift-tools-version:5.9
// Colmena's Swift SDK: the generated uniffi bindings (Sources/Colmena) over the Rust core,
// shipped as an XCFramework built on macOS by build-xcframework.sh.
import PackageDescription

let package = Package(
    name: "Colmena",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Colmena", targets: ["Colmena"]),
    ],
    targets: [
        // Built by ./build-xcframework.sh (macOS with Xcode): static libraries for iOS devices,
        // the iOS simulator and macOS, with the C header and modulemap from Sources/ColmenaFFI.
        .binaryTarget(name: "ColmenaFFI", path: "ColmenaFFI.xcframework"),
        .target(name: "Colmena", dependencies: ["ColmenaFFI"], path: "Sources/Colmena"),
        .testTarget(name: "ColmenaTests", dependencies: ["Colmena"], path: "Tests/ColmenaTests"),
    ]
)
