import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare scenarios on common random numbers: paired differences with 95 % intervals for every outcome and group.",
        usage: "pillars compare <baseline> [<alternative> ...] [--scheme <overlay> ...]",
        discussion: """
        The first scenario is the baseline. Replication r of every scenario uses the same seed \
        (derived from --seed and r), so the noise they share cancels in the difference \
        alternative − baseline, taken replication by replication (a paired comparison; Student-t \
        95 % interval). --set applies to every scenario. A replication where either scenario \
        has nothing to measure for an outcome is left out of that outcome's pairs.

        Prints a table (differences marked * when the interval excludes 0; shares in \
        percentage points) and writes comparison.csv — metric,group,baseline,alternative,\
        diff_mean,lo95,hi95, one row per outcome, with the group (owner, tenant, young, middle, \
        elderly, or all) in its own column; with several alternatives a first column \
        `scenario` names the alternative of each row — and manifest.json.

        --scheme OVERLAY adds an alternative: the baseline with the overlay's settings applied \
        (a scheme file holds only what it changes, so it fits any community). After the \
        comparison a decision table (also decision.csv) gives, for each alternative against \
        the baseline: P(best) (share of replications in which each scenario has the best \
        --objective, ties split), the change in the objective and in the annual --cost (a \
        cost output in yuan per year over the summary window) with Student-t 95 % intervals, the yuan \
        per extra participating household per year (Δcost / (Δobjective × households), 95 % \
        percentile-bootstrap interval, B = 2000; undefined when Δobjective's interval \
        includes 0), and with --budget whether the annual cost fits. --precision H adds \
        replications in batches until every objective difference's 95 % half-width is ≤ H.

        Example:
          pillars compare Scenarios/traditional.yaml \\
              Scenarios/five-pillars.yaml --reps 50
          pillars compare mine.yaml --scheme Scenarios/schemes/points-all.yaml \\
              --precision 0.02 --budget 100000
        """)

    @Argument(help: "Scenario files (YAML): the baseline first, then zero or more alternatives.") var scenarios: [String]
    @Option(name: .customLong("scheme"), help: ArgumentHelp("A scheme overlay applied to the baseline: one more alternative (repeatable).", valueName: "overlay"))
    var schemes: [String] = []
    @OptionGroup var options: RunOptions
    @OptionGroup var decision: DecisionOptions
    @OptionGroup var posterior: PosteriorOption
    @OptionGroup var warmUp: WarmUpOptions
    @Option(help: outHelp("compare-BASELINE-vs-ALTERNATIVE-TIME")) var out: String?
    @Flag(help: "Replace the files of an earlier comparison in --out.") var overwrite = false

    func validate() throws {
        guard scenarios.count >= 1, scenarios.count + schemes.count >= 2 else {
            throw ValidationError("compare needs a baseline and at least one alternative scenario or --scheme (got \(scenarios.count) scenario(s), \(schemes.count) scheme(s))")
        }
    }

    func run() throws {
        let started = Date()
        let scs = try reportingErrors {
            try scenarios.map { try GovernanceModel.load($0, overrides: options.overrides) }
                + schemes.map { try loadScenario(scenarios[0], overlays: [$0], overrides: options.overrides) }
        }
        let labels = scenarioLabels(scs, files: scenarios + schemes)
        let draws = try reportingErrors { try posterior.load(checking: scs, replications: decision.precision == nil ? options.reps : max(options.reps, decision.maxReps), options: options, comparing: true) }
        let base = scs[0]
        let (outDir, lock) = try reportingErrors { () throws -> (URL, FolderLock) in
            try claimOutput(out, default: experimentOutDir(
                "compare", fileStem(base) + "-vs-" + fileStem(scs[1]) + (scs.count > 2 ? "-etc" : ""), started: started), overwrite: overwrite) { _ in
                for s in scs { try ResourceCheck.checkModel(s, concurrent: min(options.jobs, options.reps), maxMemory: options.maxMemory) }
            }
        }
        defer { lock.release() }
        // The same seeds for every scenario; with --precision, in batches (CompareDecision.swift).
        let (perScenario, plan) = try runToPrecision(scs, options: options, decision: decision, draws: draws, share: warmUp.share)
        let reps = plan.reps, seed = options.seed, count = scs.count
        let outputs = perScenario.flatMap { $0 }   // index: scenario * reps + replication
        let decisionTable = decisionRows(scs, labels: labels, outputs: perScenario, decision: decision, seed: seed)
        var rows = [ComparisonRow]()
        for a in 1..<count {
            for (m, name) in Output.names.enumerated() {
                var b = [Double](), x = [Double]()
                for r in 0..<reps {
                    let u = outputs[r][m], v = outputs[a * reps + r][m]
                    if !u.isNaN, !v.isNaN { b.append(u); x.append(v) }
                }
                let (metric, group) = splitGroup(name)
                let d = b.isEmpty ? nil : pairedDifference(metric: name, baseline: b, alternative: x)
                rows.append(ComparisonRow(alternative: labels[a], output: name, metric: metric, group: group, pairs: b.count, difference: d))
            }
        }
        // Files first, then the terminal: `pillars compare … | head` must not lose comparison.csv.
        try reportingErrors {
            let several = count > 2
            var csv = (several ? "scenario," : "") + "metric,group,baseline,alternative,diff_mean,lo95,hi95\n"
            for r in rows {
                var fields = several ? [r.alternative] : []
                fields += [r.metric, r.group]
                if let d = r.difference {
                    fields += [d.baseline.mean, d.alternative.mean, d.difference.mean, d.difference.lo, d.difference.hi].map(csvNumber)
                } else {
                    fields += Array(repeating: "", count: 5)
                }
                csv += fields.map(csvField).joined(separator: ",") + "\n"
            }
            let compared: [[String: Any]] = scs.enumerated().map { i, s in
                let text = ScenarioEmitter.yaml(s)
                return ["label": labels[i], "scenario_file": s.file, "scenario_name": s.name,
                        "scenario_hash": "fnv1a64:" + contentHash(text), "scenario": text,
                        "role": i == 0 ? "baseline" : "alternative",
                        "scheme_overlay": i >= scenarios.count ? schemes[i - scenarios.count] : NSNull()]
            }
            try Publish.folder([("comparison.csv", csv), ("decision.csv", decisionCSV(decisionTable)),
                                ("outputs.csv", Output.dictionaryCSV),
                                ("manifest.json", manifest(base, seed: seed, reps: reps, started: started,
                                                           extra: ["verb": "compare", "compared": compared,
                                                                   "decision": decisionManifest(plan),
                                                                   "posterior": posterior.posterior ?? NSNull()]))], to: outDir)
        }
        if !options.quiet {
            printComparison(rows, labels: labels, reps: reps, seed: seed, base: base, elapsed: Date().timeIntervalSince(started))
            printDecision(decisionTable, decision: decision, share: Output(rawValue: decision.objective)!.isShare)
            if decision.precision != nil { print("replications: \(plan.stopped)") }
            print("results: \(outDir.path)")
        }
    }

    /// What the manifest records of the decision outputs and of how the replications were chosen.
    private func decisionManifest(_ plan: ReplicationPlan) -> [String: Any] {
        var d: [String: Any] = ["objective": decision.objective, "minimize": decision.minimize, "cost": decision.cost,
                                "cost_per_year": "\(decision.cost) (yuan per year over the last simulation.summary_days)", "method": decisionMethod,
                                "replications": plan.reps, "replications_stopped": plan.stopped, "batches": plan.batches]
        if let b = decision.budget { d["budget_per_year"] = b }
        if let h = decision.precision { d["precision_half_width"] = h; d["max_reps"] = decision.maxReps }
        return d
    }
}

private struct ComparisonRow {
    var alternative: String
    var output: String
    var metric: String
    var group: String
    var pairs: Int
    var difference: PairedDifference?
}

/// The population groups of the group outputs (name suffixes `_owner`, `_tenant`, …).
let outputGroups = ["owner", "tenant", "young", "middle", "elderly"]

/// `participation_rate_tenant` → (`participation_rate`, `tenant`); others → (name, `all`).
func splitGroup(_ name: String) -> (metric: String, group: String) {
    for g in outputGroups where name.hasSuffix("_" + g) && name.count > g.count + 1 {
        return (String(name.dropLast(g.count + 1)), g)
    }
    return (name, "all")
}

/// Scenario names for tables, made unique (the file path, then a number, when names repeat).
func scenarioLabels(_ scs: [Scenario], files: [String]) -> [String] {
    var labels = scs.map(\.name)
    for i in labels.indices where labels.filter({ $0 == labels[i] }).count > 1 {
        labels[i] = files[i]
    }
    var seen = [String: Int]()
    for i in labels.indices {
        seen[labels[i], default: 0] += 1
        if seen[labels[i]]! > 1 { labels[i] += " #\(seen[labels[i]]!)" }
    }
    return labels
}

private func printComparison(_ rows: [ComparisonRow], labels: [String], reps: Int, seed: UInt64, base: Scenario, elapsed: Double) {
    print("baseline \(labels[0]) vs \(labels.dropFirst().joined(separator: ", ")): \(reps) replications each on common random numbers (seed \(seed)), \(base.parameters[\PopulationSettings.households]) households, \(base.parameters[\SimulationSettings.days]) days  (\(formatDuration(elapsed)))")
    let w0 = 30, w1 = 8
    var anySignificant = false
    for alt in labels.dropFirst() {
        let wb = max(12, labels[0].count), wa = max(12, alt.count)
        print("")
        print(pad("outcome", w0) + pad("group", w1) + pad(labels[0], wb, right: true) + "  " + pad(alt, wa, right: true) + "   difference (95 % interval)")
        var unmeasured = [String]()
        for r in rows where r.alternative == alt {
            let share = Output(rawValue: r.output)?.isShare ?? false
            guard let d = r.difference else {
                unmeasured.append(r.output)
                continue
            }
            let mark = d.isSignificant ? "  *" : ""
            anySignificant = anySignificant || d.isSignificant
            print(pad(r.metric, w0) + pad(r.group, w1) + pad(display(d.baseline.mean, share: share), wb, right: true) + "  "
                  + pad(display(d.alternative.mean, share: share), wa, right: true) + "   "
                  + differenceText(d.difference, share: share, pairs: r.pairs, reps: reps) + mark)
        }
        if !unmeasured.isEmpty {
            print("not measured in any pair of replications (empty in comparison.csv): " + unmeasured.joined(separator: ", "))
        }
    }
    print("")
    print(anySignificant ? "* the 95 % interval of the difference excludes 0. Shares differ in percentage points (pts)."
                         : "No difference's 95 % interval excludes 0. Shares differ in percentage points (pts).")
}

/// `+18.6 ± 1.1 pts` for shares (percentage points), `-0.42 ± 0.10` otherwise.
private func differenceText(_ d: Summary, share: Bool, pairs: Int, reps: Int) -> String {
    let scale = share ? 100.0 : 1.0
    let mean = d.mean * scale, half = (d.hi - d.lo) / 2 * scale
    func num(_ x: Double) -> String {
        if share { return String(format: "%.1f", x) }
        return display(x, share: false)
    }
    var s = (mean >= 0 ? "+" : "") + num(mean == 0 ? 0 : mean)
    if pairs > 1 { s += " ± " + num(half) }
    if share { s += " pts" }
    if pairs < reps { s += "  (\(pairs) of \(reps) pairs measured)" }
    return s
}
