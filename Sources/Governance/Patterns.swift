import Foundation
import SimCore
import SimConfig

/// A stylised fact from the literature that the model should reproduce (pattern-oriented
/// modelling, Grimm et al. 2005): a statistic of the outputs of a bundled scenario, with the
/// numeric band the evidence allows and the source it comes from. Patterns live in
/// `Scenarios/patterns/patterns.yaml` and are checked by `pillars patterns` across posterior draws.
public struct Pattern: Sendable {
    public enum Statistic: String, Sendable, CaseIterable {
        /// The output's summary.
        case value
        /// output / relative_to.
        case ratio
        /// output − relative_to.
        case difference
        /// The output with the `scheme` overlay − without it (common random numbers).
        case effect
    }
    public var name: String
    /// The scenario file, relative to the patterns file's folder.
    public var scenario: String
    /// `--set` style overrides applied to the scenario (and to its scheme variant).
    public var overrides: [String]
    /// For an `effect`: the overlay whose effect is measured, relative to the patterns file.
    public var scheme: String?
    public var statistic: Statistic
    public var output: Output
    public var relativeTo: Output?
    public var low: Double
    public var high: Double
    public var source: String

    /// Whether a statistic lies in the band (NaN never does).
    public func holds(_ x: Double) -> Bool { !x.isNaN && x >= low && x <= high }
}

/// One pattern checked over parameter draws: the statistic under each draw (the mean of its
/// replications) and the share of draws whose statistic lies in the band.
public struct PatternResult: Sendable {
    public var pattern: Pattern
    public var statistics: [Double]
    /// Share of draws meeting the pattern.
    public var share: Double
    /// The pattern holds when at least `PatternResult.threshold` of the draws meet it.
    public var holds: Bool { share >= Self.threshold }
    public static let threshold = 0.8
    public var median: Double { quantiles(statistics.filter { !$0.isNaN }, [0.5])[0] }
}

extension Pattern {
    /// Read a patterns file: `version: 1` and a `patterns:` list; errors name the file and
    /// `patterns[i].key`.
    public static func load(_ path: String) throws -> [Pattern] {
        let root = try ConfigNode.load(file: path)
        guard case .mapping = root else { throw ConfigError(file: path, path: "", "expected a mapping with version and patterns") }
        guard case let .scalar(v, _, _)? = root["version"], v == "1" else {
            throw ConfigError(file: path, path: "version", "expected version: 1")
        }
        guard let list = root["patterns"] else { throw ConfigError(file: path, path: "patterns", "missing; expected a list of patterns") }
        let keys: Set<String> = ["name", "scenario", "set", "scheme", "statistic", "output", "relative_to", "low", "high", "source"]
        return try list.records("patterns", keys: keys, entry: "a pattern", allowEmpty: false).map { item in
            let p = item.path
            func output(_ key: String) throws -> Output? {
                guard let name = try item.text(key) else { return nil }
                guard let o = Output(rawValue: name) else {
                    throw ConfigError(at: item[key]!.origin, path: "\(p).\(key)", "unknown output '\(name)'; `pillars outputs` lists them")
                }
                return o
            }
            let st = try item.requiredText("statistic")
            guard let statistic = Statistic(rawValue: st) else {
                throw ConfigError(at: item["statistic"]!.origin, path: "\(p).statistic",
                                  "expected one of \(Statistic.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let out = try output("output") else { throw ConfigError(at: item.origin, path: "\(p).output", "missing") }
            let rel = try output("relative_to")
            if (statistic == .ratio || statistic == .difference) != (rel != nil) {
                throw ConfigError(at: item.origin, path: "\(p).relative_to",
                                  statistic == .ratio || statistic == .difference ? "missing; a \(st) needs the output it is relative to"
                                      : "only a ratio or a difference has relative_to")
            }
            let scheme = try item.text("scheme", nonEmpty: true)
            if (statistic == .effect) != (scheme != nil) {
                throw ConfigError(at: item.origin, path: "\(p).scheme",
                                  statistic == .effect ? "missing; an effect needs the overlay it measures" : "only an effect has a scheme")
            }
            var overrides: [String] = []
            if let s = item["set"] {
                guard case let .sequence(xs, _) = s else { throw ConfigError(at: s.origin, path: "\(p).set", "expected a list of key=value") }
                overrides = try xs.enumerated().map { i, x in
                    guard case let .scalar(t, _, _) = x, t.contains("=") else {
                        throw ConfigError(at: x.origin, path: "\(p).set[\(i)]", "expected key=value")
                    }
                    return t
                }
            }
            guard let low = try item.number("low"), let high = try item.number("high") else {
                throw ConfigError(at: item.origin, path: "\(p).low", "missing; a pattern needs its band, low and high")
            }
            guard low <= high else { throw ConfigError(at: item["low"]!.origin, path: "\(p).low", "must not exceed high") }
            return Pattern(name: try item.requiredText("name"), scenario: try item.requiredText("scenario"), overrides: overrides,
                           scheme: scheme, statistic: statistic, output: out, relativeTo: rel, low: low, high: high,
                           source: try item.requiredText("source"))
        }
    }
}

extension GovernanceModel {
    /// Check `pattern` (whose files are relative to `folder`) under each of the first `drawCount`
    /// parameter draws (or once, under the scenario's own parameters, without draws): `reps`
    /// replications per draw on common random numbers from `masterSeed`.
    public static func check(_ pattern: Pattern, folder: URL, draws: ParameterDraws?, drawCount: Int, reps: Int,
                             masterSeed: UInt64, jobs: Int = Parallel.cores) throws -> PatternResult {
        let path = folder.appendingPathComponent(pattern.scenario).path
        let base = try load(path, overrides: pattern.overrides)
        let alt: Scenario? = try pattern.scheme.map { scheme in
            let s = try ScenarioLoader(schema: schema).load(path, overlays: [folder.appendingPathComponent(scheme).path],
                                                             overrides: pattern.overrides)
            try validate(s)
            return s
        }
        if let draws { try draws.validate(against: base) }
        let n = draws == nil ? 1 : max(1, min(drawCount, draws!.rows.count))
        let stats: [Double] = try Parallel.map(n * reps, jobs: jobs) { k in
            let d = k / reps, r = k % reps
            func outputs(_ s: Scenario) -> [Double] {
                let sc = draws.map { $0.scenario(s, draw: d) } ?? s
                return run(sc, replication: r, masterSeed: masterSeed, recordSeries: false).outputs
            }
            let x = outputs(base)
            switch pattern.statistic {
            case .value: return x[pattern.output.index]
            case .ratio: return x[pattern.output.index] / x[pattern.relativeTo!.index]
            case .difference: return x[pattern.output.index] - x[pattern.relativeTo!.index]
            case .effect: return outputs(alt!)[pattern.output.index] - x[pattern.output.index]
            }
        }
        let perDraw = (0..<n).map { d -> Double in
            let xs = stats[(d * reps)..<((d + 1) * reps)].filter { !$0.isNaN }
            return xs.isEmpty ? .nan : GSL.mean(Array(xs))
        }
        let met = perDraw.filter(pattern.holds).count
        return PatternResult(pattern: pattern, statistics: perDraw, share: Double(met) / Double(n))
    }
}
