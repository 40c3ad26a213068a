// swift-tools-version: 6.1
// Pillars — agent-based simulation of the five pillars of community governance.
// Dependencies point one way: _CGSL ← SimCore (the engine core) ← SimConfig (scenarios) ← Experiments;
// SimConfig ← Governance (the model); pillars (the CLI) uses them all; Schelling needs the core alone.
import PackageDescription

let package = Package(
    name: "Pillars",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pillars", targets: ["pillars"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "SimConfig", targets: ["SimConfig"]),
        .library(name: "Experiments", targets: ["Experiments"]),
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
        // The engine core: random streams, seeds, cadences, trailing windows, the schedule,
        // parallel replications. Knows no governance and no YAML.
        .target(name: "SimCore", dependencies: ["_CGSL"], exclude: ["README.md"]),
        // Scenario configuration: parameters declared once, the YAML node tree (Yams), scenario
        // files with extends, --set and timelines, validation.
        .target(name: "SimConfig", dependencies: ["SimCore", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        // Experiments: designs, sweeps and shards, tidy tables and result files, paired
        // comparisons, sensitivity indices, calibration.
        .target(name: "Experiments", dependencies: ["SimCore", "SimConfig"], exclude: ["README.md"]),
        // The five-pillars governance model.
        .target(
            name: "Governance",
            dependencies: ["SimCore", "SimConfig"],
            exclude: ["README.md"]
        ),
        // Mesa's Schelling model on the engine, for benchmarking against the ABM frameworks.
        .target(
            name: "Schelling",
            dependencies: ["SimCore"],
            exclude: ["README.md"]
        ),
        // The command line: the only target that imports the argument parser.
        .executableTarget(
            name: "pillars",
            dependencies: [
                "Governance", "SimCore", "SimConfig", "Experiments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        // What the test targets share: the repository root and fixture folders, the runner of
        // the built binary, SplitMix64 for test inputs. Not a product; only tests depend on it.
        .target(name: "TestSupport", dependencies: ["SimCore"], path: "Tests/TestSupport"),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore", "TestSupport"]),
        .testTarget(name: "SimConfigTests", dependencies: ["SimConfig", "SimCore", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "SimConfig", "SimCore", "TestSupport"]),
        .testTarget(
            name: "GovernanceTests",
            dependencies: ["Governance", "SimCore", "SimConfig", "Experiments", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"), .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(name: "SchellingTests", dependencies: ["Schelling", "SimCore", "TestSupport"]),
        // Help/ holds the committed help texts that HelpTests compares with (read by path).
        .testTarget(name: "PillarsCLITests", dependencies: ["pillars", "Governance", "SimCore", "SimConfig", "Experiments", "TestSupport"], exclude: ["Help"]),
    ],
    swiftLanguageModes: [.v6]
)
