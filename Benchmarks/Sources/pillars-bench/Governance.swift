// pillars-bench governance: throughput, scaling and memory of the five-pillars model.
//
//   pillars-bench governance [--scenario PATH]… [--runs K] [--scaling] [--memory N] [--district] [--replications R]
//
// Each measurement is timed inside this process; throughput is the median over K runs of
// one replication on one thread. Household-days count the simulated days of the run plus
// its traditional warm-up (simulation.warmup_days), since both are simulated in full.
import Foundation
import Governance
import SimCore
import SimConfig

func runGovernanceBenchmark(_ args: [String]) -> Int32 {
    var scenarios: [String] = []
    var runs = 5
    var scaling = false, district = false
    var memory: Int?
    var replications = 8
    var i = 0
    func value() -> String {
        i += 1
        guard i < args.count else { fail("\(args[i - 1]) needs a value") }
        return args[i]
    }
    while i < args.count {
        switch args[i] {
        case "--scenario": scenarios.append(value())
        case "--runs": runs = Int(value()) ?? { fail("--runs needs a whole number") }()
        case "--scaling": scaling = true
        case "--district": district = true
        case "--memory": memory = Int(value()) ?? { fail("--memory needs a household count") }()
        case "--replications": replications = Int(value()) ?? { fail("--replications needs a whole number") }()
        default: fail("unknown option \(args[i]) for governance")
        }
        i += 1
    }
    if let n = memory { return governanceMemory(households: n) }
    if scenarios.isEmpty && !scaling && !district {
        scenarios = ["Scenarios/five-pillars.yaml", "Scenarios/cases/chaoyang-compound.yaml"]
        scaling = true
        district = true
    }
    do {
        for path in scenarios { try throughput(path, runs: runs, replications: replications) }
        if scaling { try scalingRun(runs: runs) }
        if district { try districtRun() }
    } catch {
        printError("pillars-bench: \(error)")
        return 2
    }
    return 0
}

/// Household-days per second of one replication on one thread, and the speed-up of R
/// replications from one to two threads.
func throughput(_ path: String, runs: Int, replications: Int, overrides: [String] = [], label: String? = nil) throws {
    let s = try GovernanceModel.load(path, overrides: overrides)
    let n = s.parameters.int("population.households")
    let days = s.parameters.int("simulation.days") + s.parameters.int("simulation.warmup_days")
    var times: [Double] = []
    for r in 0..<runs {
        let t0 = wallSeconds()
        _ = GovernanceModel.run(s, replication: r, masterSeed: 42, recordSeries: false)
        times.append(wallSeconds() - t0)
    }
    let wall = median(times)
    let hd = Double(n) * Double(days)
    var speedup = "-"
    if replications > 1, label == nil {
        let t1 = wallSeconds()
        _ = try Parallel.map(replications, jobs: 1) { GovernanceModel.run(s, replication: $0, masterSeed: 42, recordSeries: false) }
        let one = wallSeconds() - t1
        let t2 = wallSeconds()
        _ = try Parallel.map(replications, jobs: 2) { GovernanceModel.run(s, replication: $0, masterSeed: 42, recordSeries: false) }
        let two = wallSeconds() - t2
        speedup = fmt(one / two, 3)
    }
    print(resultLine([
        "bench": "governance", "scenario": label ?? (path as NSString).lastPathComponent, "households": String(n),
        "days": String(days), "runs": String(runs), "wall_s": fmt(wall, 4), "ns_per_household_day": fmt(wall / hd * 1e9, 4),
        "household_days_per_s_per_core": fmt(hd / wall, 4), "replications_speedup_1_to_2_cores": speedup,
        "loadavg_1m": fmt(loadAverage1m(), 3),
    ]))
}

/// Cost per household-day at 600 … 600,000 households (linear in households × days).
func scalingRun(runs: Int) throws {
    for n in [600, 6_000, 60_000, 600_000] {
        try throughput("Scenarios/five-pillars.yaml", runs: n >= 600_000 ? 1 : (n >= 60_000 ? 2 : runs), replications: 1,
                       overrides: ["population.households=\(n)", "simulation.days=360"], label: "five-pillars.yaml@\(n)")
    }
}

/// A district of `communities` five-pillar communities over 3 years, loaded from a scenario
/// written to a temporary folder (removed before returning); `settings` are more top-level lines.
func districtScenario(_ name: String, communities: Int, settings: [String]) throws -> Scenario {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pillars-bench-\(name)-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let base = URL(fileURLWithPath: "Scenarios/five-pillars.yaml").standardizedFileURL.path
    let file = dir.appendingPathComponent("district.yaml")
    let lines = ["version: 1", "extends: \(base)", "name: \(name)", "simulation.days: 1080"] + settings
        + ["communities:", "  - name: community", "    count: \(communities)", ""]
    try Data(lines.joined(separator: "\n").utf8).write(to: file)
    return try GovernanceModel.load(file.path)
}

/// A district of 1,000 communities × 600 households over 3 years, on all cores.
func districtRun() throws {
    let s = try districtScenario("district-1000", communities: 1000, settings: ["simulation.observe_every_days: 90"])
    let t0 = wallSeconds()
    _ = GovernanceModel.run(s, replication: 0, masterSeed: 42, recordSeries: false)
    let wall = wallSeconds() - t0
    let hd = 1000.0 * 600 * Double(1080 + s.parameters.int("simulation.warmup_days"))
    print(resultLine([
        "bench": "governance-district", "communities": "1000", "households": "600000", "days": "1080",
        "cores": String(Parallel.cores), "wall_s": fmt(wall, 4), "household_days_per_s": fmt(hd / wall, 4),
        "loadavg_1m": fmt(loadAverage1m(), 3),
    ]))
}

/// Resident memory per household: RSS after building and running a community of `n`
/// households, less RSS before, over n.
func governanceMemory(households n: Int) -> Int32 {
    do {
        let s = try GovernanceModel.load("Scenarios/five-pillars.yaml", overrides: ["population.households=\(n)", "simulation.days=90", "simulation.warmup_days=90"])
        let before = currentRSSKiB()
        let r = GovernanceModel.run(s, replication: 0, masterSeed: 42, recordSeries: false)
        let peak = peakRSSKiB()
        print(resultLine([
            "bench": "governance-memory", "households": String(n), "rss_before_kib": String(before), "peak_rss_kib": String(peak),
            "bytes_per_household": fmt(Double(peak - before) * 1024 / Double(n), 4),
            "participation_rate": fmt(r.outputs[Output.participationRate.index], 3),
        ]))
        return 0
    } catch {
        printError("pillars-bench: \(error)")
        return 2
    }
}

/// Current resident set size in KiB (/proc/self/statm), or the peak where /proc is missing.
func currentRSSKiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return peakRSSKiB() }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}
