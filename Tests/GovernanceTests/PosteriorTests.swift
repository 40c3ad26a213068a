import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import TestSupport

/// `--posterior`: parameter draws overlaid per replication (docs/CALIBRATION.md).
@Suite("Posterior draws")
struct PosteriorTests {
    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("posterior-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let short = "simulation:\n  days: 120\n  warmup_days: 30\npopulation:\n  households: 150\n"

    /// A file of one draw repeated gives exactly the run with that draw's values set.
    @Test func oneRepeatedDrawEqualsAPlainRunWithItsValues() throws {
        let file = try Self.write("satisfaction.service_weight,deliberation.opinion_sd\n0.3,0.2\n0.3,0.2\n0.3,0.2\n")
        let draws = try ParameterDraws.load(file)
        let base = try scenario(Self.short)
        var set = base
        try set.parameters.set("satisfaction.service_weight", number: 0.3)
        try set.parameters.set("deliberation.opinion_sd", number: 0.2)
        #expect(set.parameters != base.parameters, "the draw must change something for the test to mean anything")
        for r in 0..<4 {
            let a = GovernanceModel.run(draws.scenario(base, replication: r), replication: r, masterSeed: 9, recordSeries: false, jobs: 1)
            let b = GovernanceModel.run(set, replication: r, masterSeed: 9, recordSeries: false, jobs: 1)
            #expect(a.outputs.elementsEqual(b.outputs) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
        // Nil draws leave the scenario as it is.
        let none: ParameterDraws? = nil
        #expect(none.scenario(base, replication: 3).parameters == base.parameters)
    }

    /// Replication r uses draw r mod N.
    @Test func replicationUsesDrawRModN() throws {
        let draws = try ParameterDraws.load(try Self.write("satisfaction.service_weight\n0.1\n0.2\n0.4\n"))
        let base = try scenario(Self.short)
        let got = (0..<7).map { draws.scenario(base, replication: $0).parameters.double("satisfaction.service_weight") }
        #expect(got == [0.1, 0.2, 0.4, 0.1, 0.2, 0.4, 0.1])
    }

    /// Parameter uncertainty widens the interval over replications: the use of shared services
    /// under sharing with draws spread over the request propensity varies more than with one
    /// value (requests are service use, not civic participation: docs/ODD.md §7, Outputs).
    @Test func drawsWidenAnInterval() throws {
        let s = try scenario(Self.short + "timeline:\n  - day: 30\n    set:\n      sharing.enabled: true\n")
        let k = Output.serviceUse.index
        let draws = try ParameterDraws.load(try Self.write("sharing.exchange.request_logit\n-5\n-2.5\n0\n2\n"))
        let plain = (0..<16).map { GovernanceModel.run(s, replication: $0, masterSeed: 3, recordSeries: false, jobs: 1).outputs[k] }
        let drawn = (0..<16).map { GovernanceModel.run(draws.scenario(s, replication: $0), replication: $0, masterSeed: 3, recordSeries: false, jobs: 1).outputs[k] }
        let wp = quantiles(plain, [0.05, 0.95]), wd = quantiles(drawn, [0.05, 0.95])
        #expect(wd[1] - wd[0] > 2 * (wp[1] - wp[0]), "plain \(wp), with draws \(wd)")
    }

    /// Bad files are refused with the file, line and column named.
    @Test func badFilesNameFileRowAndColumn() throws {
        let cases: [(String, [String])] = [
            ("satisfaction.service_weigt\n0.1\n", [":1:", "satisfaction.service_weigt", "did you mean"]),
            ("satisfaction.service_weight,deliberation.opinion_sd\n0.1,0.2\n0.1,7\n", [":3:", "deliberation.opinion_sd", "row 2"]),
            ("satisfaction.service_weight\nabc\n", [":2:", "satisfaction.service_weight", "not a finite number"]),
            ("satisfaction.service_weight,deliberation.opinion_sd\n0.1\n", [":2:", "1 fields, expected 2"]),
            ("sharing.enabled\n1\n", ["sharing.enabled", "numeric"]),
            ("satisfaction.service_weight\n", ["no draws"]),
        ]
        for (text, words) in cases {
            let file = try Self.write(text)
            do {
                _ = try ParameterDraws.load(file)
                Issue.record("accepted \(text)")
            } catch {
                let m = "\(error)"
                #expect(m.contains(file), "\(m)")
                for w in words { #expect(m.contains(w), "'\(w)' missing from: \(m)") }
            }
        }
    }

    /// The committed sample: at least 100 draws, every one valid for every case scenario.
    @Test func theCommittedPosteriorIsValid() throws {
        let file = bundledScenarios("posterior.csv").path
        let d = try ParameterDraws.load(file)
        #expect(d.rows.count >= 100)
        for name in try FileManager.default.contentsOfDirectory(atPath: bundledScenarios("cases").path)
            where name.hasSuffix(".yaml") && !name.hasPrefix("_") {
            try d.validate(against: try GovernanceModel.load(bundledScenarios("cases/\(name)").path))
        }
    }

    /// A written posterior reads back to the same values.
    @Test func csvRoundTrips() throws {
        let d = ParameterDraws(file: "x", paths: ["satisfaction.service_weight", "deliberation.opinion_sd"], rows: [[0.123456789, 0.3], [0.05, 0.25]])
        let back = try ParameterDraws.load(try Self.write(d.csv))
        #expect(back.rows == d.rows && back.paths == d.paths)
    }
}
