import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// Early checks that a piece of work fits the machine, made before anything runs or is
/// written: a design whose points would not fit in memory, or whose table would not fit on
/// the disk, fails at once with a clear message instead of hours later (or with the machine
/// swapping). The estimates are deliberately modest (about 8 bytes per CSV field), so they
/// refuse only what clearly cannot fit; a disk that fills up anyway is reported when a write
/// fails, and the rows written so far are kept.
enum ResourceCheck {
    /// Bytes of one CSV field, on average (a number like 0.4213 and its comma).
    static let bytesPerField = 8
    /// Share of the physical memory a design or a run's results may take.
    static let memoryShare = 0.5

    /// Physical memory of the machine.
    static var physicalMemory: Double { Double(ProcessInfo.processInfo.physicalMemory) }

    /// Free bytes (for an unprivileged writer) on the file system holding `url`, or its
    /// nearest existing ancestor; nil when it cannot be told.
    static func freeBytes(at url: URL) -> Double? {
        var dir = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: dir.path) {
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
        var st = statvfs()
        guard statvfs(dir.path, &st) == 0 else { return nil }
        return Double(st.f_bavail) * Double(st.f_frsize)
    }

    /// "1.5 GB", "320 MB", "12 kB".
    static func bytesText(_ b: Double) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var x = b, i = 0
        while x >= 1000, i < units.count - 1 { x /= 1000; i += 1 }
        if x >= 1e6 { return String(format: "%.3g %@", x, units[i]) }
        return i == 0 ? "\(Int(x)) bytes" : String(format: x < 10 ? "%.1f %@" : "%.0f %@", x, units[i])
    }

    /// The number of points `Design.make` would build, without building them (saturating at
    /// Int.max): a grid's product of axis lengths, else `points`.
    static func designPoints(kind: DesignKind, ranges: [ParameterRange], points: Int) -> Int {
        guard kind == .grid else { return points }
        var total = 1
        for r in ranges {
            let n = r.values?.count ?? r.step.map { Int(min(((r.hi - r.lo) / $0 + 1e-9).rounded(.down) + 1, 1e15)) } ?? max(points, 1)
            let (p, overflow) = total.multipliedReportingOverflow(by: n)
            total = overflow ? Int.max : p
        }
        return total
    }

    /// Refuse a sweep whose design would not fit in memory or whose table would not fit on
    /// the disk of `out` (rows already in a resumed table count as written).
    static func checkSweep(points: Int, parameters k: Int, replications: Int, shard: Shard, out: URL, resume: Bool, maxMemory: Double? = nil) throws {
        let memory = Double(points) * Double(48 * k + 96)
        let (limit, limitText) = memoryLimit(maxMemory)
        if memory > limit {
            throw ExperimentError("the design has \(points) points: holding them would take about \(bytesText(memory)) of memory, more than \(limitText); use fewer --points or values per parameter")
        }
        let jobs = Double(points) * Double(replications)
        let rows = (jobs / Double(shard.count)).rounded(.up)
        let rowBytes = Double((3 + k + Output.allCases.count) * bytesPerField)
        var needed = rows * rowBytes
        if resume, let written = try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("sweep.csv").path)[.size] as? NSNumber {
            needed -= written.doubleValue
        }
        if let free = freeBytes(at: out), needed > free {
            let shardText = shard.count > 1 ? " (shard \(shard.index)/\(shard.count))" : ""
            throw ExperimentError("\(out.path): the sweep would write about \(bytesText(needed)) (\(Int(rows)) rows\(shardText) × ~\(Int(rowBytes)) bytes) but only \(bytesText(free)) is free there; use fewer --points or --reps, split it with --shard, or choose another --out")
        }
    }

    /// Refuse a run whose results (every replication's time series is kept until the files are
    /// written) would not fit in memory, or whose files would not fit on the disk of `out`.
    static func checkRun(_ sc: Scenario, replications: Int, out: URL, maxMemory: Double? = nil) throws {
        let days = sc.parameters[\SimulationSettings.days]
        let every = max(1, sc.parameters[\SimulationSettings.observeEvery])
        let observations = Double(days / every + 1)
        let communities = Double(max(1, GovernanceModel.communityNames(sc).count))
        let outputs = Double(Output.allCases.count + 1)
        let reps = Double(replications)
        let memory = reps * (observations * (outputs * 8 + 32) + communities * (outputs * 8 + 32) + 256)
        let (limit, limitText) = memoryLimit(maxMemory)
        if memory > limit {
            throw ExperimentError("\(replications) replications of \(sc.name) would keep about \(bytesText(memory)) of results in memory (\(Int(observations)) observation days each), more than \(limitText); use fewer --reps or a larger simulation.observe_every_days")
        }
        let disk = reps * (observations + communities + 1) * (outputs + 1) * Double(bytesPerField)
        if let free = freeBytes(at: out), disk > free {
            throw ExperimentError("\(out.path): the run would write about \(bytesText(disk)) of results but only \(bytesText(free)) is free there; use fewer --reps, a larger simulation.observe_every_days, or choose another --out")
        }
    }

    /// Bytes one household takes while a replication runs, from the model's arrays
    /// (`Households`: 56 bytes of state in 20 columns; its ties, stored both ways as Int32 and
    /// built through a per-household list first), rounded up for the mechanisms' own state
    /// (problems, logs, deliberation and evaluation lists): 224 bytes at the default 5 ties,
    /// against 228 measured for one community of 300,000 (docs/PERFORMANCE.md, session F).
    static func householdBytes(_ p: ParameterSet) -> Double {
        let ties = Double(p[\PopulationSettings.tiesInBuilding] + p[\PopulationSettings.longTies])
        return 144 + 16 * ties
    }
    /// Bytes one community of a district takes besides its households: its parameters and
    /// settings (twice: as set up and as in force), streams, summary windows and allocator
    /// slack — about 110 kB measured (300 communities of 1,500: 303 bytes per household
    /// against 228 in one community), rounded up.
    static let communityBytes = 128.0 * 1024

    /// Memory a run may take: `--max-memory` when given, else half the physical memory or
    /// what the system says is available (Linux `MemAvailable`), whichever is less.
    static func memoryLimit(_ maxMemory: Double?) -> (bytes: Double, text: String) {
        if let m = maxMemory { return (m, "the --max-memory limit of \(bytesText(m))") }
        let half = physicalMemory * memoryShare
        if let a = availableMemory, a < half { return (a, "the \(bytesText(a)) this machine has available") }
        return (half, "half of this machine's \(bytesText(physicalMemory))")
    }

    /// `MemAvailable` of /proc/meminfo in bytes; nil where there is none.
    static var availableMemory: Double? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kb * 1024
    }

    /// "4G", "512M", "2.5GB", "1000000" (bytes) → bytes; powers of 1024.
    static func parseBytes(_ text: String) -> Double? {
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasSuffix("IB") { t.removeLast(2) } else if t.hasSuffix("B") { t.removeLast() }
        let scale: Double
        switch t.last {
        case "K": scale = 1024
        case "M": scale = 1024 * 1024
        case "G": scale = 1024 * 1024 * 1024
        case "T": scale = 1024 * 1024 * 1024 * 1024
        default: scale = 1
        }
        if scale > 1 { t.removeLast() }
        guard let x = Double(t), x.isFinite, x > 0 else { return nil }
        return x * scale
    }

    /// `checkModel` for the draw that needs the most memory: a posterior that draws
    /// `population.households` (or the ties) sets the size of the model, as `--set` would.
    static func checkDraws(_ draws: ParameterDraws, on sc: Scenario, concurrent: Int, maxMemory: Double?) throws {
        let sizing = ["population.households", "population.ties_in_building", "population.long_ties"]
        guard draws.drawnPaths(for: sc).contains(where: sizing.contains) else { return }
        var largest: (bytes: Double, index: Int)? = nil
        for i in draws.rows.indices {
            let p = draws.scenario(sc, draw: i).parameters
            let bytes = Double(p[\PopulationSettings.households]) * householdBytes(p)
            if largest == nil || bytes > largest!.bytes { largest = (bytes, i) }
        }
        guard let largest else { return }
        do { try checkModel(draws.scenario(sc, draw: largest.index), concurrent: concurrent, maxMemory: maxMemory) } catch let e as ExperimentError {
            throw ExperimentError("\(draws.file) line \(largest.index + 2) (draw \(largest.index + 1)): \(e.description)")
        }
    }

    /// Refuse a scenario whose replications (`concurrent` of them at once) would not fit in
    /// memory: every household of every community is held while a replication runs. Made
    /// before anything runs, so 10,000 communities of 2 million households fail at once with
    /// the memory they would need, instead of swapping the machine.
    static func checkModel(_ sc: Scenario, concurrent: Int, maxMemory: Double? = nil) throws {
        let members = (try? District.members(sc)) ?? nil
        let sets = members?.map(\.parameters) ?? [sc.parameters]
        let households = sets.reduce(0.0) { $0 + Double($1[\PopulationSettings.households]) }
        let one = sets.reduce(0.0) { $0 + Double($1[\PopulationSettings.households]) * householdBytes($1) }
            + (members == nil ? 0 : Double(sets.count) * communityBytes)
        let (limit, limitText) = memoryLimit(maxMemory)
        let size = members.map { "\($0.count) communities, \(Int(households)) households in all" } ?? "\(Int(households)) households"
        if one > limit {
            throw ExperimentError("\(sc.file): one replication of \(sc.name) (\(size)) would need about \(bytesText(one)) of memory, more than \(limitText); use fewer households or communities")
        }
        let all = one * Double(max(concurrent, 1))
        if all > limit {
            throw ExperimentError("\(sc.file): \(concurrent) replications of \(sc.name) at once (\(size) each) would need about \(bytesText(all)) of memory, more than \(limitText); use fewer --jobs (one needs about \(bytesText(one)))")
        }
    }
}
