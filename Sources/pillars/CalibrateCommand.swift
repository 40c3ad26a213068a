import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// `pillars calibrate`: fit chosen parameters to the targets of one or more scenarios.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit parameters to the published targets of case scenarios (GSL Nelder–Mead on common random numbers), or sample plausible sets (ABC).",
        usage: "pillars calibrate <scenarios> ... [--param <path=lo:hi> ...] [<options>]",
        discussion: """
        Minimises Σ ((simulated mean − published) / tolerance)² over every target of every \
        scenario given, with the same replication seeds at every evaluation (so the objective \
        is smooth), within each parameter's range (--param path=lo:hi, inside the parameter's \
        documented range). Prints the fit per target and writes the fitted parameters as a \
        scenario file (--out) that case scenarios can extend. Without --param, fits the shared \
        parameters listed in docs/CALIBRATION.md.

        With --posterior-out FILE, samples instead: ABC-SMC (Toni et al. 2009; Beaumont et al. \
        2009) with the same objective as distance and uniform priors on the bounds: \
        --candidates Sobol points, the --accept nearest kept, then --generations rounds of \
        perturbed particles with ε the median of the last round, within --budget evaluations. \
        The draws go one row per draw (columns: parameter paths) for --posterior of run, \
        compare, sweep and cases.
        """)

    @Argument(help: "Case scenarios with targets.") var scenarios: [String]
    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter to fit and its bounds: path=lo:hi (repeatable; default: the shared list of docs/CALIBRATION.md).", valueName: "path=lo:hi")) var params: [String] = []
    @Option(help: "Replications per evaluation.") var reps = 16
    @Option(help: "Master seed (fixed across evaluations).") var seed: UInt64 = 2026
    @Option(help: "Most simplex iterations.") var maxIterations = 200
    @Option(help: "Stop when the simplex is smaller than this (in the transformed space).") var tolerance = 1e-3
    @Option(help: ArgumentHelp("Where to write the fitted parameters (a scenario file).", valueName: "file")) var out = "Scenarios/cases/_calibrated.yaml"
    @Option(help: ArgumentHelp("Instead of a point fit: sample plausible parameter sets by ABC-SMC (uniform priors on the --param bounds) and write them here as a CSV (e.g. Scenarios/posterior.csv).", valueName: "file"))
    var posteriorOut: String?
    @Option(help: "ABC: candidates of the first generation (Sobol points of the prior box).") var candidates = 400
    @Option(help: "ABC: draws kept per generation (the posterior sample's size).") var accept = 100
    @Option(help: "ABC: SMC generations after the first (0: plain rejection).") var generations = 4
    @Option(help: "ABC: most evaluations in all (each runs every case --reps times).") var budget = 2000
    @Option(help: ArgumentHelp("ABC: priors centred on the scenarios' own (calibrated) values, this share of each --param range wide (1: the whole range).", valueName: "share"))
    var priorWidth = 1.0
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Worker threads (default: all cores).", valueName: "jobs")) var jobsOption: Int?
    var jobs: Int { jobsOption ?? Parallel.cores }
    @Flag(help: "No progress lines.") var quiet = false
    @Flag(help: "Replace an existing --out (or --posterior-out) file.") var overwrite = false

    func validate() throws {
        guard reps >= 2 else { throw ValidationError("--reps must be at least 2") }
        guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be at least 1") }
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be a positive number (got \(tolerance))") }
        guard accept >= 1, candidates >= accept else { throw ValidationError("need 1 ≤ --accept ≤ --candidates (got \(accept), \(candidates))") }
        guard priorWidth > 0, priorWidth <= 1 else { throw ValidationError("--prior-width must be in (0, 1] (got \(priorWidth))") }
        guard generations >= 0, budget >= candidates else { throw ValidationError("need --generations ≥ 0 and --budget ≥ --candidates (got \(generations), \(budget))") }
    }

    func run() throws {
        // Cases without targets (the combined Chaoyang compound) have nothing to fit: left out.
        let cases = try reportingErrors { try loadFitCases(scenarios, requireTargets: false) }
        guard !cases.isEmpty else { throw fail("\(scenarios.joined(separator: ", ")): declares no targets to fit") }
        // Before the calibration runs: where the result goes must be writable, and must not be
        // a device, a folder, an input scenario or (without --overwrite) an existing file.
        let outURL = try reportingErrors { try calibrationOutput(posteriorOut ?? out, inputs: scenarios, overwrite: overwrite) }
        for c in cases { try reportingErrors { try ResourceCheck.checkModel(c.scenario, concurrent: min(self.jobs, self.reps)) } }
        let ranges = try reportingErrors { try calibrationRanges(params.isEmpty ? sharedCalibration : params) }
        let fitter = CaseFitter(cases: cases, ranges: ranges, reps: reps, seed: seed, jobs: jobs)
        let log: ((String) -> Void)? = quiet ? nil : { writeStandardError("calibrate: \($0)\n") }
        if posteriorOut != nil {
            var narrowed = fitter
            if priorWidth < 1 {
                // Narrower priors (documented in docs/CALIBRATION.md): around the current values.
                narrowed.ranges = try reportingErrors { try zip(ranges, fitter.starts).map { r, c in
                    let half = priorWidth * (r.hi - r.lo) / 2
                    let lo = max(r.lo, min(c - half, r.hi - 2 * half)), hi = min(r.hi, max(c + half, r.lo + 2 * half))
                    return try ParameterRange(name: r.name, lo: lo, hi: hi)
                } }
            }
            try samplePosterior(narrowed, to: outURL, log: log)
            return
        }
        let result = fitter.fit(maxIterations: maxIterations, tolerance: tolerance, log: log)
        let (value, final) = fitter.evaluate(result.x)
        print("objective \(String(format: "%.4f", value)) after \(result.iterations) iterations (\(result.evaluations) evaluations)\(result.converged ? "" : ", not converged")")
        for (i, r) in ranges.enumerated() {
            print("  \(pad(r.name, 44)) \(pad(formatNumber(rounded(result.x[i])), 12, right: true))   [\(formatNumber(r.lo)), \(formatNumber(r.hi))]\(result.atBound[i] ? "  AT BOUND" : "")")
        }
        for (s, results) in final {
            for r in results {
                print("  \(pad(String(s.name.prefix(26)), 27)) \(pad(String(r.target.figure.prefix(50)), 51)) published \(formatNumber(r.target.published))  simulated \(String(format: "%.4g", r.mean))  ±\(formatNumber(r.target.tolerance))  \(r.pass ? "pass" : "FAIL")")
            }
        }
        var yaml = "# Written by: pillars \(echoedCommandLine())\n"
        yaml += "# Objective \(String(format: "%.4f", value)); \(reps) replications per evaluation, seed \(seed).\n"
        yaml += "version: 1\nname: calibrated\n"
        for (i, r) in ranges.enumerated() {
            yaml += "\(r.name): \(formatNumber(rounded(result.x[i])))\(result.atBound[i] ? "  # at a bound of [\(formatNumber(r.lo)), \(formatNumber(r.hi))]" : "")\n"
        }
        try reportingErrors {
            try writeUserFile(yaml, to: outURL, shownAs: out) { _ = try GovernanceModel.load($0) }
        }
        print("fitted parameters: \(out)")
    }

    /// `--posterior-out`: ABC-SMC over the priors, the last generation's draws as a CSV.
    func samplePosterior(_ fitter: CaseFitter, to url: URL, log: ((String) -> Void)?) throws {
        let started = Date()
        let (sample, gens) = try reportingErrors {
            try fitter.posterior(candidates: candidates, accept: accept, generations: generations, budget: budget, log: log)
        }
        let draws = ParameterDraws(file: url.path, paths: fitter.ranges.map(\.name), rows: sample.draws)
        try reportingErrors {
            try writeUserFile(draws.csv, to: url, shownAs: url.path) { _ = try ParameterDraws.load($0, using: 1) }
        }
        let elapsed = Date().timeIntervalSince(started)
        print("ABC-SMC: \(gens.count) generation(s), \(sample.evaluated) evaluations, \(sample.draws.count) draws (ε = objective ≤ \(String(format: "%.3f", sample.threshold)); best \(String(format: "%.3f", sample.distances.first ?? .nan))), \(reps) replications per evaluation, \(formatDuration(elapsed))")
        for (g, x) in gens.enumerated() { print("  generation \(g): ε \(String(format: "%.3f", x.epsilon)), \(x.evaluated) evaluations") }
        for (i, r) in fitter.ranges.enumerated() {
            let xs = sample.draws.map { $0[i] }
            let q = quantiles(xs, [0.05, 0.5, 0.95])
            print("  \(pad(r.name, 44)) median \(pad(formatNumber(rounded(q[1])), 10, right: true))   90 % [\(formatNumber(rounded(q[0]))), \(formatNumber(rounded(q[2])))]   prior [\(formatNumber(r.lo)), \(formatNumber(r.hi))]")
        }
        print("posterior draws: \(url.path)")
    }

    /// Four significant digits: enough for the fit, readable in the scenario file.
    func rounded(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        let e = pow(10, 3 - floor(log10(abs(x))))
        return (x * e).rounded() / e
    }
}

/// The file `calibrate` writes: `text` checked before anything runs. Its folder must exist;
/// the path must not be a device, folder, pipe or symbolic link (it is renamed over), nor one
/// of the case scenarios being fitted (their targets would be lost); an existing file is
/// replaced only with `--overwrite`.
func calibrationOutput(_ text: String, inputs: [String], overwrite: Bool) throws -> URL {
    try userFileTarget(text, option: "--out", inputs: inputs, inputsAre: "one of the case scenarios being fitted (its targets would be lost)", overwrite: overwrite)
}
