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
        abstract: "Fit parameters to the published targets of case scenarios (GSL Nelder–Mead on common random numbers).",
        usage: "pillars calibrate <scenarios> ... --param <path=lo:hi> ... [<options>]",
        discussion: """
        Minimises Σ ((simulated mean − published) / tolerance)² over every target of every \
        scenario given, with the same replication seeds at every evaluation (so the objective \
        is smooth), within each parameter's range (--param path=lo:hi, inside the parameter's \
        documented range). Prints the fit per target and writes the fitted parameters as a \
        scenario file (--out) that case scenarios can extend.
        """)

    @Argument(help: "Case scenarios with targets.") var scenarios: [String]
    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter to fit and its bounds: path=lo:hi (repeatable).", valueName: "path=lo:hi")) var params: [String] = []
    @Option(help: "Replications per evaluation.") var reps = 16
    @Option(help: "Master seed (fixed across evaluations).") var seed: UInt64 = 2026
    @Option(help: "Most simplex iterations.") var maxIterations = 200
    @Option(help: "Stop when the simplex is smaller than this (in the transformed space).") var tolerance = 1e-3
    @Option(help: ArgumentHelp("Where to write the fitted parameters (a scenario file).", valueName: "file")) var out = "Scenarios/cases/_calibrated.yaml"
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Worker threads (default: all cores).", valueName: "jobs")) var jobsOption: Int?
    var jobs: Int { jobsOption ?? Parallel.cores }
    @Flag(help: "No progress lines.") var quiet = false
    @Flag(help: "Replace an existing --out file.") var overwrite = false

    func validate() throws {
        guard !params.isEmpty else { throw ValidationError("give at least one --param path=lo:hi to fit") }
        guard reps >= 2 else { throw ValidationError("--reps must be at least 2") }
        guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be at least 1") }
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be a positive number (got \(tolerance))") }
    }

    func run() throws {
        let cases = try reportingErrors { try scenarios.map { f -> (Scenario, [Target]) in
            let s = try GovernanceModel.load(f)
            let t = try GovernanceModel.targets(of: s)
            guard !t.isEmpty else { throw ResultsFiles.WriteError(description: "\(f): declares no targets to fit") }
            return (s, t)
        } }
        // Before the calibration runs: where the result goes must be writable, and must not be
        // a device, a folder, an input scenario or (without --overwrite) an existing file.
        let outURL = try reportingErrors { try calibrationOutput(out, inputs: scenarios, overwrite: overwrite) }
        for (s, _) in cases { try reportingErrors { try ResourceCheck.checkModel(s, concurrent: min(self.jobs, self.reps)) } }
        let registry = GovernanceModel.schema.registry
        let ranges = try reportingErrors { try params.map { text -> ParameterRange in
            let r = try ParameterRange.parse(text)
            guard let spec = registry[r.name] else {
                throw ConfigError(file: "--param", path: r.name, "unknown parameter" + (registry.suggestion(for: r.name).map { " (did you mean '\($0)'?)" } ?? ""))
            }
            guard case let .double(lo, hi) = spec.kind else {
                throw ConfigError(file: "--param", path: r.name, "only real-valued parameters can be fitted (this one is \(spec.expectation))")
            }
            guard r.lo >= lo, r.hi <= hi, r.lo < r.hi else {
                throw ConfigError(file: "--param", path: r.name, "bounds must satisfy \(formatNumber(lo)) ≤ lo < hi ≤ \(formatNumber(hi)), got \(formatNumber(r.lo)):\(formatNumber(r.hi))")
            }
            return r
        } }
        // Start from the scenarios' own values (the first scenario's), clamped into the bounds.
        let starts = ranges.map { r in min(max(cases[0].0.parameters.double(r.name), r.lo), r.hi) }
        let calibration = ranges.enumerated().map { i, r in CalibrationParameter(name: r.name, lo: r.lo, hi: r.hi, start: starts[i]) }
        var evaluations = 0
        let started = Date()
        let reps = reps, seed = seed, jobs = jobs, quiet = quiet
        func fit(_ x: [Double]) -> (Double, [(Scenario, [TargetResult])]) {
            var total = 0.0
            var all: [(Scenario, [TargetResult])] = []
            for (s0, targets) in cases {
                var s = s0
                var p = s.parameters
                for (i, r) in ranges.enumerated() { try? p.set(r.name, number: x[i]) }
                s.parameters = p
                let results = (try? GovernanceModel.evaluate(s, targets: targets, reps: reps, masterSeed: seed, jobs: jobs)) ?? []
                for r in results {
                    let z = r.mean.isNaN ? 10 : (r.mean - r.target.published) / r.target.tolerance
                    total += z * z
                }
                all.append((s, results))
            }
            return (total, all)
        }
        let result = Experiments.calibrate(parameters: calibration, maxIterations: maxIterations, tolerance: tolerance) { x in
            evaluations += 1
            let v = fit(x).0
            if !quiet, evaluations % 10 == 0 {
                writeStandardError("calibrate: \(evaluations) evaluations, objective \(String(format: "%.3f", v)), \(formatDuration(Date().timeIntervalSince(started)))\n")
            }
            return v
        }
        let (value, final) = fit(result.x)
        print("objective \(String(format: "%.4f", value)) after \(result.iterations) iterations (\(evaluations) evaluations)\(result.converged ? "" : ", not converged")")
        for (i, r) in ranges.enumerated() {
            print("  \(pad(r.name, 44)) \(pad(formatNumber(rounded(result.x[i])), 12, right: true))   [\(formatNumber(r.lo)), \(formatNumber(r.hi))]\(result.atBound[i] ? "  AT BOUND" : "")")
        }
        for (s, results) in final {
            for r in results {
                print("  \(pad(String(s.name.prefix(26)), 27)) \(pad(String(r.target.figure.prefix(50)), 51)) published \(formatNumber(r.target.published))  simulated \(String(format: "%.4g", r.mean))  ±\(formatNumber(r.target.tolerance))  \(r.pass ? "pass" : "FAIL")")
            }
        }
        var yaml = "# Written by: pillars \(CommandLine.arguments.dropFirst().joined(separator: " "))\n"
        yaml += "# Objective \(String(format: "%.4f", value)); \(reps) replications per evaluation, seed \(seed).\n"
        yaml += "version: 1\nname: calibrated\n"
        for (i, r) in ranges.enumerated() {
            yaml += "\(r.name): \(formatNumber(rounded(result.x[i])))\(result.atBound[i] ? "  # at a bound of [\(formatNumber(r.lo)), \(formatNumber(r.hi))]" : "")\n"
        }
        try reportingErrors { try ResultsFiles.write(yaml, to: outURL) }
        print("fitted parameters: \(out)")
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
    let url = try outputPath(text)
    let parent = url.deletingLastPathComponent()
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDir), isDir.boolValue else {
        throw ResultsFiles.WriteError(description: "--out \(text): the folder \(parent.path) does not exist; create it first")
    }
    guard FileManager.default.isWritableFile(atPath: parent.path) else {
        throw ResultsFiles.WriteError(description: "--out \(text): the folder \(parent.path) is not writable")
    }
    try ResultsFiles.checkReplaceable(url)
    if inputs.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path == url.path }) {
        throw ResultsFiles.WriteError(description: "--out \(text) is one of the case scenarios being fitted; writing it would lose its targets; choose another file")
    }
    if FileManager.default.fileExists(atPath: url.path), !overwrite {
        throw ResultsFiles.WriteError(description: "--out \(text) exists; pass --overwrite to replace it, or choose another file")
    }
    return url
}
