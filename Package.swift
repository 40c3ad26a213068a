// swift-tools-version: 6.1
// Pillars — agent-based simulation of the five pillars of community governance.
// Dependencies point one way: _CGSL ← SimCore (the engine) ← Governance (the model) ← pillars (the CLI).
import PackageDescription

let package = Package(
    name: "Pillars",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pillars", targets: ["pillars"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "Governance", targets: ["Governance"]),
        .library(name: "Schelling", targets: ["Schelling"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The GNU Scientific Library (libgsl-dev). No stable API: use it only through SimCore/GSL.swift.
        .systemLibrary(
            name: "_CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        // The engine: random streams, scheduling, observers, configuration, experiments. No governance here.
        .target(
            name: "SimCore",
            dependencies: ["_CGSL", .product(name: "Yams", package: "Yams")]
        ),
        // The five-pillars governance model.
        .target(
            name: "Governance",
            dependencies: ["SimCore"]
        ),
        // Mesa's Schelling model on the engine, for benchmarking against the ABM frameworks.
        .target(
            name: "Schelling",
            dependencies: ["SimCore"]
        ),
        // The command line: the only target that imports the argument parser.
        .executableTarget(
            name: "pillars",
            dependencies: [
                "Governance", "SimCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the test targets share: the repository root and fixture folders, the runner of
        // the built binary, SplitMix64 for test inputs. Not a product; only tests depend on it.
        .target(name: "TestSupport", dependencies: ["SimCore"], path: "Tests/TestSupport"),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore", "TestSupport"]),
        .testTarget(
            name: "GovernanceTests",
            dependencies: ["Governance", "SimCore", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "SchellingTests", dependencies: ["Schelling", "SimCore", "TestSupport"]),
        // Help/ holds the committed help texts that HelpTests compares with (read by path).
        .testTarget(name: "PillarsCLITests", dependencies: ["pillars", "Governance", "SimCore", "TestSupport"], exclude: ["Help"]),
    ],
    swiftLanguageModes: [.v6]
)
