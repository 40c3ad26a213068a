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
        abstract: "Run every case scenario and compare simulated with published figures (exit 1 if any is not as marked).",
        usage: "pillars cases [<scenarios> ...] [<options>]",
        discussion: """
        Reads Scenarios/cases/*.yaml (or the files given). For each target a scenario \
        declares, prints the case, the figure, the published value, the simulated mean over the \
        replications with its 90 % interval (5th–95th percentile of replications), the \
        tolerance, z = (mean − published) / tolerance and the verdict, and writes cases.csv \
        with the columns case,figure,published,simulated_mean,lo,hi,tolerance,pass,z,known_miss. \
        A figure passes when the mean is within the tolerance and the published value lies \
        inside the 90 % interval ("at least" figures: mean and top of the interval at or above \
        the published value less the tolerance; docs/CALIBRATION.md). A target marked \
        known_miss shows as MISS (known: reason) and does not fail the command; a marked one \
        that passes does. A case without targets (the combined Chaoyang compound) reports its \
        predictions before and after the intervention instead, in NAME-predictions.csv beside it.

        --posterior FILE runs replication r with parameter draw r mod N. --cross-validate \
        refits the shared parameters without each case in turn and predicts it \
        (crossvalidation.csv); --cv-reps and --cv-iterations set the fitting budget. \
        --prior-predictive runs every case at --prior-draws Latin-hypercube points over the \
        fitted parameters' bounds (--prior-reps replications each) and writes \
        prior-predictive.csv: each figure's 90 % range over the priors and whether the \
        published value lies inside it (outside: structural, no fit reaches it). \
        --identify moves each shared parameter by a tenth of its fitting range either way and \
        reports which figures it moves and which cases inform it (identification.csv, one \
        verdict per figure; identification-swings.csv, every swing): a \
        figure whose parameters only its own case informs is predicted out of sample from \
        their documented defaults alone.

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
    @OptionGroup var posterior: PosteriorOption
    @Flag(help: "Also predict each case from the shared parameters fitted on the other cases (leave-one-case-out); writes crossvalidation.csv.")
    var crossValidate = false
    @Flag(help: "Also measure which case informs which shared parameter, and so which figures the other cases can identify; writes identification.csv and identification-swings.csv.")
    var identify = false
    @Flag(help: "Also run every case over a Latin hypercube of the fitted parameters' bounds and report where each published figure lies in that range; writes prior-predictive.csv.")
    var priorPredictive = false
    @Option(help: "Prior-predictive check: Latin-hypercube points.") var priorDraws = 200
    @Option(help: "Prior-predictive check: replications per point.") var priorReps = 2
    @Option(help: "Cross-validation and identification: replications per evaluation.") var cvReps = 8
    @Option(help: "Cross-validation: most simplex iterations of each fit.") var cvIterations = 200
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Worker threads (default: all cores).", valueName: "jobs")) var jobsOption: Int?
    var jobs: Int { jobsOption ?? Parallel.cores }
    @Flag(help: "Print nothing but failures.") var quiet = false

    func validate() throws {
        guard reps >= 2 else { throw ValidationError("--reps must be at least 2 (got \(reps))") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard cvReps >= 2, cvIterations >= 1 else { throw ValidationError("--cv-reps must be at least 2 and --cv-iterations at least 1") }
        guard priorDraws >= 2, priorReps >= 1 else { throw ValidationError("--prior-draws must be at least 2 and --prior-reps at least 1") }
    }

    func run() throws {
        let started = Date()
        let files = try reportingErrors { try caseFiles(scenarios) }
        // The inputs first: a bad scenario or posterior, or too few cases to compare, claims no folder.
        let scs = try reportingErrors { try files.map { try GovernanceModel.load($0) } }
        let targetsOf = try reportingErrors { try scs.map { try GovernanceModel.targets(of: $0) } }
        if priorPredictive, targetsOf.allSatisfy(\.isEmpty) {
            throw fail("--prior-predictive needs case files with targets; got none (\(files.joined(separator: ", ")))")
        }
        if crossValidate || identify {
            // Both compare a case with the others: with fewer than two there is nothing to compare.
            let withTargets = targetsOf.filter { !$0.isEmpty }.count
            guard withTargets >= 2 else {
                throw fail("\(crossValidate ? "--cross-validate" : "--identify") needs at least two case files with targets; got \(withTargets) (\(files.joined(separator: ", ")))")
            }
        }
        let draws = try reportingErrors { try posterior.load(checking: scs, replications: max(reps, cvReps), jobs: jobs, maxMemory: nil, quiet: quiet) }
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
        var csv = "case,figure,published,simulated_mean,lo,hi,tolerance,pass,z,known_miss\n"
        var failures = 0, figures = 0, passes = 0, known = 0
        if !quiet { printHeader() }
        var fitted: [FitCase] = []
        var passed = Set<Identification.Figure>()
        for (f, (sc, targets)) in zip(files, zip(scs, targetsOf)) {
            if targets.isEmpty {
                try predict(sc, dir: dir, draws: draws)
                continue
            }
            fitted.append(FitCase(file: f, scenario: sc, targets: targets))
            let results = try GovernanceModel.evaluate(sc, targets: targets, reps: reps, masterSeed: seed, jobs: jobs, draws: draws)
            for r in results {
                figures += 1
                if r.pass { passes += 1; passed.insert(Identification.Figure(caseName: sc.name, figure: r.target.figure)) }
                if r.status == .knownMiss { known += 1 }
                if !r.asMarked { failures += 1 }
                csv += caseRow(sc.name, r)
                if !quiet || !r.asMarked { printRow(sc.name, r) }
            }
        }
        let wroteTable = !fitted.isEmpty
        try reportingErrors {
            if wroteTable { try ResultsFiles.write(csv, to: dir.appendingPathComponent("cases.csv")) }
            try writeOutputsDictionary(dir)
        }
        if !quiet, wroteTable {
            let perCase = perCaseFittedInputs.filter { p in fitted.contains { $0.scenario.name == p.caseName } }.count
            print("\(figures) figures, \(sharedCalibration.count) shared fitted parameters, \(perCase) per-case fitted inputs (docs/CALIBRATION.md)")
            print("in sample: \(passes) of \(figures) pass (honest rule: mean within tolerance and the published value inside the 90 % interval); \(known) known miss(es)"
                  + (failures == 0 ? "" : "; \(failures) not as marked (FAIL, or a known_miss that now passes)"))
        }
        if crossValidate {
            let oos = try crossValidation(fitted, dir: dir, draws: draws)
            if !quiet { print("out of sample (leave-one-case-out): \(oos) of \(figures) pass; in sample: \(passes) of \(figures)") }
        }
        if identify {
            let (identified, ceiling) = try identification(fitted, dir: dir, passedInSample: passed)
            if !quiet {
                print("the other cases identify \(identified) of \(figures) figures; \(ceiling) of them pass in sample: the figures leave-one-case-out can be expected to pass; the others pass only where the documented defaults of their single-case parameters happen to be right")
            }
        }
        if priorPredictive {
            let (inside, n) = try priorPredictive(fitted, dir: dir)
            if !quiet { print("prior predictive: \(inside) of \(n) published figures inside the 90 % range over the priors; the others are structural") }
        }
        if !quiet { print("results: " + (wroteTable ? dir.appendingPathComponent("cases.csv").path : dir.path)) }
        if failures > 0 { throw ExitCode(1) }
    }

    func printHeader() {
        print(pad("case", 28) + pad("figure", 52) + pad("published", 11, right: true) + pad("simulated", 11, right: true)
              + "  90 % interval        " + pad("tol", 8, right: true) + pad("z", 7, right: true) + "  ")
    }

    func printRow(_ name: String, _ r: TargetResult) {
        let f = { (x: Double) in x.isNaN ? "–" : String(format: abs(x) >= 1000 ? "%.0f" : "%.3g", x) }
        let verdict: String
        switch r.status {
        case .pass: verdict = "pass"
        case .fail: verdict = "FAIL"
        case .knownMiss: verdict = "MISS (known: \(r.target.knownMiss ?? ""))"
        case .staleMark: verdict = "PASS, but marked known_miss: remove the mark"
        }
        print(pad(String(name.prefix(27)), 28) + pad(String(r.target.figure.prefix(51)), 52)
              + pad(f(r.target.published), 11, right: true) + pad(f(r.mean), 11, right: true)
              + "  [" + pad(f(r.lo), 8, right: true) + ", " + pad(f(r.hi), 8, right: true) + "]  "
              + pad("±" + f(r.target.tolerance), 8, right: true) + pad(r.z.isNaN ? "–" : String(format: "%+.2f", r.z), 7, right: true)
              + "  " + verdict)
    }

    /// A case with no published outcomes: what the model predicts before the intervention (the
    /// outputs observed the day before the first timeline entry) and after (the summary
    /// outputs over the final window) — mean and 90 % interval over the replications (with
    /// --posterior, over parameter draws too).
    func predict(_ sc: Scenario, dir: URL, draws: ParameterDraws?) throws {
        let beforeDay = sc.timeline.map(\.day).min().map { $0 - 1 }.flatMap { $0 >= 0 ? $0 : nil }
        let pairs = try Parallel.map(reps, jobs: jobs) { i -> ([Double], [Double]?) in
            let s = draws.scenario(sc, replication: i)
            let after = GovernanceModel.run(s, replication: i, masterSeed: seed, recordSeries: false, jobs: 1).outputs
            let before = beforeDay.flatMap { d in GovernanceModel.observe(s, replication: i, masterSeed: seed, days: [d])[d] }
            return (after, before)
        }
        var csv = "metric,period,day,mean,lo90,hi90,n\n"
        if !quiet { print("\n\(sc.name): no published outcomes — predictions (mean and 90 % interval over \(reps) replications\(draws == nil ? "" : ", parameter draws from \(draws!.file)"))") }
        let periods: [(String, Int, [[Double]])] = (beforeDay.map { d in [("before", d, pairs.compactMap(\.1))] } ?? [])
            + [("after", sc.parameters[\SimulationSettings.days] - 1, pairs.map(\.0))]
        for (k, o) in Output.allCases.enumerated() {
            var line = "  " + pad(o.name, 32)
            for (period, day, rows) in periods {
                let xs = rows.map { $0[k] }.filter { !$0.isNaN }
                guard !xs.isEmpty else { continue }
                let q = quantiles(xs, [0.05, 0.95])
                csv += "\(o.name),\(period),\(day),\(csvNumber(GSL.mean(xs))),\(csvNumber(q[0])),\(csvNumber(q[1])),\(xs.count)\n"
                line += "  \(period) " + pad(display(GSL.mean(xs), share: o.isShare), 10, right: true)
                    + " [\(display(q[0], share: o.isShare)), \(display(q[1], share: o.isShare))]"
            }
            if !quiet { print(line) }
        }
        if !quiet { print("") }
        let base = ((sc.file as NSString).lastPathComponent as NSString).deletingPathExtension
        try reportingErrors { try ResultsFiles.write(csv, to: dir.appendingPathComponent("\(base)-predictions.csv")) }
    }
}

/// One row of cases.csv (and of crossvalidation.csv, without the last two fields).
func caseRow(_ name: String, _ r: TargetResult, extra: Bool = true) -> String {
    var fields = [name, r.target.figure, formatNumber(r.target.published), csvNumber(r.mean), csvNumber(r.lo),
                  csvNumber(r.hi), formatNumber(r.target.tolerance), r.pass ? "true" : "false"]
    if extra { fields += [csvNumber(r.z), r.target.knownMiss ?? ""] }
    return fields.map(csvField).joined(separator: ",") + "\n"
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
