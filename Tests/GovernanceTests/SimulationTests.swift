import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

@Suite("Simulation")
struct SimulationTests {
    @Test func sameSeedSameResultOtherSeedDifferent() throws {
        let s = try scenario("simulation.days: 120\n")
        let a = GovernanceModel.run(s, replication: 0, masterSeed: 9)
        let b = GovernanceModel.run(s, replication: 0, masterSeed: 9)
        let c = GovernanceModel.run(s, replication: 0, masterSeed: 10)
        #expect(a.outputs.map(\.bitPattern) == b.outputs.map(\.bitPattern))
        #expect(a.series.flatMap { $0 }.map(\.bitPattern) == b.series.flatMap { $0 }.map(\.bitPattern))
        #expect(a.outputs.map(\.bitPattern) != c.outputs.map(\.bitPattern))
    }

    /// Common random numbers: switching a mechanism on leaves the population and the
    /// problems that arise unchanged.
    @Test func switchingAMechanismOnKeepsOtherDraws() throws {
        let off = try scenario("simulation.days: 200\n")
        let on = try scenario("simulation.days: 200\ngovernance.whistle.enabled: true\ngovernance.photo.enabled: true\n")
        let a = GovernanceModel.simulate(off, seed: 77) { _, _ in }
        let b = GovernanceModel.simulate(on, seed: 77) { _, _ in }
        #expect(a.hh.motivation == b.hh.motivation && a.hh.tenure == b.hh.tenure && a.hh.tieTarget == b.hh.tieTarget)
        #expect(a.arisenTotal == b.arisenTotal)
    }

    @Test func outputsAreWithinTheirRanges() throws {
        for file in ["traditional.yaml", "five-pillars.yaml"] {
            let s = try GovernanceModel.load(bundledScenarios(file).path, overrides: ["simulation.days=200"])
            let r = GovernanceModel.run(s, replication: 0, masterSeed: 1)
            for (k, o) in Output.allCases.enumerated() {
                let x = r.outputs[k]
                #expect(!x.isInfinite)
                if o.isShare, !x.isNaN { #expect(x >= 0 && x <= 1, "\(o.name) = \(x)") }
                if !x.isNaN { #expect(x >= 0, "\(o.name) = \(x)") }
            }
            #expect(!r.outputs[Output.allCases.firstIndex(of: .participationRate)!].isNaN)
        }
    }

    @Test func timelineSwitchesTheWhistleOn() throws {
        let s = try scenario("""
        simulation.days: 540
        problems.multi_department_share: 1
        timeline:
          - day: 270
            set: {governance.whistle.enabled: true}
        """)
        var before = 0.0, after = 0.0
        _ = GovernanceModel.simulate(s, seed: 3) { c, day in
            let x = c.observe(day: day)[Output.allCases.firstIndex(of: .resolutionDaysMean)!]
            if day == 265 { before = x }
            if day == 538 { after = x }
        }
        #expect(after < before * 0.6, "before \(before), after \(after)")
    }

    @Test func timelineMayNotChangeThePopulation() throws {
        #expect(throws: ConfigError.self) {
            try scenario("timeline:\n  - day: 5\n    set: {population.households: 10}\n")
        }
        #expect(throws: ConfigError.self) {
            try scenario("simulation.days: 10\ntimeline:\n  - day: 50\n    set: {governance.whistle.enabled: true}\n")
        }
    }

    @Test func everyBundledScenarioRunsBriefly() throws {
        let dir = bundledScenarios()
        // Every scenario file (Scenarios/patterns/ holds the patterns file, which PatternsTests read).
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("patterns/") }
        #expect(!files.isEmpty)
        for f in files {
            let full = try GovernanceModel.load(dir.appendingPathComponent(f).path)
            // Case scenarios measure their targets late: they run in full; the others briefly.
            let hasTargets = !(try GovernanceModel.targets(of: full)).isEmpty
            let days = max(60, (full.timeline.last?.day ?? 0) + 30)
            let s = hasTargets ? full : try GovernanceModel.load(dir.appendingPathComponent(f).path, overrides: ["simulation.days=\(days)"])
            let r = GovernanceModel.run(s, replication: 0, masterSeed: 42)
            #expect(!r.outputs[0].isNaN, "\(f)")
        }
    }

    /// Summary outputs: a rate is its mean over the observations in the last
    /// `simulation.summary_days`, a total since the start its value on the last day.
    @Test func summaryIsTheFinalWindowMeanOrTheLastDay() throws {
        let s = try scenario("simulation.days: 200\ndeliberation.enabled: true\n", ["simulation.summary_days=60"])
        let r = GovernanceModel.run(s, replication: 0, masterSeed: 3)
        for o in [Output.participationRate, .satisfactionRate, .complaints] {
            let inWindow = r.series.filter { $0[0] - 1 >= 140 }.map { $0[1 + o.index] }.filter { !$0.isNaN }
            let mean = inWindow.reduce(0, +) / Double(inWindow.count)
            #expect(inWindow.count == 9 && abs(r.outputs[o.index] - mean) < 1e-12, "\(o.name): \(r.outputs[o.index]) vs \(mean)")
        }
        #expect(r.outputs[Output.resolutions.index] == r.series.last![1 + Output.resolutions.index])
        #expect(Output.resolutions.summary == .lastDay && Output.participationRate.summary == .windowMean)
    }

    /// A timeline may not change what is read only when the community is set up.
    @Test func timelineRefusesWhatIsFixedAtTheStart() throws {
        for (path, value) in [("participation.tenant_factor", "0.5"), ("participation.window_days", "30"), ("amenity.parking", "0.5"),
                              ("problems.expectation_days", "10")] {
            let yaml = "simulation.days: 100\ntimeline:\n  - day: 50\n    set:\n      \(path): \(value)\n"
            #expect {
                _ = try scenario(yaml)
            } throws: { e in
                "\(e)".contains("timeline[0].set.\(path)") && "\(e)".contains("fixed at the start")
            }
        }
        _ = try scenario("simulation.days: 100\ntimeline:\n  - day: 50\n    set:\n      participation.social_weight: 0.5\n")
    }
}
