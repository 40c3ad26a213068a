import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// How `pillars sensitivity` analyses the outputs.
enum SensitivityMethod: String, CaseIterable, ExpressibleByArgument {
    case sobol, morris
}

/// The plan rows evaluated: per row, each chosen output's mean over the replications that
/// measured it, and per output the share of the row means' variance that is replication
/// noise (`ReplicationNoise`).
struct EvaluatedRows {
    var means: [[Double]]
    var noise: [ReplicationNoise]
}

/// Evaluate every row of a plan: replication r of every row uses the same seed (common
/// random numbers), rows run in parallel; results do not depend on `jobs`.
func evaluatePlanRows(_ sc: Scenario, _ ranges: [ParameterRange], _ rows: [[Double]], outputs chosen: [Int],
                      reps: Int, seed: UInt64, jobs: Int, quiet: Bool, capacity: Int) throws -> EvaluatedRows {
    let progress = Progress(total: rows.count, label: "sensitivity", quiet: quiet)
    // Rows whose warm-ups are equal start replication r from one copy of it (one state per
    // replication of each row in flight).
    let warmStarts = WarmStartCache(capacity: capacity)
    // values[i][j]: the R replications' values of output j at row i (NaN: not measured).
    let values = try reportingErrors { try Parallel.map(rows.count, jobs: jobs, progress: { progress.update($0) }) { i -> [[Double]] in
        var s = sc
        for (p, x) in zip(ranges, rows[i]) { try s.parameters.set(p.name, number: x) }
        var v = [[Double]](repeating: [], count: chosen.count)
        for r in 0..<reps {
            let out = warmStarts.run(s, replication: r, masterSeed: seed).outputs
            for (j, o) in chosen.enumerated() { v[j].append(out[o]) }
        }
        return v
    } }
    let means = values.map { row in
        row.map { v -> Double in
            let measured = v.filter { !$0.isNaN }
            return measured.isEmpty ? .nan : GSL.mean(measured)
        }
    }
    let noise = chosen.indices.map { j in ReplicationNoise(values: values.map { $0[j] }) }
    return EvaluatedRows(means: means, noise: noise)
}

/// Per output, what is wrong with its Sobol indices: ST > 1, S1 below 0 beyond its
/// interval (s1_hi < 0), and the noise share above `maxNoise`. Empty when nothing is.
func sobolWarnings(_ results: [(metric: String, indices: [SobolIndices])], noise: [ReplicationNoise], maxNoise: Double) -> [[String]] {
    zip(results, noise).map { r, n in
        var problems = [String]()
        let f = { (x: Double) in String(format: "%.3f", x) }
        let overOne = r.indices.filter { $0.st > 1 }
        if !overOne.isEmpty { problems.append("ST > 1 (" + overOne.map { "\($0.parameter) \(f($0.st))" }.joined(separator: ", ") + ")") }
        let negative = r.indices.filter { $0.s1Hi < 0 }
        if !negative.isEmpty {
            problems.append("S1 < 0 beyond its interval (" + negative.map { "\($0.parameter) \(f($0.s1)) [\(f($0.s1Lo)), \(f($0.s1Hi))]" }.joined(separator: ", ") + ")")
        }
        if n.share > maxNoise { problems.append("replication noise is \(f(n.share)) of its variance (above \(formatNumber(maxNoise)))") }
        return problems
    }
}

/// Print one warning line per output with problems, naming them and the replications per
/// row that would bring the noise share under `maxNoise`.
func warnNoise(_ problems: [[String]], noise: [ReplicationNoise], names: [String], maxNoise: Double) {
    for (j, p) in problems.enumerated() where !p.isEmpty {
        var line = "warning: \(names[j]): " + p.joined(separator: "; ")
        let n = noise[j]
        if n.share > maxNoise {
            if let r = n.replications(forShare: maxNoise) {
                line += "; about --reps \(r) per row would bring the noise under \(formatNumber(maxNoise))"
            } else {
                line += "; the row means vary no more than their noise (use many more replications, or wider ranges)"
            }
        } else if let note = n.note {
            line += " (\(note))"
        } else {
            line += " (noise is only \(String(format: "%.3f", n.share)): the sampling error of the plan; use a larger --samples)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension SensitivityCommand {
    /// `--method morris`: Morris screening with `--samples` trajectories on `--levels` levels.
    func runMorris() throws {
        let started = Date()
        let reps = options.reps, seed = options.seed
        let (sc, plan, chosen) = try reportingErrors { () throws -> (Scenario, MorrisPlan, [Int]) in
            let sc = try GovernanceModel.load(scenario, overrides: options.overrides)
            let ranges = try sweepParameters(params, registry: GovernanceModel.schema.registry)
            let chosen = try outputIndices(outputs)
            let plan = try MorrisPlan(parameters: ranges, trajectories: samples, levels: levels, seed: seed)
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
        let ranges = plan.parameters, rows = plan.samples
        let evaluated = try evaluatePlanRows(sc, ranges, rows, outputs: chosen, reps: reps, seed: seed, jobs: options.jobs, quiet: options.quiet,
                                             capacity: warmStartCapacity(sc, varying: ranges, wanted: reps * options.jobs, options: options, share: warmUp.share))
        let names = Output.names
        let results = chosen.enumerated().map { j, o in
            (metric: names[o], indices: morrisIndices(plan: plan, outputs: evaluated.means.map { $0[j] }, bootstrap: bootstrap, seed: seed))
        }
        try reportingErrors {
            var csv = "metric,parameter,mu,mu_star,mu_star_lo,mu_star_hi,sigma,sigma_lo,sigma_hi,noise\n"
            for (j, (metric, indices)) in results.enumerated() {
                for x in indices {
                    csv += ([metric, x.parameter] + [x.mu, x.muStar, x.muStarLo, x.muStarHi, x.sigma, x.sigmaLo, x.sigmaHi, evaluated.noise[j].share].map(csvNumber))
                        .map(csvField).joined(separator: ",") + "\n"
                }
            }
            let k = ranges.count
            var table = (["row", "trajectory"] + ranges.map(\.name) + chosen.map { names[$0] }).map(csvField).joined(separator: ",") + "\n"
            for (i, row) in rows.enumerated() {
                table += ([String(i), String(i / (k + 1))] + row.map(formatNumber) + evaluated.means[i].map(csvNumber)).map(csvField).joined(separator: ",") + "\n"
            }
            let extra: [String: Any] = [
                "verb": "sensitivity", "method": "morris", "parameters": ranges.map { SweepRecord.describe(.init($0)) },
                "trajectories": samples, "levels": levels, "plan_rows": rows.count, "bootstrap": bootstrap,
                "analysed_outputs": chosen.map { names[$0] },
                "noise": Dictionary(uniqueKeysWithValues: zip(chosen.map { names[$0] }, evaluated.noise.map { csvNumber($0.share) })),
            ]
            // Files first, then the terminal (a closed pipe must not lose them).
            try Publish.folder([("sensitivity.csv", csv), ("samples.csv", table), ("outputs.csv", Output.dictionaryCSV),
                                ("manifest.json", manifest(sc, seed: seed, reps: reps, started: started, extra: extra))], to: outDir)
        }
        if !options.quiet {
            printMorris(results, sc: sc, plan: plan, reps: reps, seed: seed, noise: evaluated.noise, elapsed: Date().timeIntervalSince(started))
            warnNoise(zip(evaluated.noise, results).map { n, _ in
                n.share > maxNoise ? ["replication noise is \(String(format: "%.3f", n.share)) of its variance (above \(formatNumber(maxNoise)))"] : []
            }, noise: evaluated.noise, names: results.map(\.metric), maxNoise: maxNoise)
        }
        if !options.quiet { print("results: \(outDir.path)") }
    }
}

private func printMorris(_ results: [(metric: String, indices: [MorrisIndices])], sc: Scenario, plan: MorrisPlan,
                         reps: Int, seed: UInt64, noise: [ReplicationNoise], elapsed: Double) {
    print("Morris screening of \(sc.name): \(plan.parameters.count) parameters, \(plan.trajectories) trajectories on \(plan.levels) levels: \(plan.samples.count) plan rows × \(reps) replications (seed \(seed))  (\(formatDuration(elapsed)))")
    let w = max(30, (plan.parameters.map(\.name.count).max() ?? 0) + 2)
    func f(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.4g", x) }
    for (j, (metric, indices)) in results.enumerated() {
        print("")
        print(metric + (noise[j].share.isNaN ? "" : String(format: "  (noise %.3f)", noise[j].share)))
        print("  " + pad("parameter", w) + pad("mu*", 10, right: true) + "  " + pad("95 % interval", 22) + pad("mu", 10, right: true) + pad("sigma", 10, right: true))
        for x in indices.sorted(by: { ($0.muStar.isNaN ? -1 : $0.muStar) > ($1.muStar.isNaN ? -1 : $1.muStar) }) {
            print("  " + pad(x.parameter, w) + pad(f(x.muStar), 10, right: true) + "  " + pad("[\(f(x.muStarLo)), \(f(x.muStarHi))]", 22)
                  + pad(f(x.mu), 10, right: true) + pad(f(x.sigma), 10, right: true))
        }
        if let note = indices.first?.note { print("  note: \(note)") }
    }
}
