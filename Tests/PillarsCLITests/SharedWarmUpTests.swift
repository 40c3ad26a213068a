import Foundation
import Governance
import SimConfig
import Testing
import TestSupport

/// The shared warm-up (issue 17): compare, sweep and sensitivity start scenarios whose warm-ups
/// see the same settings from one copy of replication r's warm-up. The files must be the same,
/// byte for byte, as with `--no-shared-warmup` (every warm-up recomputed), and a scenario whose
/// warm-up sees other settings must not share.
@Suite("shared warm-up")
struct SharedWarmUpTests {
    typealias CLI = CLITests
    /// Short runs that keep the bundled warm-up (360 days), so the shared part is most of the work.
    static let short = ["--set", "simulation.days=60", "--set", "population.households=120", "--quiet"]

    static func run(_ args: [String], file: String) throws -> (shared: Data, recomputed: Data) {
        var out = [Data]()
        for extra in [[], ["--no-shared-warmup"]] {
            let dir = CLI.temp("warmup").appendingPathComponent("o")
            let r = try CLI.pillars(args + extra + ["--out", dir.path])
            #expect(r.status == 0, "\(r.err)")
            out.append(try Data(contentsOf: dir.appendingPathComponent(file)))
        }
        return (out[0], out[1])
    }

    @Test func compareOfTheBundledSchemesIsTheSameWithAndWithoutTheSharedWarmUp() throws {
        let schemes = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Scenarios/schemes").path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }.sorted()
        #expect(schemes.count >= 9, "the nine bundled schemes besides the baseline")
        let args = ["compare", "Scenarios/schemes/_no-incentives.yaml", "Scenarios/traditional.yaml"]
            + schemes.flatMap { ["--scheme", "Scenarios/schemes/" + $0] } + ["--reps", "3"] + Self.short
        for file in ["comparison.csv", "decision.csv"] {
            let (a, b) = try Self.run(args, file: file)
            #expect(!a.isEmpty && a == b, "\(file) differs with the shared warm-up")
        }
    }

    @Test func sweepIsTheSameWithAndWithoutTheSharedWarmUp() throws {
        // Points that differ in a switch share the warm-up; points that differ in a warm-up
        // parameter do not; both must give the rows a recomputed warm-up gives.
        let args = ["sweep", "Scenarios/schemes/_no-incentives.yaml", "--param", "incentives.points.enabled=0,1",
                    "--param", "participation.social_weight=0.5,1", "--reps", "3", "--jobs", "2"] + Self.short
        let (a, b) = try Self.run(args, file: "sweep.csv")
        #expect(!a.isEmpty && a == b)
    }

    @Test func sensitivityIsTheSameWithAndWithoutTheSharedWarmUp() throws {
        let args = ["sensitivity", "Scenarios/five-pillars.yaml", "--samples", "4", "--reps", "2", "--bootstrap", "0",
                    "--param", "incentives.honours.enabled=0,1", "--param", "governance.whistle.compliance=0.5:1"] + Self.short
        let (a, b) = try Self.run(args, file: "sensitivity.csv")
        #expect(!a.isEmpty && a == b)
    }

    static let overrides = ["simulation.days=60", "population.households=120"]

    static func scenario(_ overlay: String?) throws -> Scenario {
        let loader = ScenarioLoader(schema: GovernanceModel.schema)
        let base = repositoryRoot.appendingPathComponent("Scenarios/schemes/_no-incentives.yaml").path
        guard let overlay else { return try loader.load(base, overrides: Self.overrides) }
        let f = CLI.temp("warmup-scheme").appendingPathComponent("scheme.yaml")
        try ("version: 1\nname: scheme\n" + overlay).write(to: f, atomically: true, encoding: .utf8)
        return try loader.load(base, overlays: [f.path], overrides: Self.overrides)
    }

    @Test func aSchemeThatChangesAWarmUpParameterDoesNotShare() throws {
        let base = try Self.scenario(nil)
        let switched = try Self.scenario("incentives:\n  honours.enabled: true\n")
        let social = try Self.scenario("participation:\n  social_weight: 0.9\n")
        let projects = try Self.scenario("projects:\n  - name: roof\n    category: infrastructure\n    cost: 50000\n    start_day: 10\n")
        let key = GovernanceModel.warmUpKey(base)
        #expect(key != nil)
        #expect(GovernanceModel.warmUpKey(switched) == key, "a switch is off in the warm-up: it shares")
        #expect(GovernanceModel.warmUpKey(social) != key, "participation.social_weight acts in the warm-up: it must not share")
        #expect(GovernanceModel.warmUpKey(projects) != key, "other projects: another community at day 0")
        // And the runs agree with separate runs, shared or not.
        let all = [base, switched, social, projects]
        let shared = GovernanceModel.run(all, replication: 1, masterSeed: 7, share: true)
        for (i, s) in all.enumerated() {
            let alone = GovernanceModel.run(s, replication: 1, masterSeed: 7, recordSeries: false, jobs: 1)
            #expect(shared[i].outputs.map(\.bitPattern) == alone.outputs.map(\.bitPattern), "scenario \(i)")
            #expect(shared[i].seed == alone.seed)
        }
        // A district is never shared.
        let district = try ScenarioLoader(schema: GovernanceModel.schema).load(repositoryRoot.appendingPathComponent("Scenarios/district.yaml").path)
        #expect(GovernanceModel.warmUpKey(district) == nil)
    }
}
