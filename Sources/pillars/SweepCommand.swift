import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

extension DesignKind: ExpressibleByArgument {
    /// `file` is chosen by --design-file, not by --design.
    public init?(argument: String) {
        guard argument != DesignKind.file.rawValue else { return nil }
        self.init(rawValue: argument)
    }
    public static var allValueStrings: [String] { allCases.filter { $0 != .file }.map(\.rawValue) }
}

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a design over parameters × replications, streamed to sweep.csv; resumable and shardable.",
        usage: "pillars sweep <scenario> --param <path=range> ... [<options>]",
        discussion: """
        Writes sweep.csv with one row per (point, replication, seed): point,replication,seed, \
        then the swept parameters' values (as the model used them: whole-number parameters \
        rounded, switches 0/1), then every output (an empty field when there was nothing to \
        measure). Rows are written in job order as runs finish, so a killed sweep loses at \
        most the runs in flight; --resume continues it (the same options, the same --out) \
        without losing or duplicating a row. design.json records the design and is checked \
        on resume and by merge. Replication r of every point uses the seed derived from \
        --seed and r (common random numbers), whichever shard or thread runs it; the table \
        has the same bytes whatever --jobs.

        --shard i/n runs only the jobs k = point·reps + replication with k mod n = i−1; run \
        every shard into its own folder, then `pillars merge` them.

        Examples:
          pillars sweep Scenarios/five-pillars.yaml --reps 10 \\
              --param governance.whistle.compliance=0.5:1:0.1
          pillars sweep Scenarios/five-pillars.yaml \\
              --design lhs --points 200 --reps 5 \\
              --param governance.whistle.compliance=0.5:1 \\
              --param participation.tenant_factor=0.2:0.8 \\
              --out Results/runs/lhs
        """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(name: .customLong("param"),
            help: ArgumentHelp("A parameter to vary: path=lo:hi, path=lo:hi:step or path=v1,v2,… (repeatable).", valueName: "path=range"))
    var params: [String] = []
    @Option(help: "How points are chosen: grid, random, lhs (Latin hypercube) or sobol.") var design: DesignKind = .grid
    @Option(help: "Points of a random, lhs or sobol design; values per continuous (lo:hi) parameter of a grid.") var points: Int?
    @Option(help: ArgumentHelp("Run the points of a CSV file (header: parameter paths; one row per point) instead of --param/--design.", valueName: "file"))
    var designFile: String?
    @Flag(help: "Also write timeseries.csv (point,replication,day, every output at each observation), streamed and resumed with sweep.csv.") var timeseries = false
    @Flag(help: "Write the design it would run to design.csv in --out (the --design-file format) and run nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Run only shard i of n (e.g. 2/4); seeds do not depend on the shard.", valueName: "i/n")) var shard: String?
    @Flag(help: "Continue the sweep in --out where it stopped (starts it when the folder is new).") var resume = false
    @OptionGroup var options: RunOptions
    @OptionGroup var posterior: PosteriorOption
    @OptionGroup var warmUp: WarmUpOptions
    @Option(help: outHelp("sweep-NAME-TIME (shard-i inside it with --shard)")) var out: String?

    func run() throws {
        let started = Date()
        let quiet = options.quiet
        let seed = options.seed
        let reps = options.reps
        let setup = try reportingErrors { () throws -> SweepSetup in
            let sc = try GovernanceModel.load(scenario, overrides: options.overrides)
            let fileDesign = try designFile.map { try readDesignFile($0, params: params, points: points) }
            let ranges = try fileDesign?.parameters ?? sweepParameters(params, registry: GovernanceModel.schema.registry)
            let chosenShard = try self.shard.map(Shard.parse) ?? .whole
            if points == nil, fileDesign == nil {
                if design != .grid {
                    throw ExperimentError("--design \(design.rawValue) needs --points N (the number of design points)")
                }
                if let p = ranges.first(where: { $0.discreteValues == nil }) {
                    throw ExperimentError("a grid over the continuous range \(p.name)=\(formatNumber(p.lo)):\(formatNumber(p.hi)) needs --points N (values per parameter) or a step (path=lo:hi:step)")
                }
            }
            if self.out == nil, resume { throw fail("--resume needs --out DIR, the folder of the sweep to continue") }
            let target = try self.out.map { try outputPath($0) } ?? URL(fileURLWithPath: experimentOutDir("sweep", sc, started: started)
                + (chosenShard.count > 1 ? "/shard-\(chosenShard.index)" : ""))
            // Before building the design: one that cannot fit in memory or on disk fails now.
            try ResourceCheck.checkSweep(points: fileDesign?.points.count ?? ResourceCheck.designPoints(kind: design, ranges: ranges, points: points ?? 1),
                                         parameters: ranges.count, replications: reps, shard: chosenShard, out: target, resume: resume,
                                         maxMemory: options.maxMemory)
            try ResourceCheck.checkModel(sc, concurrent: options.jobs, maxMemory: options.maxMemory)
            let d = try fileDesign ?? Design.make(kind: design, parameters: ranges, points: points ?? 1, seed: seed)
            let effective = try effectiveValues(sc, ranges, d.points)
            // The default folder is new (unique even for two sweeps started in the same second).
            let out = self.out != nil ? target : try claimNewFolder(target.path)
            if dryRun {
                // The posterior is checked as a run would check it (nothing of it is written).
                _ = try posterior.load(checking: [sc], replications: reps, options: options)
                // The design it would run, in the --design-file format; nothing is run.
                let lock = try claimResultsFolder(out, overwrite: false)
                defer { lock.release() }
                // Whole-number parameters as the run uses them (rounded): a design file must
                // give them whole, so the file reads back as the design that would run.
                let registry = GovernanceModel.schema.registry
                let whole = d.parameters.map { p -> Bool in if case .int = registry[p.name]?.kind { return true } else { return false } }
                try ResultsFiles.write(d.rounding(whole).csv, to: out.appendingPathComponent("design.csv"))
            }
            return SweepSetup(scenario: sc, design: d, shard: chosenShard, effective: effective, out: out)
        }
        if dryRun {
            if !quiet { print("dry run: \(setup.design.points.count) points (\(setup.design.kind.rawValue)) × \(reps) replications would run; design: \(setup.out.appendingPathComponent("design.csv").path)") }
            return
        }
        let sc = setup.scenario
        let draws = try reportingErrors { try posterior.load(checking: [sc], replications: reps, options: options) }
        if !quiet { warnTimeline(sc, setup.design.parameters) }
        let out = setup.out
        let header = ["point", "replication", "seed"] + setup.design.parameters.map(\.name) + Output.names
        let record = SweepRecord(
            version: GovernanceModel.version, scenarioFile: sc.file, scenarioName: sc.name,
            scenarioHash: "fnv1a64:" + contentHash(ScenarioEmitter.yaml(sc) + (draws.map { "\nposterior:\n" + $0.csv } ?? "")), design: setup.design,
            pointsRequested: points, replications: reps, masterSeed: seed, columns: header, shard: setup.shard)
        let tableURL = out.appendingPathComponent("sweep.csv")
        let (writer, lock) = try reportingErrors { () throws -> (TidyTableWriter, FolderLock) in
            // Locked until the sweep ends: a second sweep (or --resume) on this folder is refused.
            let lock = try prepareSweepFolder(out, record: record, resume: resume)
            let shard = setup.shard
            let writer = try TidyTableWriter(url: tableURL, header: header, resume: resume, keyColumns: 2,
                                             check: { record.rowProblem($0, shard: shard) ?? outputValueProblem($0, header) })
            return (writer, lock)
        }
        defer { lock.release() }
        let seriesDays: (Int) -> Int = { job in
            let point = job / reps
            var p = sc.parameters
            for (j, r) in setup.design.parameters.enumerated() { try? p.set(r.name, number: setup.design.points[point][j]) }
            return seriesRows(days: p[\SimulationSettings.days], every: p[\SimulationSettings.observeEvery])
        }
        let opened = try reportingErrors {
            try openTimeseries(out, enabled: timeseries, main: writer, record: record, points: setup.design.points.count, replications: reps,
                               shard: setup.shard, expectedRows: seriesDays)
        }
        let side = opened?.table
        if let opened, !opened.repairs.isEmpty, !quiet {
            writeStandardError("note: \(opened.table.writer.url.path) lacks days of \(opened.repairs.count) job(s) that sweep.csv holds (the file was cut); their series are run again\n")
        }
        if let d = side?.writer.droppedTornBytes, d > 0, !quiet {
            writeStandardError("note: dropped a torn last line (\(d) bytes) of \(side!.writer.url.path)\n")
        }
        if writer.droppedTornBytes > 0, !quiet {
            writeStandardError("note: dropped a torn last line (\(writer.droppedTornBytes) bytes) of \(tableURL.path); that run is done again\n")
        }
        let extra: [String: Any] = [
            "verb": "sweep", "design": record.design, "design_points": record.designPoints,
            "parameters": record.parameters.map(SweepRecord.describe), "shard": record.shard,
            "status": "running", "posterior": posterior.posterior ?? NSNull(),
        ]
        try reportingErrors {
            try ResultsFiles.write(manifest(sc, seed: seed, reps: reps, started: started, extra: extra),
                                   to: out.appendingPathComponent("manifest.json"))
            try writeOutputsDictionary(out)
        }

        let pendingGuess = record.shardJobs - writer.resumedRows
        let progress = Progress(total: max(pendingGuess, 0), label: "sweep", quiet: quiet)
        let designPoints = setup.design.points
        let effective = setup.effective
        let varied = setup.design.parameters
        // Points whose warm-ups are equal start replication r from one copy of it; a state is
        // revisited one point (reps jobs) later, so the cache keeps one per replication in flight.
        let warmStarts = WarmStartCache(capacity: warmStartCapacity(sc, varying: varied, wanted: reps + options.jobs, options: options, share: warmUp.share))
        // One job as the sweep runs it: draw r mod N first (with --posterior); the swept values win over it.
        let runJob = { @Sendable (point: Int, replication: Int, series: Bool) throws -> ReplicationResult in
            var s = draws.scenario(sc, replication: replication)
            for (j, p) in varied.enumerated() { try s.parameters.set(p.name, number: designPoints[point][j]) }
            return warmStarts.run(s, replication: replication, masterSeed: seed, recordSeries: series)
        }
        let jobSeries = { @Sendable (point: Int, replication: Int, r: ReplicationResult) -> [[String]] in
            let key = [String(point), String(replication)]
            return r.series.map { key + [String(Int($0[0]))] + $0.dropFirst().map(csvNumber) }
        }
        // Jobs whose series was cut: run again, and only their missing days written.
        try reportingErrors {
            for job in opened?.repairs ?? [] {
                let (p, r) = (job / reps, job % reps)
                try side?.write(jobSeries(p, r, try runJob(p, r, true)), job: job)
            }
        }
        let result = try reportingErrors { () throws -> SweepProgress in
            try streamSweep(
                points: designPoints.count, replications: reps, masterSeed: seed, shard: setup.shard,
                writer: writer, jobs: options.jobs, progress: { ran, _ in progress.update(ran) }
            ) { job in
                do {
                    let r = try runJob(job.point, job.replication, side != nil)
                    if let side {
                        // The job's time series reach the disk before its row of sweep.csv.
                        try side.write(jobSeries(job.point, job.replication, r), job: job.point * reps + job.replication)
                    }
                    return [String(job.point), String(job.replication), String(r.seed)] + effective[job.point] + r.outputs.map(csvNumber)
                } catch {
                    side?.fail()
                    throw error
                }
            }
        }
        try reportingErrors {
            try writer.close()
            try side?.writer.close()
            var done = extra
            done["status"] = "complete"
            done["rows_resumed"] = result.resumed
            done["rows_run"] = result.ran
            try ResultsFiles.write(manifest(sc, seed: seed, reps: reps, started: started, extra: done),
                                   to: out.appendingPathComponent("manifest.json"))
        }
        if !quiet {
            let shardText = setup.shard.count > 1 ? ", shard \(record.shard) owns \(result.owned)" : ""
            let resumed = result.resumed > 0 ? "\(result.resumed) resumed, " : ""
            print("sweep \(sc.name): \(record.designPoints) points (\(record.design)) × \(reps) replications = \(record.totalJobs) runs\(shardText); \(resumed)\(result.ran) run in \(formatDuration(Date().timeIntervalSince(started)))")
            print("results: \(tableURL.path)")
        }
    }
}

private struct SweepSetup: Sendable {
    var scenario: Scenario
    var design: Design
    var shard: Shard
    var effective: [[String]]
    var out: URL
}

/// A new sweep needs a new or empty folder; a resumed one the same design.json (or a folder
/// with no sweep in it yet, and nothing else). The folder is locked first and checked under
/// the lock, so two sweeps on one folder never both write it.
private func prepareSweepFolder(_ out: URL, record: SweepRecord, resume: Bool) throws -> FolderLock {
    let lock = try lockedFolder(out)
    let contents = folderContents(out)
    let tableURL = out.appendingPathComponent("sweep.csv"), recordURL = out.appendingPathComponent("design.json")
    let hasTable = contents.contains("sweep.csv"), hasRecord = contents.contains("design.json")
    if !resume {
        if hasTable || hasRecord {
            throw ExperimentError("\(out.path) already holds a sweep; pass --resume to continue it, or choose another --out")
        }
        if !contents.isEmpty {
            throw ExperimentError("\(out.path): already holds other files; choose a new or empty --out")
        }
    }
    if hasRecord {
        let old = try SweepRecord.read(recordURL)
        let diff = record.differences(from: old, ignoringShard: false, mine: "now", theirs: "in design.json")
        guard diff.isEmpty else {
            throw ExperimentError("\(out.path) holds a different sweep (\(diff.joined(separator: "; "))); resume with the same scenario and options, or choose another --out")
        }
    } else if hasTable {
        throw ExperimentError("\(tableURL.path) has no design.json beside it, so it cannot be checked to be the same sweep; choose another --out")
    } else {
        // --resume on a folder without a sweep starts one only when the folder is empty.
        if !contents.isEmpty {
            throw ExperimentError("\(out.path): holds no sweep but other files (\(contents.prefix(3).joined(separator: ", "))\(contents.count > 3 ? ", …" : "")); choose a new or empty --out")
        }
        try ResultsFiles.write(record.json(), to: recordURL)
    }
    return lock
}

/// Parse `--param` texts and check each against the model's parameters: the path must be a
/// parameter (with a suggestion when it is not), a number, a whole number or a switch (not a
/// choice), and the range must lie within the parameter's declared range.
func sweepParameters(_ texts: [String], registry: ParameterRegistry) throws -> [ParameterRange] {
    guard !texts.isEmpty else {
        throw ExperimentError("no --param given (expected at least one --param path=lo:hi, path=lo:hi:step or path=v1,v2,...)")
    }
    var seen = Set<String>()
    return try texts.map { text in
        let r = try ParameterRange.parse(text)
        guard let spec = registry[r.name] else {
            var m = "--param \(text): "
            if registry.isSection(r.name) {
                m += "'\(r.name)' is a section, not a parameter"
            } else {
                m += "unknown parameter '\(r.name)'"
                if let s = registry.suggestion(for: r.name) { m += " (did you mean '\(s)'?)" }
            }
            throw ExperimentError(m + "; `pillars params` lists every parameter")
        }
        let lo: Double, hi: Double
        switch spec.kind {
        case let .double(a, b): (lo, hi) = (a, b)
        case let .int(a, b): (lo, hi) = (Double(a), Double(b))
        case .bool: (lo, hi) = (0, 1)
        case let .choice(c):
            throw ExperimentError("--param \(text): \(r.name) is a choice (one of \(c.joined(separator: ", "))), not a number; set it with --set, or compare scenarios")
        }
        guard r.lo >= lo, r.hi <= hi else {
            let given = r.values != nil ? "the values (\(formatNumber(r.lo)) to \(formatNumber(r.hi)))" : "the range [\(formatNumber(r.lo)), \(formatNumber(r.hi))]"
            throw ExperimentError("--param \(text): \(given) is outside the declared range of \(r.name), [\(spec.minText), \(spec.maxText)] (\(spec.unit))")
        }
        guard seen.insert(r.name).inserted else {
            throw ExperimentError("--param \(text): \(r.name) is given more than once (expected each path once)")
        }
        return r
    }
}

/// The swept values as the model uses them (whole numbers rounded, switches 0/1), formatted,
/// one row per design point; also checks each point gives a valid scenario.
func effectiveValues(_ sc: Scenario, _ ranges: [ParameterRange], _ points: [[Double]]) throws -> [[String]] {
    var out = [[String]]()
    out.reserveCapacity(points.count)
    for (i, point) in points.enumerated() {
        let s = try pointScenario(sc, ranges, point, index: i)
        out.append(ranges.map { formatNumber(s.parameters[$0.name].number ?? .nan) })
    }
    return out
}

/// `sc` with the swept parameters set to `point`, validated; errors name the point.
func pointScenario(_ sc: Scenario, _ ranges: [ParameterRange], _ point: [Double], index: Int) throws -> Scenario {
    var s = sc
    let text = zip(ranges, point).map { "\($0.name)=\(formatNumber($1))" }.joined(separator: ", ")
    do {
        for (p, x) in zip(ranges, point) { try s.parameters.set(p.name, number: x) }
        try GovernanceModel.validate(s)
    } catch let e as ParamParseError {
        throw ExperimentError("design point \(index) (\(text)): \(e.message)")
    } catch {
        throw ExperimentError("design point \(index) (\(text)): \(error)")
    }
    return s
}

/// A note when the scenario's timeline changes a varied parameter: the varied value holds
/// only until that day.
func warnTimeline(_ sc: Scenario, _ ranges: [ParameterRange]) {
    let names = Set(ranges.map(\.name))
    for e in sc.timeline {
        for c in e.changes where names.contains(c.path) {
            writeStandardError("warning: the timeline of \(sc.name) sets \(c.path) on day \(e.day); the varied value holds only before that day\n")
        }
    }
}

/// Default results folder of an experiment: Results/runs/VERB-NAME-TIME (before
/// `claimNewFolder` makes it unique).
func experimentOutDir(_ verb: String, _ sc: Scenario, started: Date) -> String {
    experimentOutDir(verb, fileStem(sc), started: started)
}

/// Default results folder: Results/runs/VERB-NAME-TIME.
func experimentOutDir(_ verb: String, _ name: String, started: Date) -> String {
    "Results/runs/" + timeStamped("\(verb)-\(name)", started)
}

/// The design of `--design-file path`: read and checked against the model's parameters.
/// The file gives the parameters and points, so `--param` and `--points` are refused.
func readDesignFile(_ path: String, params: [String], points: Int?) throws -> Design {
    guard params.isEmpty else {
        throw ExperimentError("--design-file \(path): the file's header gives the parameters; drop --param \(params[0])")
    }
    guard points == nil else { throw ExperimentError("--design-file \(path): the file gives the points; drop --points") }
    guard FileManager.default.fileExists(atPath: path) else {
        throw ExperimentError("--design-file \(path): no such file (expected a CSV with a header of parameter paths)")
    }
    return try Design.read(URL(fileURLWithPath: path), registry: GovernanceModel.schema.registry)
}

/// timeseries.csv of a sweep (with --timeseries), opened beside sweep.csv: new, or resumed
/// with it. A sweep started with --timeseries is resumed with it and one started without,
/// without it, so the table never lacks the series of jobs run before. On resume every row is
/// checked (`seriesRowProblem`: a job of this sweep and shard, a whole day, numbers), and a job
/// that sweep.csv holds but whose series is short (the file was cut inside it) is returned in
/// `repairs`, to be run again for its missing days (`expectedRows`: rows a job writes).
func openTimeseries(_ out: URL, enabled: Bool, main: TidyTableWriter, record: SweepRecord, points: Int, replications: Int, shard: Shard,
                    expectedRows: (Int) -> Int) throws -> (table: OrderedSideTable, repairs: [Int])? {
    let url = out.appendingPathComponent("timeseries.csv")
    let exists = FileManager.default.fileExists(atPath: url.path)
    guard enabled else {
        if exists { throw ExperimentError("\(out.path) holds timeseries.csv: the sweep was started with --timeseries; resume it with --timeseries") }
        return nil
    }
    if !exists, main.resumedRows > 0 {
        throw ExperimentError("\(out.path): the sweep was started without --timeseries (sweep.csv has rows, there is no timeseries.csv); resume it without --timeseries, or choose another --out")
    }
    let header = ["point", "replication", "day"] + Output.names
    let writer = try TidyTableWriter(url: url, header: header, resume: exists, keyColumns: 3,
                                     check: { record.seriesRowProblem($0, columns: header.count, shard: shard) ?? outputValueProblem($0, header) })
    // Every job sweep.csv holds wrote its series first: one without any is a damaged table.
    var found = [[String]: Int]()
    for k in writer.completedKeys { found[Array(k.prefix(2)), default: 0] += 1 }
    if let missing = main.completedKeys.first(where: { found[$0] == nil }) {
        let n = main.completedKeys.filter { found[$0] == nil }.count
        throw ExperimentError("\(url.path): has no rows for \(n) job(s) that sweep.csv holds (e.g. point \(missing[0]), replication \(missing[1])); the table is damaged: choose another --out")
    }
    let repairs = main.completedKeys.compactMap { key -> Int? in
        guard let p = Int(key[0]), let r = Int(key[1]) else { return nil }
        let job = p * replications + r
        return found[key]! < expectedRows(job) ? job : nil
    }.sorted()
    let pending = pendingSweepJobs(points: points, replications: replications, shard: shard, writer: main)
    return (OrderedSideTable(writer: writer, jobs: repairs + pending), repairs)
}

/// Rows of the time series one job writes: one per observation day (every
/// simulation.observe_every_days days and the last day).
func seriesRows(days: Int, every: Int) -> Int { days / max(every, 1) + (days % max(every, 1) == 0 ? 0 : 1) }

/// What is wrong with a result row's outputs, by the outputs' own ranges: a share outside
/// [0, 1] or an infinite value (an empty field, NaN, is "not measured" and fine). nil when fine.
func outputValueProblem(_ fields: [String], _ columns: [String]) -> String? {
    for (i, c) in columns.enumerated() where i < fields.count && !fields[i].isEmpty {
        guard let o = Output(rawValue: c), let x = Double(fields[i]) else { continue }
        if x.isInfinite { return "\(c) is \(fields[i]), not a finite number" }
        if o.isShare, !(0...1).contains(x) { return "\(c) is \(fields[i].prefix(40)), not a share in [0, 1]" }
    }
    return nil
}
