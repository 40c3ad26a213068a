import SimCore

/// The results of one replication: its seed, the outputs at the end, and the time series.
public struct ReplicationResult: Sendable {
    public var replication: Int
    public var seed: UInt64
    /// `Output.allCases` order; NaN = nothing to measure.
    public var outputs: [Double]
    /// One row per observed day: the day, then the outputs.
    public var series: [[Double]]
}

/// The governance model: its scenario schema, validation and one replication's run.
public enum GovernanceModel {
    public static let version = "0.1.0"
    public static let scenarioVersions = 1...1

    /// Every parameter, grouped by the mechanism that declares it.
    public static let parameterSpecs: [ParameterSpec] =
        SimulationSettings.parameters + PopulationSettings.parameters + BaselineSettings.parameters
        + ParticipationSettings.parameters + ProblemSettings.parameters + CoGovernanceSettings.parameters
        + DisputeSettings.parameters + SatisfactionSettings.parameters + AmenitySettings.parameters
        + DeliberationSettings.parameters + ConstructionSettings.parameters + PartnerSettings.parameters
        + SharingSettings.parameters + IncentiveSettings.parameters + EvaluationSettings.parameters

    public static let schema = ScenarioSchema(
        registry: ParameterRegistry(parameterSpecs), versions: scenarioVersions, sections: [])

    /// Parameters a timeline may not change: they define the population drawn at the start.
    static let fixedAtStart = ["simulation.", "population.", "baseline."]

    /// Load and validate a scenario file (with `--set` overrides).
    public static func load(_ path: String, overrides: [String] = []) throws -> Scenario {
        let s = try ScenarioLoader(schema: schema).load(path, overrides: overrides)
        try validate(s)
        return s
    }

    /// Cross-field checks that single-parameter ranges cannot express.
    public static func validate(_ s: Scenario) throws {
        for (path, msg) in PopulationSettings(s.parameters).validate() {
            throw ConfigError(at: s.origins[path] ?? Origin(file: s.file), path: path, msg)
        }
        let days = s.parameters.int("simulation.days")
        for (i, e) in s.timeline.enumerated() {
            if e.day >= days {
                throw ConfigError(file: s.file, path: "timeline[\(i)].day",
                                  "day \(e.day) is not before the end of the run (simulation.days = \(days))")
            }
            for c in e.changes where fixedAtStart.contains(where: { c.path.hasPrefix($0) }) {
                throw ConfigError(file: s.file, path: "timeline[\(i)].set.\(c.path)",
                                  "cannot change during a run (population, baseline and simulation settings are fixed at the start)")
            }
        }
    }

    /// Run replication `index` of `scenario` under `masterSeed`. Pure: the same arguments give the same result.
    public static func run(_ scenario: Scenario, replication index: Int, masterSeed: UInt64,
                           recordSeries: Bool = true) -> ReplicationResult {
        let seed = Seeds.replication(master: masterSeed, index: index)
        var series: [[Double]] = []
        var community = simulate(scenario, seed: seed) { c, day in
            if recordSeries { series.append([Double(day + 1)] + c.observe(day: day)) }
        }
        let outputs = community.observe(day: community.settings.simulation.days - 1)
        return ReplicationResult(replication: index, seed: seed, outputs: outputs, series: series)
    }

    /// Simulate one replication with seed `seed`, calling `observer` on each observation day;
    /// returns the final state (tests inspect it).
    static func simulate(_ scenario: Scenario, seed: UInt64, observer: (inout Community, Int) -> Void) -> Community {
        let streams = StreamSet(replicationSeed: seed)
        var community = Community(settings: Settings(scenario.parameters), streams: streams)
        var mechanisms = MechanismRegistry(streams: streams)
        let days = community.settings.simulation.days
        let every = community.settings.simulation.observeEvery
        var nextChange = 0
        for day in 0..<days {
            if nextChange < scenario.timeline.count, scenario.timeline[nextChange].day <= day {
                while nextChange < scenario.timeline.count, scenario.timeline[nextChange].day <= day { nextChange += 1 }
                community.settings = Settings(scenario.parameters(onDay: day))
            }
            community.advanceCounters(to: day)
            mechanisms.day(&community, day)
            if (day + 1) % every == 0 || day == days - 1 { observer(&community, day) }
            if Cadence.monthly.fires(on: day) { community.pruneLogs(day: day) }
        }
        return community
    }
}

extension Community {
    mutating func advanceCounters(to day: Int) {
        arisen.advance(to: day)
        resolvedCount.advance(to: day)
        complaints.advance(to: day)
        disputes.advance(to: day)
        whistles.advance(to: day)
    }
}
