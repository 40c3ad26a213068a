import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// Options shared by the verbs that run the model.
struct RunOptions: ParsableArguments {
    @Option(help: "Replications (each with its own seed derived from --seed).")
    var reps: Int = 20
    @Option(help: "Master seed; replication seeds derive from it.")
    var seed: UInt64 = 42
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter: key.path=value (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "jobs"))
    var jobsOption: Int?
    @Flag(help: "No progress or tables on the terminal.")
    var quiet = false
    @Option(name: .customLong("max-memory"), help: ArgumentHelp("Refuse, before running, work whose replications would need more memory than this (e.g. 4G, 512M; default: half the physical memory or what is available, whichever is less).", valueName: "bytes"))
    var maxMemoryText: String?

    /// --max-memory in bytes (validated).
    var maxMemory: Double? { maxMemoryText.flatMap(ResourceCheck.parseBytes) }

    /// --jobs, or every core.
    var jobs: Int { jobsOption ?? Parallel.cores }

    func validate() throws {
        guard reps >= 1, reps <= 1_000_000 else { throw ValidationError("--reps must be in 1…1000000 (got \(reps))") }
        guard jobs >= 1, jobs <= 4096 else { throw ValidationError("--jobs must be in 1…4096 (got \(jobs))") }
        if let t = maxMemoryText, ResourceCheck.parseBytes(t) == nil {
            throw ValidationError("--max-memory must be a size such as 4G, 512M or a number of bytes (got '\(t)')")
        }
    }
}

/// The help of `--out` for a verb whose results folder is, by default, `Results/runs/NAME`
/// with the time in NAME (the same text in every verb's help).
func outHelp(_ defaultName: String) -> ArgumentHelp {
    ArgumentHelp("Output folder (default: a new Results/runs/\(defaultName), with -2, -3, … added when that is taken).", valueName: "dir")
}

/// A scenario's file name without folder and extension.
func fileStem(_ sc: Scenario) -> String { fileStem(sc.file) }
func fileStem(_ path: String) -> String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

/// `name` followed by the time in UTC, as the default results folders are named.
func timeStamped(_ name: String, _ started: Date) -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyyMMdd-HHmmss"
    f.timeZone = TimeZone(identifier: "UTC")
    return "\(name)-\(f.string(from: started))"
}

/// Create a new, empty folder at `path`, or at `path-2`, `path-3`, … when that is taken, and
/// return it. Each try is one mkdir(2), which only one process can win, so two runs started
/// in the same second never share (or refuse) a default results folder.
func claimNewFolder(_ path: String) throws -> URL {
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty { try ResultsFiles.makeDirectory(URL(fileURLWithPath: parent)) }
    for k in 1...10_000 {
        let candidate = k == 1 ? path : "\(path)-\(k)"
        if mkdir(candidate, 0o777) == 0 { return URL(fileURLWithPath: candidate) }
        guard errno == EEXIST else {
            throw ResultsFiles.WriteError(description: "\(candidate): cannot create the output folder (\(String(cString: strerror(errno))))")
        }
    }
    throw ResultsFiles.WriteError(description: "\(path): 10000 folders of that name are taken; choose --out")
}

/// Print a one-line error and exit with code 2 (bad input or a failed write).
func fail(_ message: String) -> ExitCode {
    writeStandardError("error: \(ConfigError.oneLine(message))\n")
    return ExitCode(2)
}

/// Run `body`, turning configuration and file errors into one clear line and exit code 2.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() }
    catch let e as ExitCode { throw e }
    catch let e as CleanExit { throw e }
    catch let e as ConfigError { throw fail(e.description) }
    catch let e as ResultsFiles.WriteError { throw fail(e.description) }
    catch let e as CustomStringConvertible { throw fail(e.description) }
    catch { throw fail("\(error)") }
}

/// Progress with the time left, on a terminal only (stderr), silent in pipes and with --quiet.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var last = Date.distantPast
    private let lock = NSLock()

    init(total: Int, label: String, quiet: Bool) {
        self.total = total
        self.label = label
        enabled = !quiet && isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["CI"] == nil
    }
    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard done == total || now.timeIntervalSince(last) > 0.2 else { return }
        last = now
        let elapsed = now.timeIntervalSince(start)
        let left = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(label) \(bar) \(done)/\(total)  \(formatDuration(elapsed)) elapsed, ~\(formatDuration(left)) left "
        writeStandardError(line)
        if done == total { writeStandardError("\r\u{1B}[K") }
    }
}

func formatDuration(_ s: Double) -> String {
    if s < 60 { return String(format: "%.1f s", s) }
    if s < 3600 { return String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60) }
    return String(format: "%d h %02d min", Int(s) / 3600, (Int(s) % 3600) / 60)
}

/// Pad for aligned tables.
func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
    let c = s.count
    if c >= n { return s }
    let p = String(repeating: " ", count: n - c)
    return right ? p + s : s + p
}

/// A value for the terminal: shares as percentages, others with 2–3 significant decimals.
func display(_ x: Double, share: Bool) -> String {
    if x.isNaN { return "–" }
    if share { return String(format: "%.1f %%", x * 100) }
    if abs(x) >= 1000 { return String(format: "%.0f", x) }
    if abs(x) >= 10 { return String(format: "%.1f", x) }
    return String(format: "%.2f", x)
}

/// `--posterior FILE`: parameter draws overlaid on the scenario, replication r with draw
/// r mod N (run, compare, sweep, cases; docs/CALIBRATION.md).
struct PosteriorOption: ParsableArguments {
    @Option(help: ArgumentHelp("Parameter draws (CSV: one column per parameter path, one row per draw, e.g. Scenarios/posterior.csv): replication r runs with draw r mod N.", valueName: "file"))
    var posterior: String?

    /// The draws `replications` replications use (draw r mod N for r < replications; the rest
    /// of the file is counted, not parsed), checked against every scenario they will be
    /// overlaid on, and the memory their largest community needs against the limit (nil
    /// without --posterior). A note names the columns a scenario states itself (`--set`, a
    /// scheme): those keep the stated value.
    /// `comparing`: the scenarios are alternatives compared with each other (`compare`), not
    /// independent cases.
    func load(checking scenarios: [Scenario], replications: Int, options: RunOptions, comparing: Bool = false) throws -> ParameterDraws? {
        try load(checking: scenarios, replications: replications, jobs: options.jobs, maxMemory: options.maxMemory, quiet: options.quiet,
                 comparing: comparing)
    }
    func load(checking scenarios: [Scenario], replications: Int, jobs: Int, maxMemory: Double?, quiet: Bool,
              comparing: Bool = false) throws -> ParameterDraws? {
        guard let posterior else { return nil }
        let d = try ParameterDraws.load(posterior, using: replications, memoryLimit: ResourceCheck.memoryLimit(maxMemory))
        for s in scenarios {
            try d.validate(against: s)
            try ResourceCheck.checkDraws(d, on: s, concurrent: min(jobs, replications), maxMemory: maxMemory)
        }
        // Scenarios compared whole (not as schemes) that differ in a drawn parameter: the draw
        // would set both to one value and the difference would vanish without a word.
        if comparing, let first = scenarios.first {
            for other in scenarios.dropFirst() {
                for p in d.paths where !first.stated.contains(p) && !other.stated.contains(p) && first.parameters[p] != other.parameters[p] {
                    throw ConfigError(file: other.file, path: p, "is \(other.parameters[p]) here and \(first.parameters[p]) in \(first.file), but \(posterior) draws it: every replication would give both the same draw and the difference would vanish; give this value as a scheme (--scheme) or --set, which win over draws, or compare without --posterior")
                }
            }
        }
        if !quiet {
            var noted = Set<String>()
            for s in scenarios {
                for p in d.paths where s.stated.contains(p) && noted.insert(p).inserted {
                    writeStandardError("note: \(p) is set by \(s.origins[p]?.file ?? "--set") (the planner's value wins); the draws of \(posterior) do not change it\n")
                }
            }
        }
        return d
    }
}

/// `--no-shared-warmup` of the verbs that run several scenarios (compare, sweep, sensitivity).
struct WarmUpOptions: ParsableArguments {
    @Flag(name: .customLong("no-shared-warmup"),
          help: "Simulate every scenario's warm-up itself instead of starting scenarios with equal warm-up settings from one copy of replication r's warm-up (the results are the same; for tests and benchmarks).")
    var noSharedWarmup = false
    var share: Bool { !noSharedWarmup }
}

/// How many warm-up states a sweep or sensitivity analysis keeps for reuse (`WarmStartCache`):
/// none unless changing some varied parameter can leave the warm-up as it is (its key equal
/// at the two ends of its range — a switch, which the warm-up sees off); then one per
/// replication in flight (`wanted`), at most 64, and at most a quarter of the memory limit.
func warmStartCapacity(_ sc: Scenario, varying ranges: [ParameterRange], wanted: Int, options: RunOptions, share: Bool) -> Int {
    guard share else { return 0 }
    let shareable = ranges.contains { r in
        var lo = sc, hi = sc
        guard (try? lo.parameters.set(r.name, number: r.lo)) != nil, (try? hi.parameters.set(r.name, number: r.hi)) != nil,
              let a = GovernanceModel.warmUpKey(lo) else { return false }
        return a == GovernanceModel.warmUpKey(hi)
    }
    guard shareable else { return 0 }
    let state = Double(sc.parameters[\PopulationSettings.households]) * ResourceCheck.householdBytes(sc.parameters)
    let budget = ResourceCheck.memoryLimit(options.maxMemory).bytes / 4
    return max(0, min(wanted, 64, Int(budget / max(state, 1))))
}
