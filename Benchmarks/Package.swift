// swift-tools-version: 6.1
// Benchmarks for Pillars, kept out of the main package so that the main build and its
// tests never compile them. Build and run in release:
//   swift run -c release --package-path Benchmarks pillars-bench schelling --config small --seed 42
// See docs/PERFORMANCE.md for the measured figures and the comparison with Mesa.
import Foundation
import PackageDescription

// The main package is the folder above this one. SwiftPM names a `.package(path:)`
// dependency after the last component of its path (the checkout's folder name, lowercased),
// and `.product(package:)` must use that name, so it is worked out here rather than written
// down: the benchmarks then build from a clone in a folder of any name.
let mainPackageDirectory = URL(fileURLWithPath: Context.packageDirectory, isDirectory: true)
    .deletingLastPathComponent()
    .standardizedFileURL
let mainPackage = mainPackageDirectory.lastPathComponent

let package = Package(
    name: "PillarsBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: mainPackageDirectory.path),
    ],
    targets: [
        .executableTarget(
            name: "pillars-bench",
            dependencies: [
                .product(name: "Schelling", package: mainPackage),
                .product(name: "Governance", package: mainPackage),
                .product(name: "SimCore", package: mainPackage),
                .product(name: "SimConfig", package: mainPackage),
                .product(name: "Experiments", package: mainPackage),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
