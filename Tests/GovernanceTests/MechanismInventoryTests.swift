import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

/// The mechanism inventory (`Scenarios/mechanisms/inventory.csv`, docs/ODD.md "Mechanism
/// inventory"): every mechanism of the essay, switched off in the five-pillar scenario by its
/// overlay, moves at least one of the outputs the inventory names, on the side it names, with a
/// 95 % interval excluding 0 on common random numbers. `Scripts/make_results.sh mechanisms`
/// measures the same at 30 replications for docs/MECHANISMS.md.
@Suite("Mechanism inventory")
struct MechanismInventoryTests {
    struct Entry { let mechanism: String, overlay: String, moves: [(output: Output, sign: Double)] }

    static func entries() throws -> [Entry] {
        let table = try parseCSVFile(bundledScenarios("mechanisms/inventory.csv"))
        let col = { (name: String) in table.header.firstIndex(of: name)! }
        return try table.rows.map { row in
            let f = row.fields
            let moves = try f[col("moves")].split(separator: " ").map { claim -> (output: Output, sign: Double) in
                let parts = claim.split(separator: ":")
                guard parts.count == 2, let o = Output(rawValue: String(parts[0])), parts[1] == "+" || parts[1] == "-" else {
                    throw ConfigError(file: "inventory.csv", path: "line \(row.line).moves", "expected output:+ or output:-, got \(claim)")
                }
                return (o, parts[1] == "+" ? 1 : -1)
            }
            return Entry(mechanism: f[col("mechanism")], overlay: f[col("overlay")], moves: moves)
        }
    }

    @Test func everyOverlayExistsAndEveryClaimNamesAnOutput() throws {
        let list = try Self.entries()
        #expect(list.count >= 15)
        for e in list {
            #expect(!e.moves.isEmpty, "\(e.mechanism) names no output")
            #expect(FileManager.default.fileExists(atPath: bundledScenarios("mechanisms/" + e.overlay).path), "\(e.overlay)")
        }
        // Every overlay in the folder is listed (none is left unmeasured); `_` files are the
        // scenarios some mechanisms are measured in.
        let files = try FileManager.default.contentsOfDirectory(atPath: bundledScenarios("mechanisms").path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }
        #expect(Set(files) == Set(list.map(\.overlay)))
    }

    /// The committed measurement (`Results/mechanisms/inventory.csv`, 30 replications in a
    /// release build, regenerated with every change of the model) covers exactly the claims of
    /// the inventory, and each mechanism moves at least one output it names as the literature
    /// says. A mechanism that stops mattering, or a claim added without its measurement, fails here.
    @Test func everyMechanismMovesAnOutputItNames() throws {
        let measured = try parseCSVFile(repositoryRoot.appendingPathComponent("Results/mechanisms/inventory.csv"))
        let col = { (name: String) in measured.header.firstIndex(of: name)! }
        let claims = try Self.entries().flatMap { e in e.moves.map { "\(e.mechanism)|\($0.output.name)|\($0.sign > 0 ? "+" : "-")" } }
        let rows = measured.rows.map(\.fields)
        #expect(rows.map { "\($0[col("mechanism")])|\($0[col("output")])|\($0[col("expected_sign")])" } == claims)
        for e in try Self.entries() {
            let mine = rows.filter { $0[col("mechanism")] == e.mechanism }
            #expect(mine.contains { $0[col("as_expected")] == "yes" },
                    "\(e.mechanism) off moves none of \(mine.map { "\($0[col("output")]) \($0[col("diff")]) [\($0[col("lo95")]), \($0[col("hi95")])]" })")
        }
    }
}
