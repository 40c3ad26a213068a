import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// `pillars cases`: every case scenario against its published figures.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Run every case scenario and compare simulated with published figures (exit 1 if any fails).",
        usage: "pillars cases [<scenarios> ...] [<options>]",
        discussion: """
        Reads Scenarios/cases/*.yaml (or the files given). For each target a scenario declares, \
        prints the case, the figure, the published value, the simulated mean over the \
        replications with its 90 % interval (5th–95th percentile of replications), the tolerance \
        and pass/fail, and writes cases.csv with the columns \
        case,figure,published,simulated_mean,lo,hi,tolerance,pass. A case without targets (the \
        combined Chaoyang compound) reports its predictions instead, in NAME-predictions.csv \
        beside it.

        With no files named, the tables go to Results/cases/ (the committed full table). With \
        files named, they go to a new folder Results/runs/cases-NAME-TIME/ (NAME: the first \
        case, with -etc when there are more), so the committed table keeps every case; --out \
        chooses the folder. The last line says where cases.csv went.

        Example:
          pillars cases Scenarios/cases/beijing-whistle-and-report.yaml
        """)

    @Argument(help: "Case scenarios (default: Scenarios/cases/*.yaml).") var scenarios: [String] = []
    @Option(help: "Replications per case.") var reps = 40
    @Option(help: "Master seed.") var seed: UInt64 = 2026
    @Option(help: ArgumentHelp("Folder for cases.csv (default: Results/cases for all the cases; a new Results/runs/cases-NAME-TIME for the cases named).", valueName: "dir"))
    var out: String?
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Worker threads (default: all cores).", valueName: "jobs")) var jobsOption: Int?
    var jobs: Int { jobsOption ?? Parallel.cores }
    @Flag(help: "Print nothing but failures.") var quiet = false

    func validate() throws {
        guard reps >= 2 else { throw ValidationError("--reps must be at least 2 (got \(reps))") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let files = try reportingErrors { try caseFiles(scenarios) }
        // The committed table (Results/cases) holds every case: a run of some of them goes to
        // a folder of its own unless --out says otherwise.
        let dir = try reportingErrors { () throws -> URL in
            if let out { return try outputPath(out) }
            if scenarios.isEmpty { return URL(fileURLWithPath: "Results/cases") }
            let name = fileStem(files[0]) + (files.count > 1 ? "-etc" : "")
            return try claimNewFolder(experimentOutDir("cases", name, started: started))
        }
        // Locked while the cases run: two `cases` into one folder do not interleave their files.
        let lock = try reportingErrors { try lockedFolder(dir) }
        defer { lock.release() }
        var csv = "case,figure,published,simulated_mean,lo,hi,tolerance,pass\n"
        var failures = 0
        if !quiet {
            print(pad("case", 28) + pad("figure", 52) + pad("published", 11, right: true) + pad("simulated", 11, right: true)
                  + "  90 % interval        " + pad("tol", 8, right: true) + "  ")
        }
        for f in files {
            let sc = try reportingErrors { try GovernanceModel.load(f) }
            let targets = try reportingErrors { try GovernanceModel.targets(of: sc) }
            if targets.isEmpty {
                try predict(sc, dir: dir)
                continue
            }
            let results = try GovernanceModel.evaluate(sc, targets: targets, reps: reps, masterSeed: seed, jobs: jobs)
            for r in results {
                if !r.pass { failures += 1 }
                csv += [sc.name, r.target.figure, formatNumber(r.target.published), csvNumber(r.mean), csvNumber(r.lo),
                        csvNumber(r.hi), formatNumber(r.target.tolerance), r.pass ? "true" : "false"].map(csvField).joined(separator: ",") + "\n"
                if !quiet || !r.pass {
                    let f = { (x: Double) in x.isNaN ? "–" : String(format: abs(x) >= 1000 ? "%.0f" : "%.3g", x) }
                    print(pad(String(sc.name.prefix(27)), 28) + pad(String(r.target.figure.prefix(51)), 52)
                          + pad(f(r.target.published), 11, right: true) + pad(f(r.mean), 11, right: true)
                          + "  [" + pad(f(r.lo), 8, right: true) + ", " + pad(f(r.hi), 8, right: true) + "]  "
                          + pad("±" + f(r.target.tolerance), 8, right: true) + "  " + (r.pass ? "pass" : "FAIL"))
                }
            }
        }
        try reportingErrors {
            try ResultsFiles.write(csv, to: dir.appendingPathComponent("cases.csv"))
            try writeOutputsDictionary(dir)
        }
        if !quiet {
            print(failures == 0 ? "all figures pass" : "\(failures) figure(s) fail")
            print("results: \(dir.appendingPathComponent("cases.csv").path)")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// A case with no published outcomes: report what the model predicts.
    func predict(_ sc: Scenario, dir: URL) throws {
        let results = try Parallel.map(reps, jobs: jobs) { GovernanceModel.run(sc, replication: $0, masterSeed: seed, recordSeries: false, jobs: 1) }
        let s = summarize(results)
        var csv = "metric,mean,lo90,hi90,n\n"
        if !quiet { print("\n\(sc.name): no published outcomes — predictions (mean and 90 % interval over \(reps) replications)") }
        for (k, o) in Output.allCases.enumerated() {
            let xs = results.map { $0.outputs[k] }.filter { !$0.isNaN }
            guard !xs.isEmpty else { continue }
            let q = quantiles(xs, [0.05, 0.95])
            csv += "\(o.name),\(csvNumber(s[k].mean)),\(csvNumber(q[0])),\(csvNumber(q[1])),\(xs.count)\n"
            if !quiet {
                print("  " + pad(o.name, 32) + pad(display(s[k].mean, share: o.isShare), 12, right: true)
                      + "   [\(display(q[0], share: o.isShare)), \(display(q[1], share: o.isShare))]")
            }
        }
        if !quiet { print("") }
        let base = ((sc.file as NSString).lastPathComponent as NSString).deletingPathExtension
        try reportingErrors { try ResultsFiles.write(csv, to: dir.appendingPathComponent("\(base)-predictions.csv")) }
    }
}

/// The case scenarios: the given files, or every *.yaml directly in Scenarios/cases/ (bases excluded: files starting with '_').
func caseFiles(_ given: [String]) throws -> [String] {
    if !given.isEmpty { return given }
    let dir = "Scenarios/cases"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
        throw ResultsFiles.WriteError(description: "\(dir): not found; run from the repository root or name the case files")
    }
    return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("_") }.sorted().map { "\(dir)/\($0)" }
}
