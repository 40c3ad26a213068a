import ArgumentParser
import Foundation
import Governance
import SimCore

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Sobol first-order and total indices of chosen outputs, with bootstrap intervals (Saltelli sampling).",
        usage: "pillars sensitivity <scenario> --param <path=range> ... [<options>]",
        discussion: """
        Builds a Saltelli plan of N·(k+2) rows over the k parameters (N = --samples, from a \
        2k-dimensional Sobol sequence; a power of two is best), evaluates each row as the mean \
        over --reps replications (replication r of every row uses the same seed: common random \
        numbers), and estimates for each output S1 (first order, Saltelli 2010, on the outputs \
        centred on their mean) and ST (total, Jansen) with percentile bootstrap 95 % intervals \
        over the N base rows. The runs are \
        N·(k+2)·R; with few replications the replication noise inflates ST.

        Writes sensitivity.csv (metric,parameter,s1,s1_lo,s1_hi,st,st_lo,st_hi), samples.csv \
        (row,matrix, the parameters, then the chosen outputs' means: the evaluated plan) and \
        manifest.json.

        Example:
          pillars sensitivity Scenarios/five-pillars.yaml \\
              --samples 64 --reps 5 \\
              --param governance.whistle.compliance=0.5:1 \\
              --param participation.tenant_factor=0.2:0.8 \\
              --param governance.department_days=4:20 \\
              --outputs participation_rate,satisfaction_rate
        """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(name: .customLong("param"),
            help: ArgumentHelp("A parameter to vary: path=lo:hi, path=lo:hi:step or path=v1,v2,… (repeatable).", valueName: "path=range"))
    var params: [String] = []
    @Option(help: "Base sample size N of the Saltelli plan (a power of two is best).") var samples: Int = 64
    @Option(help: "Bootstrap resamples for the intervals (0: none).") var bootstrap: Int = 500
    @Option(help: ArgumentHelp("Outputs to analyse, comma-separated.", valueName: "name1,name2"))
    var outputs: String = "participation_rate,satisfaction_rate"
    @OptionGroup var options: RunOptions
    @Option(help: outHelp("sensitivity-NAME-TIME")) var out: String?
    @Flag(help: "Replace the files of an earlier analysis in --out.") var overwrite = false

    func validate() throws {
        guard samples >= 2, samples <= 1_000_000 else { throw ValidationError("--samples must be in 2…1000000 (got \(samples))") }
        guard bootstrap >= 0, bootstrap <= 1_000_000 else { throw ValidationError("--bootstrap must be in 0…1000000 (got \(bootstrap))") }
    }

    func run() throws {
        let started = Date()
        let reps = options.reps, seed = options.seed
        let (sc, plan, chosen) = try reportingErrors { () throws -> (Scenario, SaltelliPlan, [Int]) in
            let sc = try GovernanceModel.load(scenario, overrides: options.overrides)
            let ranges = try sweepParameters(params, registry: GovernanceModel.schema.registry)
            let chosen = try outputIndices(outputs)
            let plan = try SaltelliPlan(parameters: ranges, n: samples)
            for (i, row) in plan.samples.enumerated() { _ = try pointScenario(sc, ranges, row, index: i) }
            return (sc, plan, chosen)
        }
        if !options.quiet { warnTimeline(sc, plan.parameters) }
        let outDir = try reportingErrors {
            try newOrEmptyOutDir(out, default: experimentOutDir("sensitivity", sc, started: started), overwrite: overwrite)
        }
        let ranges = plan.parameters
        let rows = plan.samples
        let progress = Progress(total: rows.count, label: "sensitivity", quiet: options.quiet)
        // Row i: the mean of each chosen output over the replications that measured it.
        let jobs = options.jobs
        let means = try reportingErrors { try Parallel.map(rows.count, jobs: jobs, progress: { progress.update($0) }) { i -> [Double] in
            var s = sc
            for (p, x) in zip(ranges, rows[i]) { try s.parameters.set(p.name, number: x) }
            var sum = [Double](repeating: 0, count: chosen.count), n = [Int](repeating: 0, count: chosen.count)
            for r in 0..<reps {
                let out = GovernanceModel.run(s, replication: r, masterSeed: seed, recordSeries: false).outputs
                for (j, o) in chosen.enumerated() where !out[o].isNaN {
                    sum[j] += out[o]
                    n[j] += 1
                }
            }
            return zip(sum, n).map { $1 > 0 ? $0 / Double($1) : .nan }
        } }
        let names = Output.names
        var results = [(metric: String, indices: [SobolIndices])]()
        for (j, o) in chosen.enumerated() {
            results.append((names[o], sobolIndices(plan: plan, outputs: centred(means.map { $0[j] }, n: plan.n), bootstrap: bootstrap, seed: seed)))
        }
        if !options.quiet { printIndices(results, sc: sc, plan: plan, reps: reps, seed: seed, elapsed: Date().timeIntervalSince(started)) }
        try reportingErrors {
            var csv = "metric,parameter,s1,s1_lo,s1_hi,st,st_lo,st_hi\n"
            for (metric, indices) in results {
                for x in indices {
                    csv += ([metric, x.parameter] + [x.s1, x.s1Lo, x.s1Hi, x.st, x.stLo, x.stHi].map(csvNumber))
                        .map(csvField).joined(separator: ",") + "\n"
                }
            }
            try ResultsFiles.write(csv, to: outDir.appendingPathComponent("sensitivity.csv"))
            let k = ranges.count, n = plan.n
            var table = (["row", "matrix"] + ranges.map(\.name) + chosen.map { names[$0] }).map(csvField).joined(separator: ",") + "\n"
            for (i, row) in rows.enumerated() {
                let block = i / n
                let matrix = block == 0 ? "A" : block == 1 ? "B" : "AB:" + ranges[min(block - 2, k - 1)].name
                table += ([String(i), matrix] + row.map(formatNumber) + means[i].map(csvNumber)).map(csvField).joined(separator: ",") + "\n"
            }
            try ResultsFiles.write(table, to: outDir.appendingPathComponent("samples.csv"))
            let extra: [String: Any] = [
                "verb": "sensitivity", "parameters": ranges.map { SweepRecord.describe(.init($0)) },
                "samples": samples, "plan_rows": rows.count, "bootstrap": bootstrap,
                "analysed_outputs": chosen.map { names[$0] },
            ]
            try ResultsFiles.write(manifest(sc, seed: seed, reps: reps, started: started, extra: extra),
                                   to: outDir.appendingPathComponent("manifest.json"))
            try writeOutputsDictionary(outDir)
        }
        if !options.quiet { print("results: \(outDir.path)") }
    }
}

/// The outputs minus the mean of f(A) ∪ f(B). The indices' estimands do not change under a
/// shift, but the first-order estimator mean(f(B)·(f(AB_i) − f(A))) carries a term
/// proportional to the outputs' mean times sampling noise; centring removes it, which
/// matters for outputs such as rates whose mean is large next to their spread.
func centred(_ y: [Double], n: Int) -> [Double] {
    let base = y.prefix(2 * n).filter { $0.isFinite }
    guard !base.isEmpty else { return y }
    let m = base.reduce(0, +) / Double(base.count)
    return y.map { $0 - m }
}

/// Indices in `Output.allCases` of comma-separated output names; unknown names are an error
/// listing the valid ones.
func outputIndices(_ text: String) throws -> [Int] {
    let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
        throw ExperimentError("--outputs '\(text)': expected comma-separated output names (valid: \(Output.names.joined(separator: ", ")))")
    }
    var seen = Set<Int>()
    var out = [Int]()
    for n in names {
        guard let i = Output.names.firstIndex(of: n) else {
            throw ExperimentError("--outputs: unknown output '\(n)' (valid: \(Output.names.joined(separator: ", ")))")
        }
        if seen.insert(i).inserted { out.append(i) }
    }
    return out
}

private func printIndices(_ results: [(metric: String, indices: [SobolIndices])], sc: Scenario, plan: SaltelliPlan,
                          reps: Int, seed: UInt64, elapsed: Double) {
    print("sensitivity of \(sc.name): \(plan.parameters.count) parameters, N = \(plan.n): \(plan.samples.count) plan rows × \(reps) replications (seed \(seed))  (\(formatDuration(elapsed)))")
    let w = max(30, (plan.parameters.map(\.name.count).max() ?? 0) + 2)
    func f(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.3f", x) }
    for (metric, indices) in results {
        print("")
        print(metric)
        print("  " + pad("parameter", w) + pad("S1", 7, right: true) + "  " + pad("95 % interval", 17) + pad("ST", 7, right: true) + "  95 % interval")
        for x in indices {
            print("  " + pad(x.parameter, w) + pad(f(x.s1), 7, right: true) + "  " + pad("[\(f(x.s1Lo)), \(f(x.s1Hi))]", 17)
                  + pad(f(x.st), 7, right: true) + "  [\(f(x.stLo)), \(f(x.stHi))]")
        }
        if let note = indices.first?.note { print("  note: \(note)") }
    }
}
