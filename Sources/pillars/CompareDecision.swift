import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// Load `base`, apply scheme overlays in order (`Overlay.swift`), `--set` overrides, and the
/// model's cross-field checks — the scenario `compare --scheme` and `show --scheme` run.
func loadScenario(_ base: String, overlays: [String] = [], overrides: [String]) throws -> Scenario {
    guard !overlays.isEmpty else { return try GovernanceModel.load(base, overrides: overrides) }
    let s = try ScenarioLoader(schema: GovernanceModel.schema).load(base, overlays: overlays, overrides: overrides)
    try GovernanceModel.validate(s)
    return s
}

/// `compare`'s decision options: the objective, the cost, a budget, and replications to a precision.
struct DecisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Objective of the decision table and of --precision (an output; higher is better unless --minimize).", valueName: "output"))
    var objective: String = "participation_rate"
    @Flag(help: "The objective is better when lower (e.g. resolution_days_mean).")
    var minimize = false
    @Option(help: ArgumentHelp("Cost output in yuan per year over the summary window: incentive_cost (cash spent on incentive schemes), cost_total, or one payer's (cost_government, cost_community_funds, cost_residents, cost_enterprises) or one pillar's (cost_deliberation … cost_incentives).", valueName: "output"))
    var cost: String = "incentive_cost"
    @Option(help: ArgumentHelp("Yearly budget (yuan): says whether each scenario's annual cost fits (mean and upper 95 % bound).", valueName: "yuan"))
    var budget: Double?
    @Option(help: ArgumentHelp("Add replications in batches (10, then half as many again each time) until every alternative's objective difference has a 95 % half-width ≤ this (the objective's units; shares as fractions, e.g. 0.02). Replaces --reps.", valueName: "half-width"))
    var precision: Double?
    @Option(name: .customLong("max-reps"), help: ArgumentHelp("With --precision: stop at this many replications (and say so; default: 1000).", valueName: "n"))
    var maxRepsOption: Int?
    /// --max-reps, or 1000.
    var maxReps: Int { maxRepsOption ?? 1000 }

    func validate() throws {
        guard Output(rawValue: objective) != nil else {
            throw ValidationError("--objective: unknown output '\(objective)'; expected one of the outputs in docs/ODD.md (e.g. participation_rate)")
        }
        guard let o = Output(rawValue: cost), o.unit == "yuan per year" else {
            throw ValidationError("--cost: '\(cost)' is not a cost output in yuan per year; expected one of \(Output.allCases.filter { $0.unit == "yuan per year" }.map(\.name).joined(separator: ", "))")
        }
        if let b = budget, !(b.isFinite && b >= 0) { throw ValidationError("--budget must be a yearly amount in yuan ≥ 0 (got \(b))") }
        if let h = precision, !(h.isFinite && h > 0) { throw ValidationError("--precision must be a half-width > 0 (got \(h))") }
        if maxRepsOption != nil, precision == nil {
            throw ValidationError("--max-reps applies only with --precision (it caps the replications added to reach a precision); with a fixed number of replications use --reps")
        }
        guard maxReps >= 2, maxReps <= 1_000_000 else { throw ValidationError("--max-reps must be in 2…1000000 (got \(maxReps))") }
    }
}

/// Replications `from..<to` of every scenario: result[s][i] is replication from + i of scenario s,
/// with the same seeds for every scenario (common random numbers).
/// One job per replication runs every scenario; scenarios whose warm-ups are equal start from
/// one copy of it (`share`, the default; `--no-shared-warmup` recomputes it for each).
func compareOutputs(_ scs: [Scenario], from: Int, to: Int, seed: UInt64, jobs: Int, quiet: Bool,
                    draws: ParameterDraws? = nil, share: Bool = true) throws -> [[[Double]]] {
    let n = to - from, count = scs.count
    guard n > 0 else { return Array(repeating: [], count: count) }
    let progress = Progress(total: n, label: "compare", quiet: quiet)
    let perReplication = try Parallel.map(n, jobs: jobs, progress: { progress.update($0) }) { i in
        GovernanceModel.run(scs.map { draws.scenario($0, replication: from + i) }, replication: from + i, masterSeed: seed, share: share).map(\.outputs)
    }
    return (0..<count).map { s in perReplication.map { $0[s] } }
}

/// How a compare run chose its replications (recorded in the manifest).
struct ReplicationPlan {
    var reps: Int
    var stopped: String
    var batches: [Int]
}

/// Run `reps` replications, or with --precision grow batches until every alternative's
/// objective difference has a 95 % half-width ≤ the target or --max-reps is reached. Each
/// replication's seed depends on its index only, so the outputs equal a plain run with the
/// final count. Returns outputs per scenario per replication.
func runToPrecision(_ scs: [Scenario], options: RunOptions, decision: DecisionOptions,
                    draws: ParameterDraws? = nil, share: Bool = true) throws -> ([[[Double]]], ReplicationPlan) {
    guard let h = decision.precision else {
        return (try compareOutputs(scs, from: 0, to: options.reps, seed: options.seed, jobs: options.jobs, quiet: options.quiet, draws: draws, share: share),
                ReplicationPlan(reps: options.reps, stopped: "--reps \(options.reps)", batches: [options.reps]))
    }
    let m = Output.names.firstIndex(of: decision.objective)!
    var out = Array(repeating: [[Double]](), count: scs.count)
    var n = 0, target = min(10, decision.maxReps)
    var batches = [Int]()
    while true {
        let more = try compareOutputs(scs, from: n, to: target, seed: options.seed, jobs: options.jobs, quiet: options.quiet, draws: draws, share: share)
        for s in scs.indices { out[s] += more[s] }
        batches.append(target)
        n = target
        let widths = (1..<scs.count).map { a in objectiveHalfWidth(out[0].map { $0[m] }, out[a].map { $0[m] }) }
        let worst = widths.max() ?? 0
        if !options.quiet {
            FileHandle.standardError.write(Data("precision: \(n) replications, widest 95 % half-width of \(decision.objective) differences \(String(format: "%.4g", worst)) (target \(h))\n".utf8))
        }
        if widths.allSatisfy({ $0 <= h }) {
            return (out, ReplicationPlan(reps: n, stopped: "precision reached: every \(decision.objective) difference has a 95 % half-width ≤ \(h) (widest \(String(format: "%.4g", worst)))", batches: batches))
        }
        if n >= decision.maxReps {
            return (out, ReplicationPlan(reps: n, stopped: "max-reps reached: \(n) replications, widest 95 % half-width \(String(format: "%.4g", worst)) > \(h)", batches: batches))
        }
        target = Decision.nextReplications(after: n, maxReps: decision.maxReps)
    }
}

/// The Student-t 95 % half-width of the paired differences (NaN pairs left out; infinity when
/// fewer than two pairs are measured, so a precision is never reached on nothing).
private func objectiveHalfWidth(_ base: [Double], _ alt: [Double]) -> Double {
    let d = zip(alt, base).map { $0 - $1 }.filter { !$0.isNaN }
    guard d.count >= 2 else { return .infinity }
    return Estimate(Summary(d)).halfWidth
}

/// The decision table from per-scenario outputs (`out[s][r]`).
func decisionRows(_ scs: [Scenario], labels: [String], outputs out: [[[Double]]], decision: DecisionOptions, seed: UInt64) -> [DecisionRow] {
    let m = Output.names.firstIndex(of: decision.objective)!, c = Output.names.firstIndex(of: decision.cost)!
    let objective = out.map { $0.map { $0[m] } }
    // Cost outputs are yuan per year over the summary window already.
    let annual = scs.indices.map { s in out[s].map { $0[c] } }
    let share = Output(rawValue: decision.objective)!.isShare
    let units = share ? Double(scs[0].parameters.int("population.households")) : 1
    return Decision.analyse(labels: labels, objective: objective, annualCost: annual, units: units,
                            higherIsBetter: !decision.minimize, budget: decision.budget, seed: seed)
}

/// decision.csv: one row per scenario, the baseline first (its differences empty).
func decisionCSV(_ rows: [DecisionRow]) -> String {
    var csv = "scenario,p_best,objective_diff,objective_diff_lo,objective_diff_hi,annual_cost_diff,annual_cost_diff_lo,annual_cost_diff_hi,"
        + "yuan_per_extra_participant,yuan_per_extra_participant_lo,yuan_per_extra_participant_hi,annual_cost,annual_cost_hi,fits_budget,pairs\n"
    for r in rows {
        func est(_ e: Estimate?) -> [String] { e.map { [$0.mean, $0.lo, $0.hi].map(csvNumber) } ?? ["", "", ""] }
        var f = [r.scenario, csvNumber(r.pBest)] + est(r.objectiveDiff) + est(r.annualCostDiff)
        f += r.objectiveDiff != nil && !r.costPerUnitDefined ? ["undefined", "", ""] : est(r.costPerUnit)
        f += [csvNumber(r.annualCost.mean), csvNumber(r.annualCost.hi), r.fitsBudget?.rawValue ?? "", r.objectiveDiff == nil ? "" : String(r.pairs)]
        csv += f.map(csvField).joined(separator: ",") + "\n"
    }
    return csv
}

/// What decision.csv's intervals are (printed under the table, written in the manifest and the report).
let decisionMethod = "differences: mean of paired replications with a Student-t 95 % interval; yuan per extra participant per year: ratio of mean differences Δcost / (Δobjective × households) with a 95 % percentile-bootstrap interval (B = 2000 resamples of the pairs, GSL stream seeded from --seed), undefined when Δobjective's interval includes 0; P(best): share of replications with the best objective, ties split evenly"

func printDecision(_ rows: [DecisionRow], decision: DecisionOptions, share: Bool) {
    let unit = share ? "yuan per extra participating household per year" : "yuan per unit of \(decision.objective) per year"
    print("")
    print("decision (objective \(decision.objective)\(decision.minimize ? ", lower is better" : ""); cost \(decision.cost) per year\(decision.budget.map { ", budget \(display($0, share: false)) yuan per year" } ?? ""))")
    let w = max(14, rows.map(\.scenario.count).max() ?? 0)
    print(pad("scenario", w) + pad("P(best)", 9, right: true) + pad("Δ objective (95 %)", 26, right: true)
          + pad("Δ cost/year (95 %)", 28, right: true) + (decision.budget != nil ? pad("fits budget", 13, right: true) : "") + "   " + unit)
    for r in rows {
        let scale = share ? 100.0 : 1.0
        func num(_ x: Double) -> String { share ? String(format: "%+.1f", x * scale) : String(format: "%+.3g", x) }
        let o = r.objectiveDiff.map { num($0.mean) + " [" + num($0.lo) + ", " + num($0.hi) + "]" + (share ? " pts" : "") } ?? "baseline"
        let c = r.annualCostDiff.map { String(format: "%+.0f [%+.0f, %+.0f]", $0.mean, $0.lo, $0.hi) } ?? ""
        var per = ""
        if r.objectiveDiff != nil {
            per = r.costPerUnit.map { String(format: "%.1f [%.1f, %.1f]", $0.mean, $0.lo, $0.hi) } ?? "undefined (the effect's interval includes 0)"
        }
        print(pad(r.scenario, w) + pad(String(format: "%.3f", r.pBest), 9, right: true) + pad(o, 26, right: true)
              + pad(c, 28, right: true) + (r.fitsBudget.map { pad($0.rawValue, 13, right: true) } ?? "") + "   " + per)
    }
    print("Intervals: \(decisionMethod).")
}
