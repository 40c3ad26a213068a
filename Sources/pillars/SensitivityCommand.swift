import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Sobol first-order and total indices of chosen outputs, with bootstrap intervals (Saltelli sampling), or Morris screening.",
        usage: "pillars sensitivity <scenario> --param <path=range> ... [<options>]",
        discussion: """
        Builds a Saltelli plan of N·(k+2) rows over the k parameters (N = --samples, from a \
        2k-dimensional Sobol sequence; a power of two is best), evaluates each row as the mean \
        over --reps replications (replication r of every row uses the same seed: common random \
        numbers), and estimates for each output S1 (first order, Saltelli 2010, on the outputs \
        centred on their mean) and ST (total, Jansen) with percentile bootstrap 95 % intervals \
        over the N base rows. The runs are \
        N·(k+2)·R; with few replications the replication noise inflates ST.

        Writes sensitivity.csv (metric,parameter,s1,s1_lo,s1_hi,st,st_lo,st_hi,noise), \
        samples.csv (row,matrix, the parameters, then the chosen outputs' means: the \
        evaluated plan) and manifest.json. noise is the share of the variance of the row \
        means that is replication noise (within-row variance / R over the variance of the \
        row means); a warning names the outputs with ST > 1, S1 below 0 beyond its \
        interval, or noise above --max-noise, with the replications that would bring the \
        noise under it.

        --method morris screens many parameters with Morris elementary effects instead: \
        --samples trajectories of k+1 rows on a grid of --levels levels; sensitivity.csv \
        then has metric,parameter,mu,mu_star,mu_star_lo,mu_star_hi,sigma,sigma_lo,sigma_hi,\
        noise (effects per whole parameter range; bootstrap intervals over trajectories) \
        and samples.csv row,trajectory, the parameters, the outputs' means.

        --design-file analyses a plan drawn by SALib (sobol.sample(problem, N, \
        calc_second_order=False), header: parameter paths): the same points SALib \
        analyses, in its layout A, AB_1…AB_k, B per base row.

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
    @Option(help: "sobol (variance-based indices) or morris (elementary-effects screening).") var method: SensitivityMethod = .sobol
    @Option(help: "Base sample size N of the Saltelli plan (a power of two is best); trajectories with --method morris.") var samples: Int = 64
    @Option(help: ArgumentHelp("Analyse the Saltelli plan of a CSV in SALib's layout (sobol.sample with calc_second_order=False; header: parameter paths) instead of --param/--samples.", valueName: "file"))
    var designFile: String?
    @Option(help: "Grid levels of a Morris plan (even).") var levels: Int = 4
    @Option(help: "Noise share of an output's variance above which a warning is printed.") var maxNoise: Double = 0.2
    @Option(help: "Bootstrap resamples for the intervals (0: none).") var bootstrap: Int = 500
    @Option(help: ArgumentHelp("Outputs to analyse, comma-separated.", valueName: "name1,name2"))
    var outputs: String = "participation_rate,satisfaction_rate"
    @OptionGroup var options: RunOptions
    @OptionGroup var warmUp: WarmUpOptions
    @Option(help: outHelp("sensitivity-NAME-TIME")) var out: String?
    @Flag(help: "Replace the files of an earlier analysis in --out.") var overwrite = false

    func validate() throws {
        guard samples >= 2, samples <= 1_000_000 else { throw ValidationError("--samples must be in 2…1000000 (got \(samples))") }
        guard bootstrap >= 0, bootstrap <= 1_000_000 else { throw ValidationError("--bootstrap must be in 0…1000000 (got \(bootstrap))") }
        guard levels >= 2, levels <= 100, levels % 2 == 0 else { throw ValidationError("--levels must be an even number in 2…100 (got \(levels))") }
        guard maxNoise > 0, maxNoise < 1 else { throw ValidationError("--max-noise must be in (0, 1) (got \(maxNoise))") }
    }

    func run() throws {
        if method == .morris {
            guard designFile == nil else { throw fail("--design-file is a Saltelli plan, for --method sobol; a Morris plan is built from --param") }
            return try runMorris()
        }
        let started = Date()
        let reps = options.reps, seed = options.seed
        let (sc, plan, chosen) = try reportingErrors { () throws -> (Scenario, SaltelliPlan, [Int]) in
            let sc = try GovernanceModel.load(scenario, overrides: options.overrides)
            let plan = try designFile.map { try saltelliPlanFile($0, params: params) }
                ?? SaltelliPlan(parameters: sweepParameters(params, registry: GovernanceModel.schema.registry), n: samples)
            let ranges = plan.parameters
            let chosen = try outputIndices(outputs)
            for (i, row) in plan.samples.enumerated() { _ = try pointScenario(sc, ranges, row, index: i) }
            return (sc, plan, chosen)
        }
        if !options.quiet { warnTimeline(sc, plan.parameters) }
        let (outDir, lock) = try reportingErrors { () throws -> (URL, FolderLock) in
            try claimOutput(out, default: experimentOutDir("sensitivity", sc, started: started), overwrite: overwrite) { _ in
                try ResourceCheck.checkModel(sc, concurrent: min(options.jobs, plan.samples.count), maxMemory: options.maxMemory)
            }
        }
        defer { lock.release() }
        let ranges = plan.parameters
        let rows = plan.samples
        let evaluated = try evaluatePlanRows(sc, ranges, rows, outputs: chosen, reps: reps, seed: seed, jobs: options.jobs, quiet: options.quiet,
                                             capacity: warmStartCapacity(sc, varying: ranges, wanted: reps * options.jobs, options: options, share: warmUp.share))
        let means = evaluated.means
        let names = Output.names
        var results = [(metric: String, indices: [SobolIndices])]()
        for (j, o) in chosen.enumerated() {
            results.append((names[o], sobolIndices(plan: plan, outputs: centred(means.map { $0[j] }, n: plan.n), bootstrap: bootstrap, seed: seed)))
        }
        let noise = evaluated.noise
        // Files first, then the terminal (a closed pipe must not lose them).
        try reportingErrors {
            var csv = "metric,parameter,s1,s1_lo,s1_hi,st,st_lo,st_hi,noise\n"
            for (j, (metric, indices)) in results.enumerated() {
                for x in indices {
                    csv += ([metric, x.parameter] + [x.s1, x.s1Lo, x.s1Hi, x.st, x.stLo, x.stHi, noise[j].share].map(csvNumber))
                        .map(csvField).joined(separator: ",") + "\n"
                }
            }
            let k = ranges.count, n = plan.n
            var table = (["row", "matrix"] + ranges.map(\.name) + chosen.map { names[$0] }).map(csvField).joined(separator: ",") + "\n"
            for (i, row) in rows.enumerated() {
                let block = i / n
                let matrix = block == 0 ? "A" : block == 1 ? "B" : "AB:" + ranges[min(block - 2, k - 1)].name
                table += ([String(i), matrix] + row.map(formatNumber) + means[i].map(csvNumber)).map(csvField).joined(separator: ",") + "\n"
            }
            let extra: [String: Any] = [
                "verb": "sensitivity", "parameters": ranges.map { SweepRecord.describe(.init($0)) },
                "samples": plan.n, "plan_rows": rows.count, "bootstrap": bootstrap,
                "analysed_outputs": chosen.map { names[$0] }, "method": "sobol",
                "noise": Dictionary(uniqueKeysWithValues: zip(chosen.map { names[$0] }, noise.map { csvNumber($0.share) })),
            ]
            try Publish.folder([("sensitivity.csv", csv), ("samples.csv", table), ("outputs.csv", Output.dictionaryCSV),
                                ("manifest.json", manifest(sc, seed: seed, reps: reps, started: started, extra: extra))], to: outDir)
        }
        if !options.quiet {
            printIndices(results, sc: sc, plan: plan, reps: reps, seed: seed, elapsed: Date().timeIntervalSince(started))
            warnNoise(sobolWarnings(results, noise: noise, maxNoise: maxNoise), noise: noise, names: results.map(\.metric), maxNoise: maxNoise)
            print("results: \(outDir.path)")
        }
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

/// The Saltelli plan of `--design-file path`: a SALib-layout design file, read and checked
/// like a sweep's (`readDesignFile`), then checked for the layout.
func saltelliPlanFile(_ path: String, params: [String]) throws -> SaltelliPlan {
    try SaltelliPlan(salibLayout: readDesignFile(path, params: params, points: nil), file: path)
}
