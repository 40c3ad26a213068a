import Foundation
import SimCore
import SimConfig

/// A published figure a case scenario must reproduce: which output, measured how and when,
/// the published value, the tolerance (with its reason) and the words of the source.
/// Published figures live only here, in scenario files — never in model code or outputs.
public struct Target: Sendable {
    public enum Measure: String, Sendable, CaseIterable {
        /// The output on `day`.
        case value
        /// after − before (e.g. percentage points).
        case change
        /// (after − before) / before.
        case relativeChange = "relative_change"
        /// after / before.
        case ratio
    }
    public var figure: String
    public var metric: Output
    public var measure: Measure
    public var day: Int
    public var beforeDay: Int?
    public var published: Double
    public var tolerance: Double
    public var toleranceReason: String
    public var source: String
    /// "at least" figures (e.g. "participation up 40 % or more") pass when the mean is at or
    /// above the published value less the tolerance; others need |mean − published| ≤ tolerance.
    public var atLeast: Bool

    /// Whether a simulated mean reproduces this figure.
    public func passes(_ mean: Double) -> Bool {
        guard !mean.isNaN else { return false }
        return atLeast ? mean >= published - tolerance : abs(mean - published) <= tolerance
    }
}

/// How a target came out over the replications.
public struct TargetResult: Sendable {
    public var target: Target
    public var values: [Double]
    public var mean: Double
    /// 90 % interval of the replications' values (5th and 95th percentiles).
    public var lo: Double
    public var hi: Double
    public var pass: Bool
}

extension Target {
    /// Decode a scenario's `targets:` list; errors name `targets[i].key`.
    public static func decode(_ node: ConfigNode?, days: Int) throws -> [Target] {
        guard let node else { return [] }
        let keys: Set<String> = ["figure", "metric", "measure", "day", "before_day", "published", "tolerance", "tolerance_reason",
                                 "source", "at_least"]
        return try node.records("targets", keys: keys, entry: "a target").map { item in
            let path = item.path
            let m = try item.requiredText("metric")
            guard let metric = Output(rawValue: m) else {
                throw ConfigError(at: item["metric"]!.origin, path: "\(path).metric", "unknown output '\(m)'; outputs are \(Output.names.joined(separator: ", "))")
            }
            let ms = try item.text("measure") ?? "value"
            guard let measure = Measure(rawValue: ms) else {
                throw ConfigError(at: item["measure"]!.origin, path: "\(path).measure",
                                  "expected one of \(Measure.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let dayRange = 0...Double(days - 1)
            guard let d = try item.number("day", in: dayRange, whole: true).map({ Int($0) }) else {
                throw ConfigError(at: item.origin, path: "\(path).day", "missing; expected the day the figure is measured")
            }
            let before = try item.number("before_day", in: dayRange, whole: true).map { Int($0) }
            if measure != .value, before == nil {
                throw ConfigError(at: item.origin, path: "\(path).before_day", "missing; a \(measure.rawValue) needs the day of the 'before' figure")
            }
            if let b = before, b >= d { throw ConfigError(at: item["before_day"]!.origin, path: "\(path).before_day", "must be before day \(d)") }
            guard let published = try item.number("published") else { throw ConfigError(at: item.origin, path: "\(path).published", "missing") }
            guard let tol = try item.number("tolerance", in: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude) else {
                throw ConfigError(at: item.origin, path: "\(path).tolerance", "missing; expected a positive number (absolute, in the figure's units)")
            }
            return Target(figure: try item.requiredText("figure"), metric: metric, measure: measure, day: d, beforeDay: before,
                          published: published, tolerance: tol, toleranceReason: try item.requiredText("tolerance_reason"),
                          source: try item.requiredText("source"), atLeast: try item.bool("at_least") ?? false)
        }
    }

    /// The figure from one replication's observations (output rows by day).
    func measure(_ rows: [Int: [Double]]) -> Double {
        let after = rows[day]?[metric.index] ?? .nan
        guard let b = beforeDay else { return after }
        let before = rows[b]?[metric.index] ?? .nan
        switch measure {
        case .value: return after
        case .change: return after - before
        case .relativeChange: return before == 0 ? .nan : (after - before) / before
        case .ratio: return before == 0 ? .nan : after / before
        }
    }
}

extension GovernanceModel {
    /// The scenario's published targets (empty when it has none).
    public static func targets(of s: Scenario) throws -> [Target] {
        try Target.decode(s.sections["targets"], days: s.parameters[\SimulationSettings.days])
    }

    /// Run `reps` replications (common random numbers from `masterSeed`) and measure every target.
    public static func evaluate(_ s: Scenario, targets: [Target], reps: Int, masterSeed: UInt64,
                                jobs: Int = Parallel.cores) throws -> [TargetResult] {
        let days = Set(targets.flatMap { [$0.day] + ($0.beforeDay.map { [$0] } ?? []) })
        let perRep: [[Double]] = try Parallel.map(reps, jobs: jobs) { i in
            let seed = Seeds.replication(master: masterSeed, index: i)
            var rows: [Int: [Double]] = [:]
            _ = simulate(s, seed: seed, observeDays: days) { c, day in
                if days.contains(day) { rows[day] = c.observe(day: day) }
            }
            return targets.map { $0.measure(rows) }
        }
        return targets.enumerated().map { k, t in
            let xs = perRep.map { $0[k] }.filter { !$0.isNaN }
            let mean = xs.isEmpty ? Double.nan : GSL.mean(xs)
            let q = quantiles(xs, [0.05, 0.95])
            return TargetResult(target: t, values: xs, mean: mean, lo: q[0], hi: q[1],
                                pass: t.passes(mean))
        }
    }
}
