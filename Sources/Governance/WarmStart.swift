import Foundation
import SimCore
import SimConfig

// A shared warm-up (docs/ODD.md, "Initialisation"): scenarios whose warm-ups see the same
// settings start replication r from one copy of the same day-0 state. Generic: the key is the
// whole scenario as the warm-up sees it, the state is the whole simulation state (the
// community's value state, the mechanisms' values and the exact state of every random stream),
// so no list of parameters or of state is kept here.

/// What a replication's warm-up sees of its scenario: every parameter after the traditional
/// transformation (`GovernanceModel.traditional`: every `.enabled` switch off), compared bit for
/// bit, and the scenario's sections (projects, targets). Two scenarios with equal keys have the
/// same warm-up, given the same replication seed. The timeline is not part of it: it takes
/// effect from day 0, after the warm-up.
///
/// This holds because the set-up of a community and its warm-up read the switches only through
/// the traditional mode (a switch takes effect from day 0); the tests that compare a shared
/// warm-up with a recomputed one (`Tests/PillarsCLITests/SharedWarmUpTests.swift`) would
/// fail if a mechanism read a switch while the community is set up.
public struct WarmUpKey: Sendable, Equatable {
    let parameters: [ParamValueBits]
    let sections: [String: ConfigNode]
    /// The anchor's parameters as its warm-up sees them, for an overlay whose warm-up differs
    /// from its base's (`GovernanceModel.anchor`): they set the baseline shift.
    let anchor: [ParamValueBits]?

    /// A parameter value compared bit for bit (so that 0 and −0 differ, and NaN equals itself).
    enum ParamValueBits: Sendable, Equatable {
        case double(UInt64), int(Int), bool(Bool), choice(String)
        init(_ v: ParamValue) {
            switch v {
            case let .double(x): self = .double(x.bitPattern)
            case let .int(i): self = .int(i)
            case let .bool(b): self = .bool(b)
            case let .choice(c): self = .choice(c)
            }
        }
    }
}

extension GovernanceModel {
    /// The key of `scenario`'s warm-up; nil for a district (each member has its own parameters
    /// and its communities are stepped together: a district is never shared).
    public static func warmUpKey(_ scenario: Scenario) -> WarmUpKey? {
        guard scenario.sections[District.section] == nil else { return nil }
        return WarmUpKey(parameters: traditional(scenario.parameters).values.map(WarmUpKey.ParamValueBits.init),
                         sections: scenario.sections,
                         anchor: anchor(scenario).map { traditional($0).values.map(WarmUpKey.ParamValueBits.init) })
    }

    /// Replication `index` of every scenario in `scenarios`, in their order. With `share`, each
    /// distinct warm-up (`warmUpKey`) is simulated once and every scenario with that key starts
    /// from a copy of its final state; one warm-up state is alive at a time. The results are the
    /// same, bit for bit, as `run` for each scenario (`share: false` does exactly that).
    public static func run(_ scenarios: [Scenario], replication index: Int, masterSeed: UInt64,
                           recordSeries: Bool = false, share: Bool = true) -> [ReplicationResult] {
        var results = [ReplicationResult?](repeating: nil, count: scenarios.count)
        let keys = scenarios.map { share ? warmUpKey($0) : nil }
        var done = [Bool](repeating: false, count: scenarios.count)
        for i in scenarios.indices where !done[i] {
            done[i] = true
            guard let key = keys[i] else {
                results[i] = run(scenarios[i], replication: index, masterSeed: masterSeed, recordSeries: recordSeries, jobs: 1)
                continue
            }
            let start = WarmStart(scenarios[i], replication: index, masterSeed: masterSeed, key: key)
            results[i] = run(scenarios[i], from: start, recordSeries: recordSeries)
            for j in (i + 1)..<scenarios.count where !done[j] && keys[j] == key {
                done[j] = true
                results[j] = run(scenarios[j], from: start, recordSeries: recordSeries)
            }
        }
        return results.map { $0! }
    }

    /// Replication `start.replication` of `scenario` from a warm-up state (its key must be
    /// `scenario`'s): the same result as `run(scenario, replication:masterSeed:)`.
    public static func run(_ scenario: Scenario, from start: WarmStart, recordSeries: Bool = false) -> ReplicationResult {
        precondition(warmUpKey(scenario) == start.key, "a warm-up state is used only for a scenario with its key")
        var series: [[Double]] = []
        var window = SummaryWindow(SimulationSettings(scenario.parameters))
        var community = simulate(scenario, from: start.begin(scenario)) { c, day in
            guard recordSeries || window.covers(day) else { return }
            let row = c.observe(day: day)
            window.add(row, day: day)
            if recordSeries { series.append([Double(day + 1)] + row) }
        }
        let outputs = window.summary(lastDay: community.observe(day: community.settings.simulation.days - 1))
        return ReplicationResult(replication: start.replication, seed: start.seed, outputs: outputs, series: series,
                                 projects: community.projectRecords())
    }
}

/// Replication r's simulation state at day 0, after its warm-up: the community, its mechanisms
/// and the state of every random stream. `begin` hands out a copy to run a scenario from, as
/// often as needed; the streams are restored in place each time, so a warm start is used by
/// one thread at a time (a job), not shared between threads.
public final class WarmStart: @unchecked Sendable {
    public let key: WarmUpKey
    public let replication: Int
    public let seed: UInt64
    private let state: CommunityRun
    private let streams: StreamSet
    private let saved: StreamSet.Snapshot
    private var begun = false

    /// Set up replication `index` of `scenario` and simulate its warm-up.
    public convenience init?(_ scenario: Scenario, replication index: Int, masterSeed: UInt64) {
        guard let key = GovernanceModel.warmUpKey(scenario) else { return nil }
        self.init(scenario, replication: index, masterSeed: masterSeed, key: key)
    }

    init(_ scenario: Scenario, replication index: Int, masterSeed: UInt64, key: WarmUpKey) {
        self.key = key
        replication = index
        seed = Seeds.replication(master: masterSeed, index: index)
        streams = StreamSet(replicationSeed: seed)
        let shift = GovernanceModel.anchorShift(scenario, seed: seed)
        var run = CommunityRun(Community(scenario, parameters: scenario.parameters, streams: streams), streams: streams)
        run.community.warmUp(&run.mechanisms, parameters: scenario.parameters, anchorShift: shift)
        state = run
        saved = streams.snapshot()
    }

    /// A copy of the day-0 state with `scenario`'s own settings (what the warm-up leaves in
    /// place for the scenario that set it up; equal keys mean nothing else differs).
    func begin(_ scenario: Scenario) -> CommunityRun {
        if begun { streams.restore(saved) }
        begun = true
        var run = state
        run.community.settings = Settings(scenario.parameters)
        return run
    }
}

/// Warm starts kept for reuse by jobs on several threads (sweeps and sensitivity rows, whose
/// jobs are single scenario-replications): at most `capacity` states, the least recently used
/// dropped first. A job takes a state out for its run and puts it back, so no two threads use
/// one state at once; a job that finds none simulates the warm-up itself.
public final class WarmStartCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [WarmStart] = []   // most recently returned last
    public let capacity: Int

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    /// Replication `index` of `scenario`, from a cached warm-up when one with its key is free.
    public func run(_ scenario: Scenario, replication index: Int, masterSeed: UInt64, recordSeries: Bool = false) -> ReplicationResult {
        guard capacity > 0, let key = GovernanceModel.warmUpKey(scenario) else {
            return GovernanceModel.run(scenario, replication: index, masterSeed: masterSeed, recordSeries: recordSeries, jobs: 1)
        }
        let seed = Seeds.replication(master: masterSeed, index: index)
        lock.lock()
        let found = entries.lastIndex { $0.replication == index && $0.seed == seed && $0.key == key }
        let start = found.map { entries.remove(at: $0) }
        lock.unlock()
        let warm = start ?? WarmStart(scenario, replication: index, masterSeed: masterSeed, key: key)
        let result = GovernanceModel.run(scenario, from: warm, recordSeries: recordSeries)
        lock.lock()
        entries.append(warm)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        lock.unlock()
        return result
    }
}
