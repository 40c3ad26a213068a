import Foundation
import SimCore
import SimConfig

/// The results of one replication: its seed, the outputs at the end, and the time series.
public struct ReplicationResult: Sendable {
    public var replication: Int
    public var seed: UInt64
    /// `Output.allCases` order; NaN = nothing to measure.
    public var outputs: [Double]
    /// One row per observed day: the day, then the outputs.
    public var series: [[Double]]
    /// District mode: one row of outputs per community (`GovernanceModel.communityNames` order); nil otherwise.
    public var communities: [[Double]]? = nil
    /// Every project at the end (co-construction), for projects.csv.
    public var projects: [ProjectRecord] = []
}

/// The governance model: its scenario schema, validation and one replication's run.
public enum GovernanceModel {
    public static let version = "0.1.0"
    public static let scenarioVersions = 1...1

    /// Every parameter, grouped by the mechanism that declares it.
    public static let parameterSpecs: [ParameterSpec] = Settings.groups.flatMap { $0.specs }

    public static let schema = ScenarioSchema(
        registry: ParameterRegistry(parameterSpecs), versions: scenarioVersions, sections: ["projects", "targets", District.section])

    /// Parameters a timeline may not change: they define the population drawn at the start.
    static let fixedAtStart = ["simulation.", "population.", "baseline."]

    /// Load and validate a scenario file (with `--set` overrides).
    public static func load(_ path: String, overrides: [String] = []) throws -> Scenario {
        let s = try ScenarioLoader(schema: schema).load(path, overrides: overrides)
        try validate(s)
        return s
    }

    /// The traditional mode of a parameter set: every mechanism switch (a parameter whose path
    /// ends in `.enabled`) off, everything else as given.
    public static func traditional(_ p: ParameterSet) -> ParameterSet {
        var t = p
        for spec in p.registry.specs where spec.kind == .bool && spec.path.hasSuffix(".enabled") { t[spec.path] = .bool(false) }
        return t
    }

    /// Cross-field checks that single-parameter ranges cannot express.
    public static func validate(_ s: Scenario) throws {
        for (path, msg) in PopulationSettings(s.parameters).validate() {
            throw ConfigError(at: s.origins[path] ?? Origin(file: s.file), path: path, msg)
        }
        _ = try ProjectPlan.decode(s.sections["projects"], defaults: ConstructionSettings(s.parameters), file: s.file)
        _ = try targets(of: s)
        try EvaluationSettings.validate(s)
        try District.validate(s)
        for p in [s.parameters] + s.timeline.map({ s.parameters(onDay: $0.day) }) {
            let d = DeliberationSettings(p), lo = DeliberationSettings.path(\.meritMin)
            if d.meritMin > d.meritMax {
                throw ConfigError(at: s.origins[lo] ?? Origin(file: s.file), path: lo,
                                  "must not exceed \(DeliberationSettings.path(\.meritMax)) (\(formatParam(d.meritMin)) > \(formatParam(d.meritMax)))")
            }
        }
        let days = s.parameters[\SimulationSettings.days]
        for (i, e) in s.timeline.enumerated() {
            if e.day >= days {
                throw ConfigError(file: s.file, path: "timeline[\(i)].day",
                                  "day \(e.day) is not before the end of the run (simulation.days = \(days))")
            }
            for c in e.changes where fixedAtStart.contains(where: { c.path.hasPrefix($0) }) {
                throw ConfigError(file: s.file, path: "timeline[\(i)].set.\(c.path)",
                                  "cannot change during a run (population, baseline and simulation settings are fixed at the start)")
            }
            for c in e.changes where s.parameters.registry[c.path]?.fixedAtStart == true {
                throw ConfigError(file: s.file, path: "timeline[\(i)].set.\(c.path)",
                                  "cannot change during a run: it is read only when the community is set up (fixed at the start); set it outside the timeline")
            }
        }
    }

    /// Run replication `index` of `scenario` under `masterSeed`. Pure: the same arguments give the
    /// same result, whatever `jobs` (the threads a district's communities are stepped on).
    public static func run(_ scenario: Scenario, replication index: Int, masterSeed: UInt64,
                           recordSeries: Bool = true, jobs: Int = Parallel.cores) -> ReplicationResult {
        if scenario.sections[District.section] != nil {
            return runDistrict(scenario, replication: index, masterSeed: masterSeed, recordSeries: recordSeries, jobs: jobs)
        }
        let seed = Seeds.replication(master: masterSeed, index: index)
        var series: [[Double]] = []
        var window = SummaryWindow(SimulationSettings(scenario.parameters))
        var community = simulate(scenario, seed: seed) { c, day in
            // Without a time series, only the summary window's observations are needed.
            guard recordSeries || window.covers(day) else { return }
            let row = c.observe(day: day)
            window.add(row, day: day)
            if recordSeries { series.append([Double(day + 1)] + row) }
        }
        let outputs = window.summary(lastDay: community.observe(day: community.settings.simulation.days - 1))
        return ReplicationResult(replication: index, seed: seed, outputs: outputs, series: series,
                                 projects: community.projectRecords())
    }

    /// Simulate one replication with seed `seed`, calling `observer` on each observation day;
    /// returns the final state (tests inspect it).
    static func simulate(_ scenario: Scenario, seed: UInt64, observeDays: Set<Int> = [],
                         observer: (inout Community, Int) -> Void) -> Community {
        let shift = anchorShift(scenario, seed: seed)
        let streams = StreamSet(replicationSeed: seed)
        var run = CommunityRun(Community(scenario, parameters: scenario.parameters, streams: streams), streams: streams)
        run.community.warmUp(&run.mechanisms, parameters: scenario.parameters, anchorShift: shift)
        return simulate(scenario, from: run, observeDays: observeDays, observer: observer)
    }

    /// The parameters that anchor `scenario`'s baseline satisfaction when it is a scheme overlay
    /// whose warm-up differs from its base's (`Scenario.anchorParameters`); nil otherwise (the
    /// scenario anchors itself, as every scenario file does).
    static func anchor(_ scenario: Scenario) -> ParameterSet? {
        guard let a = scenario.anchorParameters, traditional(a) != traditional(scenario.parameters) else { return nil }
        return a
    }

    /// The baseline shift of `scenario`'s anchor (its base community's warm-up, replication seed
    /// `seed`, on streams of its own), or nil when the scenario anchors itself. An overlay that
    /// is a harm — fewer grid workers, more disputes, slower departments — then shows at day 0
    /// as residents less satisfied than the base's, instead of being absorbed into S₀ by a
    /// re-anchoring that would make the harmed community's residents intrinsically happier.
    static func anchorShift(_ scenario: Scenario, seed: UInt64) -> Float? {
        guard let a = anchor(scenario) else { return nil }
        var base = scenario
        base.parameters = a
        base.anchorRevert = [:]
        let streams = StreamSet(replicationSeed: seed)
        var run = CommunityRun(Community(base, parameters: a, streams: streams), streams: streams)
        run.community.warmUp(&run.mechanisms, parameters: a)
        return run.community.satisfactionShift
    }

    /// Simulate days 0… of `scenario` from a community at the end of its warm-up.
    static func simulate(_ scenario: Scenario, from start: CommunityRun, observeDays: Set<Int> = [],
                         observer: (inout Community, Int) -> Void) -> Community {
        var run = start
        let days = run.community.settings.simulation.days
        let every = run.community.settings.simulation.observeEvery
        Schedule(days: 0..<days, startsOn: { scenario.timelineChanges(onDay: $0) },
                 endsOn: { d in (d + 1) % every == 0 || d == days - 1 || observeDays.contains(d) })
            .run(&run, start: { r, d in r.community.settings = Settings(scenario.parameters(onDay: d)) },
                 step: { r, d in r.day(d) }, end: { r, d in observer(&r.community, d) })
        return run.community
    }
}

extension Scenario {
    /// Whether the parameters change at the start of `day` (day 0 also takes entries dated before it).
    func timelineChanges(onDay day: Int) -> Bool {
        timeline.contains { $0.day == day || (day == 0 && $0.day < 0) }
    }
}

/// A community and its mechanisms: what the schedule steps, one day at a time.
struct CommunityRun {
    var community: Community
    var mechanisms: Mechanisms
    init(_ community: Community, streams: StreamSet) {
        self.community = community
        mechanisms = Mechanisms(streams: streams)
    }
    /// One day: the trailing counters move on, every mechanism whose cadence fires steps, and
    /// once a month logs too old for any window are dropped.
    mutating func day(_ d: Int) { community.day(d, &mechanisms) }
}

extension Community {
    mutating func day(_ d: Int, _ mechanisms: inout Mechanisms) {
        advanceCounters(to: d)
        mechanisms.day(&self, d)
        if Cadence.monthly.fires(on: d) { pruneLogs(day: d) }
    }
}

extension Community {
    /// A community at day 0 of `scenario` with these parameters (district members differ):
    /// the population and the scenario's projects. The one place a community is set up.
    init(_ scenario: Scenario, parameters: ParameterSet, streams: StreamSet) {
        self.init(settings: Settings(parameters), streams: streams)
        // Validated at load; a scenario built in memory without validation gets no projects rather than a crash.
        construction.scheduled = (try? ProjectPlan.decode(
            scenario.sections["projects"], defaults: settings.construction, file: scenario.file)) ?? []
    }

    /// The community's history before day 0 under the traditional mode (every mechanism
    /// switch `….enabled` off): `simulation.warmup_days` days of problems, complaints, disputes,
    /// activities and fees. Then residents' expected resolution time is what they experienced,
    /// and baseline satisfaction is shifted so that the day-0 satisfaction rate equals the
    /// published baseline. Acts and money are counted from day 0.
    /// With `anchorShift` (a scheme overlay, `GovernanceModel.anchorShift`), S₀ is shifted by
    /// the base community's shift instead of one solved on this warm-up.
    mutating func warmUp(_ mechanisms: inout Mechanisms, parameters: ParameterSet, anchorShift: Float? = nil) {
        let w = settings.simulation.warmupDays
        guard w > 0 else { return }
        let day0 = settings
        settings = Settings(GovernanceModel.traditional(parameters))
        let half = -w / 2
        Schedule(days: -w..<0, startsOn: { $0 == half }).run(&self, start: { c, _ in
            // Halfway, residents' expectation is what they have experienced so far, and the
            // rate of satisfaction shocks under it is measured from here on.
            let seen = c.resolvedLog.map { Double($0.days) }
            if !seen.isEmpty { c.expectedDays = GSL.mean(seen) }
            c.shockSum = 0
        }, step: { c, d in c.day(d, &mechanisms) })
        settings = day0
        settleAtBaseline(measuredDays: -half, shift: anchorShift)
    }

    /// Put every household's experience at the traditional mode's stationary level (the mean
    /// weekly shock / (1 − weekly decay), measured in the second half of the warm-up), then
    /// shift S₀ so the day-0 satisfaction rate is the baseline rate — or by `shift` when given
    /// (the anchor's: an overlay's day-0 rate then differs from the baseline by its own effect).
    mutating func settleAtBaseline(measuredDays: Int, shift given: Float? = nil) {
        let n = hh.count
        if measuredDays >= 7, n > 0 {
            let weekly = shockSum / Double(n) / (Double(measuredDays) / 7)
            let decay = pow(0.5, 7 / settings.satisfaction.memoryDays)
            let stationary = Float(weekly / (1 - decay))
            let meanZ = hh.experience.reduce(0, +) / Float(n)
            for h in 0..<n { hh.experience[h] += stationary - meanZ }
        }
        // Shift S₀ so that the share with S ≥ 0.6 is the baseline rate (bisection on the shift).
        let target = settings.baseline.satisfactionRate
        func share(_ shift: Float) -> Double {
            var k = 0
            for h in 0..<n where satisfactionUnclamped(h) - shift >= 0.6 { k += 1 }
            return Double(k) / Double(max(1, n))
        }
        var lo: Float = -1, hi: Float = 1
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            if share(mid) > target { lo = mid } else { hi = mid }
        }
        let shift = given ?? (lo + hi) / 2
        for h in 0..<n { hh.satisfactionBase[h] -= shift }
        satisfactionShift = shift
        for h in 0..<n { hh.acts[h] = 0 }
        actCounts = actCounts.map { _ in 0 }
        ledger = Ledger()
    }

    mutating func advanceCounters(to day: Int) {
        arisen.advance(to: day)
        resolvedCount.advance(to: day)
        complaints.advance(to: day)
        disputes.advance(to: day)
        whistles.advance(to: day)
    }
}
