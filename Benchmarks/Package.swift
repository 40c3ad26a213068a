// swift-tools-version: 6.1
// Benchmarks for Pillars, kept out of the main package so that the main build and its
// tests never compile them. Build and run in release:
//   swift run -c release --package-path Benchmarks pillars-bench schelling --config small --seed 42
// See docs/PERFORMANCE.md for the measured figures and the comparison with Mesa.
import PackageDescription

let package = Package(
    name: "PillarsBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "pillars-bench",
            dependencies: [
                .product(name: "Schelling", package: "main"),
                .product(name: "Governance", package: "main"),
                .product(name: "SimCore", package: "main"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
