import Foundation
@testable import Governance
import SimCore
import SimConfig
import Experiments

/// A scenario from YAML text (version 1 added), validated like a file. Its summary outputs
/// are the last day's observation (`simulation.summary_days` 1) unless the test says
/// otherwise: the mechanisms' tests compare the state a run ends in.
func scenario(_ yaml: String = "", _ overrides: [String] = []) throws -> Scenario {
    let text = "version: 1\n" + yaml
    let last = overrides.contains { $0.hasPrefix("simulation.summary_days=") } || yaml.contains("summary_days") ? [] : ["simulation.summary_days=1"]
    let s = try ScenarioLoader(schema: GovernanceModel.schema).build(ConfigNode.parse(yaml: text, file: "test.yaml"), file: "test.yaml", overrides: last + overrides)
    try GovernanceModel.validate(s)
    return s
}

/// Mean of one output over `reps` replications.
func mean(_ o: Output, _ s: Scenario, reps: Int = 6, seed: UInt64 = 7) -> Double {
    let k = Output.allCases.firstIndex(of: o)!
    let xs = (0..<reps).map { GovernanceModel.run(s, replication: $0, masterSeed: seed, recordSeries: false).outputs[k] }
    return xs.filter { !$0.isNaN }.reduce(0, +) / Double(xs.filter { !$0.isNaN }.count)
}

/// Paired difference (alternative − baseline) of one output over `reps` replications on common
/// random numbers: replication r of both scenarios runs with the same seed.
func pairedEffect(_ o: Output, _ baseline: Scenario, _ alternative: Scenario, reps: Int = 20, seed: UInt64 = 3) -> PairedDifference {
    func run(_ s: Scenario) -> [Double] {
        (0..<reps).map { GovernanceModel.run(s, replication: $0, masterSeed: seed, recordSeries: false).outputs[o.index] }
    }
    return pairedDifference(metric: o.name, baseline: run(baseline), alternative: run(alternative))
}
