import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

/// The published case figures as regression tests: every target of every case scenario in
/// Scenarios/cases must be reproduced within its stated tolerance, with the same replications
/// and seed as `pillars cases` (40 replications, seed 2026), so the two always agree.
@Suite("Published case figures")
struct CasesTests {
    static let dir = bundledScenarios("cases")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }.sorted()

    @Test func everyCaseIsThere() {
        for name in ["shanghai-deliberation-hall", "chengdu-community-partners", "beijing-whistle-and-report",
                     "hangzhou-sharing-community", "shenzhen-satisfaction-survey", "chaoyang-compound"] {
            #expect(Self.files.contains("\(name).yaml"), "missing case \(name)")
        }
    }

    @Test(arguments: files)
    func publishedFiguresAreReproduced(file: String) throws {
        let s = try GovernanceModel.load(Self.dir.appendingPathComponent(file).path)
        let targets = try GovernanceModel.targets(of: s)
        if file == "chaoyang-compound.yaml" {
            #expect(targets.isEmpty, "the combined case has no published outcomes to target")
            let r = GovernanceModel.run(s, replication: 0, masterSeed: 2026, recordSeries: false)
            #expect(!r.outputs[Output.participationRate.index].isNaN)
            return
        }
        #expect(!targets.isEmpty)
        for t in targets {
            // Tolerances: at most 5 points for rates and 15 % for counts, money and durations,
            // unless the scenario states why (survey sampling noise).
            if t.metric.isShare && t.measure == .value && t.tolerance > 0.05 {
                #expect(t.toleranceReason.contains("survey"), "\(file): \(t.figure): tolerance \(t.tolerance) needs a written reason")
            }
            #expect(!t.toleranceReason.isEmpty && !t.source.isEmpty)
        }
        let results = try GovernanceModel.evaluate(s, targets: targets, reps: 40, masterSeed: 2026)
        for r in results {
            #expect(r.pass, "\(s.name): \(r.target.figure): published \(r.target.published), simulated \(r.mean) ± \(r.target.tolerance)")
        }
    }
}
