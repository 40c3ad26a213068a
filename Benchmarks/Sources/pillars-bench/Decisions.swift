// pillars-bench decisions: how long the decisions users make take, whole (issue 17).
//
//   pillars-bench decisions [--only rank|city|sobol]… [--city-communities N] [--city-households N]
//                           [--sobol-n N] [--no-shared-warmup] [--jobs J]
//
// rank:  the nine bundled schemes (Scenarios/schemes/*.yaml) against their baseline
//        (_no-incentives.yaml) on common random numbers, replications added in batches as
//        `pillars compare --precision 0.02` does (10, then half as many again) until every
//        participation_rate difference has a 95 % half-width ≤ 0.02.
// city:  one replication of a district of 6,000 communities × 1,500 households for three years
//        (1,080 days after the 360-day warm-up) on all cores; --city-communities scales it down.
// sobol: Saltelli plan of the 11 calibrated parameters (docs/CALIBRATION.md bounds) on
//        five-pillars.yaml, N = 512 (rows N·(k+2)), 4 replications per row, participation and
//        satisfaction indices.
//
// household_days_per_s counts every household-day a user's results stand for (warm-up days
// included, as if each scenario simulated its own warm-up), so a shared warm-up shows as speed.
import Experiments
import Foundation
import Governance
import SimCore
import SimConfig

func runDecisionsBenchmark(_ args: [String]) -> Int32 {
    var only: Set<String> = []
    var communities = 6_000, households = 1_500, sobolN = 512
    var share = true
    var jobs = Parallel.cores
    var i = 0
    func value() -> String {
        i += 1
        guard i < args.count else { fail("\(args[i - 1]) needs a value") }
        return args[i]
    }
    func int(_ what: String) -> Int {
        guard let n = Int(value()), n > 0 else { fail("\(what) needs a whole number > 0") }
        return n
    }
    while i < args.count {
        switch args[i] {
        case "--only":
            let v = value()
            guard ["rank", "city", "sobol"].contains(v) else { fail("--only takes rank, city or sobol") }
            only.insert(v)
        case "--city-communities": communities = int("--city-communities")
        case "--city-households": households = int("--city-households")
        case "--sobol-n": sobolN = int("--sobol-n")
        case "--no-shared-warmup": share = false
        case "--jobs": jobs = int("--jobs")
        default: fail("unknown option \(args[i]) for decisions")
        }
        i += 1
    }
    if only.isEmpty { only = ["rank", "city", "sobol"] }
    do {
        if only.contains("rank") { try rankDecision(share: share, jobs: jobs) }
        if only.contains("city") { try cityDecision(communities: communities, households: households, jobs: jobs) }
        if only.contains("sobol") { try sobolDecision(n: sobolN, share: share, jobs: jobs) }
    } catch {
        printError("pillars-bench: \(error)")
        return 2
    }
    return 0
}

/// Household-days a replication of `s` stands for: households × (warm-up + run).
private func householdDays(_ s: Scenario) -> Double {
    Double(s.parameters.int("population.households"))
        * Double(s.parameters.int("simulation.days") + s.parameters.int("simulation.warmup_days"))
}

func rankDecision(share: Bool, jobs: Int) throws {
    let folder = "Scenarios/schemes"
    let schemes = try FileManager.default.contentsOfDirectory(atPath: folder)
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }.sorted()
    let base = folder + "/_no-incentives.yaml"
    let loader = ScenarioLoader(schema: GovernanceModel.schema)
    var scs = [try GovernanceModel.load(base)]
    for f in schemes {
        let s = try loader.load(base, overlays: [folder + "/" + f])
        try GovernanceModel.validate(s)
        scs.append(s)
    }
    let all = scs
    let m = Output.participationRate.index
    let t0 = wallSeconds()
    var out = Array(repeating: [Double](), count: scs.count)
    var n = 0, target = 10, worst = Double.infinity
    while true {
        let from = n
        let more = try Parallel.map(target - from, jobs: jobs) { r in
            GovernanceModel.run(all, replication: from + r, masterSeed: 42, share: share).map { $0.outputs[m] }
        }
        for row in more { for s in scs.indices { out[s].append(row[s]) } }
        n = target
        worst = (1..<scs.count).map { a -> Double in
            let d = zip(out[a], out[0]).map { $0 - $1 }.filter { !$0.isNaN }
            return d.count < 2 ? .infinity : (Summary(d).hi - Summary(d).lo) / 2
        }.max() ?? 0
        if worst <= 0.02 || n >= 1000 { break }
        target = Decision.nextReplications(after: n, maxReps: 1000)
    }
    let wall = wallSeconds() - t0
    let hd = scs.reduce(0) { $0 + householdDays($1) } * Double(n)
    print(resultLine([
        "decision": "rank", "seconds": fmt(wall, 4), "replications": String(n), "scenarios": String(scs.count),
        "household_days_per_s": fmt(hd / wall, 4), "widest_half_width": fmt(worst, 3), "shared_warmup": share ? "yes" : "no",
        "jobs": String(jobs), "loadavg_1m": fmt(loadAverage1m(), 3),
    ]))
}

func cityDecision(communities: Int, households: Int, jobs: Int) throws {
    let s = try districtScenario("city-\(communities)", communities: communities, settings: ["population.households: \(households)"])
    let before = currentRSSKiB()
    let t0 = wallSeconds()
    let r = GovernanceModel.run(s, replication: 0, masterSeed: 42, recordSeries: false, jobs: jobs)
    let wall = wallSeconds() - t0
    let peak = peakRSSKiB()
    let hd = Double(communities) * householdDays(s)
    let total = Double(communities * households)
    print(resultLine([
        "decision": "city", "seconds": fmt(wall, 4), "peak_rss_mb": fmt(Double(peak) / 1024, 4),
        "household_days_per_s": fmt(hd / wall, 4), "communities": String(communities), "households": String(communities * households),
        "days": "1080", "bytes_per_household": fmt(Double(peak - before) * 1024 / total, 4),
        "participation_rate": fmt(r.outputs[Output.participationRate.index], 3), "jobs": String(jobs),
        "loadavg_1m": fmt(loadAverage1m(), 3),
    ]))
}

/// The 11 parameters `pillars calibrate` fits (docs/CALIBRATION.md), with its bounds.
let calibratedRanges = [
    "satisfaction.service_weight=0.01:0.5", "satisfaction.expectation_adaptation=0.01:0.6",
    "governance.other_complaints_per_100hh_month=0:10", "evaluation.effort.sensitivity=0:20",
    "evaluation.effort.margin=0:0.3", "sharing.spaces.booking_logit=-8:2", "sharing.exchange.request_logit=-6:3",
    "deliberation.agenda_intercept=-5:1", "deliberation.opinion_sd=0.05:0.6",
    "incentives.volunteers.recruit_per_100hh_month=0:20", "disputes.social_protection=0:10",
]

func sobolDecision(n: Int, share: Bool, jobs: Int) throws {
    let sc = try GovernanceModel.load("Scenarios/five-pillars.yaml")
    let ranges = try calibratedRanges.map(ParameterRange.parse)
    let plan = try SaltelliPlan(parameters: ranges, n: n)
    let reps = 4
    let chosen = [Output.participationRate.index, Output.satisfactionRate.index]
    let t0 = wallSeconds()
    let cache = WarmStartCache(capacity: share ? min(reps * jobs, 64) : 0)
    let means = try Parallel.map(plan.samples.count, jobs: jobs) { row -> [Double] in
        var s = sc
        for (p, x) in zip(ranges, plan.samples[row]) { try s.parameters.set(p.name, number: x) }
        var sums = [Double](repeating: 0, count: chosen.count)
        for r in 0..<reps {
            let o = cache.run(s, replication: r, masterSeed: 42).outputs
            for (j, k) in chosen.enumerated() { sums[j] += o[k] / Double(reps) }
        }
        return sums
    }
    var stTop = [String]()
    for (j, k) in chosen.enumerated() {
        // Centred on the mean of f(A) ∪ f(B) (the first 2N rows), as `pillars sensitivity` does.
        let raw = means.map { $0[j] }, base = raw.prefix(2 * n).filter(\.isFinite)
        let mean = base.isEmpty ? 0 : base.reduce(0, +) / Double(base.count)
        let y = raw.map { $0 - mean }
        let idx = sobolIndices(plan: plan, outputs: y, bootstrap: 0, seed: 42)
        if let top = idx.max(by: { $0.st < $1.st }) { stTop.append("\(Output.allCases[k].name):\(top.parameter)") }
    }
    let wall = wallSeconds() - t0
    let runs = plan.samples.count * reps
    print(resultLine([
        "decision": "sobol", "seconds": fmt(wall, 4), "parameters": String(ranges.count), "n": String(n),
        "rows": String(plan.samples.count), "replications": String(reps), "runs": String(runs),
        "household_days_per_s": fmt(householdDays(sc) * Double(runs) / wall, 4), "top_total_index": stTop.joined(separator: ","),
        "jobs": String(jobs), "loadavg_1m": fmt(loadAverage1m(), 3),
    ]))
}
