import Foundation
import SimCore
import SimConfig

/// District mode (docs/ODD.md §2 "District"; issue 3 item 8): many communities in one run, with
/// differing resources and baselines, competing in the co-evaluation ranking for project money.
///
/// A scenario with a `communities:` section is a district. Each entry is
/// `{name: …, count: N (default 1), set: {param.path: value, …}}`; its `set` is applied on top
/// of the scenario's parameters (the timeline then applies to every community and wins on the
/// paths it changes). `simulation.*` (one calendar) and `evaluation.district.*` (district rules)
/// are district-wide and may not be set per community. Every community gets its own seed,
/// derived from the replication seed and its index, and the scenario's `projects:`.
///
/// The communities are stepped day by day together. On each quarterly evaluation day, after
/// every community's own survey, the communities with co-evaluation on are ranked by the mean
/// of their last `evaluation.district.ranking_quarters` scores (ties: lower index first); the
/// top `evaluation.district.top_share` (⌊share × ranked⌋, at least 1) get project money first:
/// `c.evaluation.fundingPriority` is set and `c.evaluation.fiscalMultiplier` (read by
/// co-construction as a multiplier on the yearly fiscal budget) becomes
/// `evaluation.district.priority_multiplier`. Budget rule (budget-neutral, default): the ranked
/// communities' fiscal budgets form the district's budget B; priority communities are served
/// first (m × their budget, m capped so they cannot take more than B) and the others share what
/// is left pro rata: their multiplier is (B − m·B_top) / B_rest. Without budget neutrality the
/// others keep multiplier 1 (the district adds the priority money). A community awarded in its own
/// survey (score ≥ `evaluation.award_threshold`) has its multiplier multiplied by
/// 1 + `evaluation.award.budget_bonus`, paid by the district on top of the budget rule.
///
/// Outputs: district totals — household-weighted means of rates, shares, per-100-household
/// rates, day counts and effort; sums of counts and money — and one row per community.
public struct DistrictMember: Sendable {
    public var name: String
    /// Index of the entry in `communities:` it comes from.
    public var entry: Int
    /// The community's parameters at the start (scenario + the entry's `set`).
    public var parameters: ParameterSet
}

public enum District {
    public static let section = "communities"
    public static let maxCommunities = 10_000
    /// Parameters a community entry may not set: they are the district's.
    static let districtWide = ["simulation.", "evaluation.district."]

    /// Combine per-community output rows into district totals. NaN values (nothing measured)
    /// are left out; an output no community measured is NaN.
    public static func combine(_ rows: [[Double]], households: [Int]) -> [Double] {
        var out = [Double](repeating: .nan, count: Output.allCases.count)
        for (k, o) in Output.allCases.enumerated() {
            let mean = o.aggregation == .householdMean
            var s = 0.0, w = 0.0
            for (i, r) in rows.enumerated() where !r[k].isNaN {
                let wi = mean ? Double(households[i]) : 1
                s += wi * r[k]
                w += wi
            }
            if w > 0 { out[k] = mean ? s / w : s }
        }
        return out
    }

    /// The communities of a district scenario (nil when it has no `communities:` section),
    /// with errors naming `communities[i]…`.
    public static func members(_ s: Scenario) throws -> [DistrictMember]? {
        guard let node = s.sections[section] else { return nil }
        let records = try node.records(section, keys: ["name", "count", "set"], entry: "a community entry", allowEmpty: false)
        var out: [DistrictMember] = []
        var names = Set<String>()
        for (i, item) in records.enumerated() {
            let p = item.path
            let name = try item.text("name", nonEmpty: true) ?? "community-\(i + 1)"
            let count = Int(try item.number("count", in: 1...Double(maxCommunities), whole: true) ?? 1)
            var params = s.parameters
            var origins: [String: Origin] = [:]
            if let sn = item["set"] {
                guard case .mapping = sn else {
                    throw ConfigError(at: sn.origin, path: "\(p).set", "expected a mapping of parameter paths to values, got \(sn.kindName)")
                }
                // One parameter given dotted and nested in one `set:` is refused, as at the top level.
                guard case let .mapping(sp, _) = try ScenarioLoader(schema: GovernanceModel.schema).expandDotted(sn, inside: "\(p).set") else { continue }
                try assign(sp, prefix: "", into: &params, origins: &origins, errorPrefix: "\(p).set")
            }
            // Cross-field checks, at the start and after every timeline entry.
            for (path, msg) in PopulationSettings(params).validate() + EvaluationSettings(params).validate() {
                throw ConfigError(at: origins[path] ?? item.origin, path: "\(p).set.\(path)", msg)
            }
            for (t, e) in s.timeline.enumerated() {
                for (path, msg) in EvaluationSettings(parameters(params, s.timeline, onDay: e.day)).validate() {
                    throw ConfigError(at: item.origin, path: p, "from timeline[\(t)] on, \(path): \(msg)")
                }
            }
            for k in 0..<count {
                let n = count == 1 ? name : "\(name)-\(k + 1)"
                guard names.insert(n).inserted else {
                    throw ConfigError(at: item.origin, path: "\(p).name", "duplicate community name '\(n)'")
                }
                out.append(DistrictMember(name: n, entry: i, parameters: params))
            }
            guard out.count <= maxCommunities else {
                throw ConfigError(at: item.origin, path: p, "more than \(maxCommunities) communities in all")
            }
        }
        return out
    }

    /// Check the `communities:` section (no-op without one).
    public static func validate(_ s: Scenario) throws { _ = try members(s) }

    /// Set parameters from a `set:` mapping (dotted paths or nested sections).
    static func assign(_ pairs: [(key: String, value: ConfigNode)], prefix: String, into p: inout ParameterSet,
                       origins: inout [String: Origin], errorPrefix: String) throws {
        let reg = p.registry
        for (k, v) in pairs {
            let path = prefix.isEmpty ? k : prefix + "." + k
            let at = "\(errorPrefix).\(path)"
            if let spec = reg[path] {
                guard case let .scalar(t, q, o) = v else {
                    throw ConfigError(at: v.origin, path: at, "expected \(spec.expectation), got \(v.kindName)")
                }
                if districtWide.contains(where: { path.hasPrefix($0) }) {
                    throw ConfigError(at: o, path: at, "is district-wide; set it at the top level of the scenario, not per community")
                }
                switch spec.parse(t, quoted: q) {
                case let .success(x):
                    p[path] = x
                    origins[path] = o
                case let .failure(e):
                    throw ConfigError(at: o, path: at, e.message)
                }
            } else if reg.isSection(path) {
                guard case let .mapping(sub, _) = v else {
                    throw ConfigError(at: v.origin, path: at, "expected a mapping of parameters, got \(v.kindName)")
                }
                try assign(sub, prefix: path, into: &p, origins: &origins, errorPrefix: errorPrefix)
            } else {
                var msg = "unknown parameter"
                if let s = reg.suggestion(for: path) { msg += " (did you mean '\(s)'?)" }
                msg += "; `pillars params` lists every parameter"
                throw ConfigError(at: v.origin, path: at, msg)
            }
        }
    }

    /// `base` with every timeline entry up to `day` applied.
    static func parameters(_ base: ParameterSet, _ timeline: [TimelineEntry], onDay day: Int) -> ParameterSet {
        var p = base
        for e in timeline where e.day <= day { for c in e.changes { p[c.path] = c.value } }
        return p
    }

    /// The quarterly ranking and the budget rule (see the type's documentation).
    public static func applyRanking(_ cs: inout [Community], budgets: [Double], _ s: EvaluationSettings) {
        var ranked: [(i: Int, score: Double)] = []
        for i in cs.indices {
            cs[i].evaluation.rank = 0
            cs[i].evaluation.rankTarget = 0
            cs[i].evaluation.fundingPriority = false
            // The community's own award (1 when none) is paid on top of the ranking's share.
            cs[i].evaluation.fiscalMultiplier = cs[i].evaluation.awardMultiplier
            guard cs[i].settings.evaluation.enabled else { continue }
            let x = cs[i].evaluation.recentScore(s.districtRankingQuarters)
            if !x.isNaN { ranked.append((i, x)) }
        }
        guard !ranked.isEmpty else { return }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.i < $1.i }
        let top = s.districtTopShare > 0 ? max(1, Int((s.districtTopShare * Double(ranked.count) + 1e-9).rounded(.down))) : 0
        let total = ranked.reduce(0) { $0 + budgets[$1.i] }
        let topBudget = ranked.prefix(top).reduce(0) { $0 + budgets[$1.i] }
        let restBudget = total - topBudget
        var mTop = s.districtPriorityMultiplier, mRest = 1.0
        if s.districtBudgetNeutral {
            if restBudget > 0, topBudget > 0 {
                mTop = min(mTop, total / topBudget)
                mRest = max(0, (total - mTop * topBudget) / restBudget)
            } else {
                mTop = 1
            }
        }
        // The ranking's pressure: a community outside the top share aims for the score that got in.
        let cutoff = top > 0 ? ranked[min(top, ranked.count) - 1].score : 0
        for (r, e) in ranked.enumerated() {
            cs[e.i].evaluation.rank = r + 1
            cs[e.i].evaluation.fundingPriority = r < top
            cs[e.i].evaluation.rankTarget = r < top ? 0 : cutoff
            cs[e.i].evaluation.fiscalMultiplier = (r < top ? mTop : mRest) * cs[e.i].evaluation.awardMultiplier
        }
    }
}

extension GovernanceModel {
    /// Names of a district scenario's communities, in order (empty for a single community).
    public static func communityNames(_ s: Scenario) -> [String] {
        (try? District.members(s))?.map(\.name) ?? []
    }

    /// Run replication `index` of a district scenario: district totals as the outputs and
    /// series, one row of outputs per community in `communities`. Pure, like `run`.
    public static func runDistrict(_ scenario: Scenario, replication index: Int, masterSeed: UInt64,
                                   recordSeries: Bool = true, jobs: Int = Parallel.cores) -> ReplicationResult {
        let seed = Seeds.replication(master: masterSeed, index: index)
        var series: [[Double]] = []
        let simulation = SimulationSettings(scenario.parameters)
        var total = SummaryWindow(simulation)
        var each: [SummaryWindow] = []
        let window = total
        var cs = simulateDistrict(scenario, seed: seed, jobs: jobs, observes: { recordSeries || window.covers($0) }) { cs, day in
            let rows = District.observe(&cs, day: day, jobs: jobs)
            let combined = District.combine(rows, households: cs.map(\.hh.count))
            if each.isEmpty { each = Array(repeating: SummaryWindow(simulation), count: cs.count) }
            for i in rows.indices { each[i].add(rows[i], day: day) }
            total.add(combined, day: day)
            if recordSeries { series.append([Double(day + 1)] + combined) }
        }
        let last = simulation.days - 1
        let rows = District.observe(&cs, day: last, jobs: jobs)
        return ReplicationResult(replication: index, seed: seed,
                                 outputs: total.summary(lastDay: District.combine(rows, households: cs.map(\.hh.count))),
                                 series: series, communities: rows.indices.map { each[$0].summary(lastDay: rows[$0]) },
                                 projects: cs.indices.flatMap { cs[$0].projectRecords(community: $0) })
    }

    /// Simulate the communities of a district together with replication seed `seed`, calling
    /// `observer` on each observation day; returns their final states (tests inspect them).
    /// `observes` says on which observation days the observer wants the communities (the
    /// others are skipped: handing them over copies every community).
    static func simulateDistrict(_ scenario: Scenario, seed: UInt64, jobs: Int = Parallel.cores,
                                 observes: @escaping @Sendable (Int) -> Bool = { _ in true },
                                 observer: (inout [Community], Int) -> Void) -> [Community] {
        guard let members = try? District.members(scenario) else {
            preconditionFailure("\(scenario.file): not a valid district scenario (validate it with GovernanceModel.validate first)")
        }
        // Communities interact only through the quarterly ranking, so between synchronisation
        // days (observations, rankings, timeline changes) they are stepped in parallel; the
        // result does not depend on the number of threads.
        var group: [CommunityRun?] = Array(repeating: nil, count: members.count)
        Parallel.mutateEach(&group, jobs: jobs) { slot, i in
            let streams = StreamSet(replicationSeed: Seeds.purpose("community.\(i)", replicationSeed: seed))
            var run = CommunityRun(Community(scenario, parameters: members[i].parameters, streams: streams), streams: streams)
            run.community.warmUp(&run.mechanisms, parameters: members[i].parameters)
            slot = run
        }
        var runs = group.map { $0! }
        var current = members.map(\.parameters)
        let days = scenario.parameters[\SimulationSettings.days]
        let every = scenario.parameters[\SimulationSettings.observeEvery]
        var district = EvaluationSettings(scenario.parameters)
        let timeline = scenario.timeline
        Schedule(days: 0..<days, startsOn: { scenario.timelineChanges(onDay: $0) },
                 endsOn: { d in Cadence.quarterly.fires(on: d) || ((d + 1) % every == 0 || d == days - 1) && observes(d) })
            .run(&runs, jobs: jobs, start: { runs, day in
                for i in runs.indices {
                    current[i] = District.parameters(members[i].parameters, timeline, onDay: day)
                    runs[i].community.settings = Settings(current[i])
                }
                district = EvaluationSettings(scenario.parameters(onDay: day))
            }, step: { r, d in r.day(d) }, end: { runs, end in
                let ranks = Cadence.quarterly.fires(on: end)
                let observing = ((end + 1) % every == 0 || end == days - 1) && observes(end)
                guard ranks || observing else { return }
                var cs = runs.map(\.community)
                if ranks {
                    // Each community's yearly fiscal budget weighs it in the budget rule.
                    let budgets = current.map { $0[\ConstructionSettings.fiscalBudgetPerYear] }
                    District.applyRanking(&cs, budgets: budgets, district)
                }
                if observing { observer(&cs, end) }
                for i in runs.indices { runs[i].community = cs[i] }
            })
        return runs.map(\.community)
    }
}
