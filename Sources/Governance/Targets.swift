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
    /// "at least" figures (e.g. "participation up 40 % or more"): see `passes(mean:lo:hi:)`.
    public var atLeast: Bool
    /// A figure the model is known not to reproduce, with the reason (`known_miss:` in the
    /// case file): `pillars cases` reports it and does not count it as a failure, and the case
    /// tests fail if it passes (remove the mark) — docs/CALIBRATION.md.
    public var knownMiss: String? = nil
    /// Why the figure is compared with this output, from the case's own words (`metric_reason:`).
    /// Required for the participation and service-use outputs, whose difference matters: a
    /// published "participation" counts civic acts, use of the shared services is another figure.
    public var metricReason: String? = nil

    /// The honest pass rule (docs/CALIBRATION.md). Two-sided figures: the mean is within the
    /// tolerance of the published value **and** the published value lies inside the
    /// replications' 90 % interval [lo, hi]. "At least" figures: the mean is at or above the
    /// published value less the tolerance **and** so is the top of the interval (some
    /// replications reach the figure's lower bound).
    public func passes(mean: Double, lo: Double, hi: Double) -> Bool {
        guard !mean.isNaN, !lo.isNaN, !hi.isNaN else { return false }
        if atLeast { return mean >= published - tolerance && hi >= published - tolerance }
        return abs(mean - published) <= tolerance && lo <= published && published <= hi
    }

    /// Distance of a simulated mean from the published value, in tolerances.
    public func zScore(_ mean: Double) -> Double { (mean - published) / tolerance }
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
    /// (mean − published) / tolerance.
    public var z: Double { target.zScore(mean) }
    /// How the figure stands against its mark: a pass, a miss, a known miss (marked and
    /// missed), or a marked figure that now passes (the mark is stale).
    public var status: Status {
        switch (pass, target.knownMiss != nil) {
        case (true, false): return .pass
        case (false, false): return .fail
        case (false, true): return .knownMiss
        case (true, true): return .staleMark
        }
    }
    public enum Status: String, Sendable { case pass, fail, knownMiss = "known_miss", staleMark = "stale_mark" }
    /// Whether the figure is as its case file says (a pass, or a marked known miss).
    public var asMarked: Bool { status == .pass || status == .knownMiss }
}

extension Target {
    /// Decode a scenario's `targets:` list; errors name `targets[i].key`.
    public static func decode(_ node: ConfigNode?, days: Int) throws -> [Target] {
        guard let node else { return [] }
        let keys: Set<String> = ["figure", "metric", "measure", "day", "before_day", "published", "tolerance", "tolerance_reason",
                                 "source", "at_least", "known_miss", "metric_reason"]
        return try node.records("targets", keys: keys, entry: "a target").map { item in
            let path = item.path
            let m = try item.requiredText("metric")
            guard let metric = Output(rawValue: m) else {
                throw ConfigError(at: item["metric"]!.origin, path: "\(path).metric", "unknown output '\(m)'; outputs are \(Output.names.joined(separator: ", "))")
            }
            let reason = try item.text("metric_reason")
            if metric.needsMetricReason, reason?.isEmpty ?? true {
                throw ConfigError(at: item.origin, path: "\(path).metric_reason",
                                  "missing; a target on \(m) must say why the figure is civic participation or service use (docs/ODD.md §7, Outputs), from the case's own words")
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
                          source: try item.requiredText("source"), atLeast: try item.bool("at_least") ?? false,
                          knownMiss: try item.text("known_miss"), metricReason: reason)
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

extension Output {
    /// Outputs whose targets must give a `metric_reason`: participation and service use.
    var needsMetricReason: Bool { rawValue.hasPrefix("participation_rate") || rawValue.hasPrefix("service_use_rate") }
}

extension GovernanceModel {
    /// The scenario's published targets (empty when it has none).
    public static func targets(of s: Scenario) throws -> [Target] {
        try Target.decode(s.sections["targets"], days: s.parameters[\SimulationSettings.days])
    }

    /// Run `reps` replications (common random numbers from `masterSeed`) and measure every
    /// target; with `draws`, replication r runs with draw r mod N's parameter values.
    public static func evaluate(_ s: Scenario, targets: [Target], reps: Int, masterSeed: UInt64,
                                jobs: Int = Parallel.cores, draws: ParameterDraws? = nil) throws -> [TargetResult] {
        let days = Set(targets.flatMap { [$0.day] + ($0.beforeDay.map { [$0] } ?? []) })
        let perRep: [[Double]] = try Parallel.map(reps, jobs: jobs) { i in
            let rows = observe(draws.scenario(s, replication: i), replication: i, masterSeed: masterSeed, days: days)
            return targets.map { $0.measure(rows) }
        }
        return targets.enumerated().map { k, t in
            let xs = perRep.map { $0[k] }.filter { !$0.isNaN }
            let mean = xs.isEmpty ? Double.nan : GSL.mean(xs)
            let q = quantiles(xs, [0.05, 0.95])
            return TargetResult(target: t, values: xs, mean: mean, lo: q[0], hi: q[1],
                                pass: t.passes(mean: mean, lo: q[0], hi: q[1]))
        }
    }

    /// Replication `index`'s output rows on each of `days` (a single community).
    public static func observe(_ s: Scenario, replication index: Int, masterSeed: UInt64, days: Set<Int>) -> [Int: [Double]] {
        let seed = Seeds.replication(master: masterSeed, index: index)
        var rows: [Int: [Double]] = [:]
        _ = simulate(s, seed: seed, observeDays: days) { c, day in
            if days.contains(day) { rows[day] = c.observe(day: day) }
        }
        return rows
    }
}
