import Foundation
@testable import Governance
@testable import pillars
import SimCore
import SimConfig
import Experiments
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

// Reliability of the command line (issue 8): sweeps killed with SIGKILL and resumed; designs
// too large for the machine; unwritable and full output folders; more --jobs than cores; and
// `--param` ranges fuzzed through the sweep command's own checks. Counts are printed
// ("reliability: …") and recorded in docs/RELIABILITY.md.

/// SplitMix64 (TestSupport), for reproducible kill delays and fuzz inputs.
private typealias Random = SplitMix64

@Suite("Reliability: kills, resource faults, --param fuzzing", .serialized)
struct ReliabilityCLITests {
    typealias CLI = CLITests

    static func bytes(_ url: URL) -> [UInt8] { (try? Array(Data(contentsOf: url))) ?? [] }
    static func oneLine(_ s: String) -> Bool { s.split(separator: "\n").count == 1 && s.hasSuffix("\n") }

    // MARK: Interrupted sweeps

    /// Number of SIGKILLs that must land on a running sweep.
    static let kills = 20

    /// Kill a sweep with SIGKILL at random moments (≥ 20 kills that interrupt a running
    /// process), resume it each time, and check after every kill that the table on disk is a
    /// byte prefix of an uninterrupted run's (no row missing, duplicated or out of order; at
    /// most a torn tail), and at the end that it equals that run byte for byte.
    @Test func sweepKilledTwentyTimesAndResumedEqualsAnUninterruptedRun() throws {
        let base = CLI.temp("kill20")
        defer { try? FileManager.default.removeItem(at: base) }
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--design", "lhs", "--points", "30", "--reps", "3", "--seed", "5",
                    "--param", "governance.whistle.compliance=0.5:1", "--param", "participation.tenant_factor=0.2:0.8",
                    "--set", "simulation.days=40", "--set", "simulation.warmup_days=20", "--set", "population.households=150",
                    "--quiet", "--jobs", "2"]
        let whole = base.appendingPathComponent("whole"), killed = base.appendingPathComponent("killed")
        let t0 = Date()
        let ref = try CLI.pillars(args + ["--out", whole.path])
        #expect(ref.status == 0, "\(ref.err)")
        let duration = Date().timeIntervalSince(t0)
        let reference = Self.bytes(whole.appendingPathComponent("sweep.csv"))
        let lines = reference.split(separator: UInt8(ascii: "\n")).count
        #expect(lines == 1 + 30 * 3)

        // Start-up time: a resume with nothing left to run (load, design, read the table, manifest).
        let s0 = Date()
        #expect(try CLI.pillars(args + ["--out", whole.path, "--resume"]).status == 0)
        let startup = Date().timeIntervalSince(s0)
        #expect(Self.bytes(whole.appendingPathComponent("sweep.csv")) == reference, "resuming a finished sweep changes nothing")

        var rng = Random(state: 0xC0FFEE)
        var interrupted = 0, attempts = 0, midRows = 0, inStartup = 0, torn = 0
        var rowsAtKill: [Int] = []
        var rowsBefore = 0
        let table = killed.appendingPathComponent("sweep.csv")
        while interrupted < Self.kills, attempts < 4 * Self.kills {
            attempts += 1
            let p = try PillarsBinary.start(args + ["--out", killed.path, "--resume"])
            // Every other kill during start-up (loading, design.json, the manifest, reading the
            // table), the others while rows are written (a little progress each time).
            let delay = attempts % 2 == 1 ? rng.unit() * startup : startup + rng.unit() * duration / 10
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            guard p.terminationReason == .uncaughtSignal else { continue } // it had finished: not a kill
            interrupted += 1
            let now = Self.bytes(table)
            // What a killed sweep leaves is always a prefix of the uninterrupted table.
            #expect(now.count <= reference.count && Array(reference.prefix(now.count)) == now,
                    "after kill \(interrupted): the table is not a prefix of the uninterrupted one")
            let complete = now.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count - 1
            if let last = now.last, last != UInt8(ascii: "\n") { torn += 1 }
            let rowsNow = max(complete - 1, 0)
            // Killed while writing rows (this attempt added some), or in start-up (loading,
            // checking the folder, reading the table, writing design.json and the manifest).
            if rowsNow > rowsBefore { midRows += 1 } else { inStartup += 1 }
            rowsBefore = rowsNow
            rowsAtKill.append(rowsNow)
        }
        let r = try CLI.pillars(args + ["--out", killed.path, "--resume"])
        #expect(r.status == 0, "\(r.err)")
        let final = Self.bytes(table)
        #expect(final == reference, "rows at each kill: \(rowsAtKill)")
        #expect(interrupted >= Self.kills, "only \(interrupted) of \(attempts) attempts were interrupted (run \(duration) s)")
        #expect(midRows >= Self.kills / 4, "too few kills landed while rows were being written: \(rowsAtKill)")
        // No temporary file of a killed writer is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: killed.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        print("reliability: kills: \(interrupted) SIGKILLs landed in \(attempts) attempts (\(midRows) while rows were being written, \(inStartup) in start-up before a row; \(torn) left a torn last line); rows on disk at each kill \(rowsAtKill); resumed table equals the uninterrupted one (\(lines - 1) rows; uninterrupted run \(String(format: "%.1f", duration)) s, start-up \(String(format: "%.2f", startup)) s)")
    }

    // MARK: Resource faults

    /// Designs and runs that cannot fit fail at once, with one line, writing nothing.
    @Test func designsThatCannotFitFailEarly() throws {
        let base = CLI.temp("fit")
        defer { try? FileManager.default.removeItem(at: base) }
        let p = ["--param", "governance.whistle.compliance=0.5:1"]
        let huge = base.appendingPathComponent("huge.yaml")
        try Data("version: 1\ncommunities:\n  - {name: c, count: 10000, set: {population.households: 2000000}}\n".utf8).write(to: huge)
        // `validate` refuses it too: it cannot run even once here.
        let v = try CLI.pillars(["validate", huge.path])
        #expect(v.status == 2 && v.err.contains("of memory") && Self.oneLine(v.err), "\(v.err)")
        let cases: [(args: [String], expected: String)] = [
            (["sweep", "Scenarios/five-pillars.yaml", "--design", "random", "--points", "1000000000", "--reps", "10"] + p, "of memory"),
            (["sweep", "Scenarios/five-pillars.yaml", "--design", "sobol", "--points", "9223372036854775807"] + p, "of memory"),
            // A grid of 10^8 points.
            (["sweep", "Scenarios/five-pillars.yaml", "--points", "10000", "--param", "participation.tenant_factor=0.2:0.8"] + p, "100000000 points"),
            // Two lattices of 100,001 and 60,001 values: a grid of 6·10^9 points.
            (["sweep", "Scenarios/five-pillars.yaml", "--param", "governance.whistle.compliance=0:1:0.00001",
              "--param", "participation.tenant_factor=0.2:0.8:0.00001"], "of memory"),
            // Rows × row size beyond the free disk.
            (["sweep", "Scenarios/five-pillars.yaml", "--design", "lhs", "--points", "10000000", "--reps", "1000000"] + p, "is free there"),
            (["run", "Scenarios/five-pillars.yaml", "--reps", "1000000", "--set", "simulation.observe_every_days=1"], "of results in memory"),
            (["run", "Scenarios/five-pillars.yaml", "--reps", "1000000", "--set", "simulation.days=36000"], "of results"),
            // Issue 18 item 5: 10,000 communities of 2 million households (grew past 5 GB in a minute).
            (["run", huge.path, "--reps", "2"], "10000 communities, 20000000000 households in all) would need about"),
            (["sweep", huge.path, "--points", "2", "--reps", "1"] + p, "of memory"),
        ]
        for (i, c) in cases.enumerated() {
            let out = base.appendingPathComponent("o\(i)")
            let t0 = Date()
            let r = try CLI.pillars(c.args + ["--out", out.path, "--quiet"])
            let seconds = Date().timeIntervalSince(t0)
            #expect(r.status == 2, "\(c.args): \(r.status) \(r.err)")
            #expect(r.err.contains(c.expected) && Self.oneLine(r.err), "\(c.args): \(r.err)")
            #expect(seconds < 10, "\(c.args) took \(seconds) s to fail")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(c.args): wrote \(out.path)")
        }
        print("reliability: designs that cannot fit: \(cases.count) refused before running, one line each")
    }

    /// An output folder that cannot be written (under /proc, where even root cannot create
    /// files, or below a regular file): exit 2, one line naming the folder.
    @Test func unwritableOutputFolderIsAClearError() throws {
        let base = CLI.temp("unwritable")
        defer { try? FileManager.default.removeItem(at: base) }
        let file = base.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let sweep = ["sweep", "Scenarios/five-pillars.yaml", "--points", "2", "--param", "governance.whistle.compliance=0.5:1",
                     "--reps", "1", "--set", "simulation.days=30", "--quiet"]
        let run = ["run", "Scenarios/five-pillars.yaml", "--reps", "1", "--set", "simulation.days=30", "--quiet"]
        var n = 0
        for args in [sweep, run, sweep + ["--resume"]] {
            for out in ["/proc/pillars-cannot-write", file.path + "/sub", file.path] {
                let r = try CLI.pillars(args + ["--out", out])
                n += 1
                #expect(r.status == 2, "\(args[0]) --out \(out): \(r.status) \(r.err)")
                #expect(r.err.contains(out) && Self.oneLine(r.err), "\(args[0]) --out \(out): \(r.err)")
            }
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "x", "the file in the way is untouched")
        print("reliability: unwritable output folders: \(n) cases, exit 2 with one line each")
    }

    /// A tmpfs of `size` mounted at a fresh folder (we run as root here and in CI), or nil with
    /// the reason when mounting is not possible.
    static func mountTmpfs(_ size: String) -> (URL, String?) {
        let dir = CLI.temp("tmpfs")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", dir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return (dir, "cannot run mount: \(error)") }
        p.waitUntilExit()
        return (dir, p.terminationStatus == 0 ? nil : "mount -t tmpfs failed (status \(p.terminationStatus)); not root?")
    }
    static func unmount(_ dir: URL) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = [dir.path]
        try? p.run()
        p.waitUntilExit()
        try? FileManager.default.removeItem(at: dir)
    }
    /// Fill the file system at `dir` (a file written until the disk is full); returns its URL.
    static func fill(_ dir: URL) -> URL {
        let filler = dir.appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let fd = open(filler.path, O_WRONLY | O_APPEND)
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, 4096) }) > 0 {}
        var one: UInt8 = 0
        while write(fd, &one, 1) > 0 {}
        close(fd)
        return filler
    }

    /// A disk that fills up during a sweep: exit 2 with one line naming the file and "No space
    /// left on device"; the rows written so far stay (the table is a prefix of the full one and
    /// ends with a complete row); after space is freed, --resume completes the same table.
    /// A run that meets a full disk when it writes its files leaves an earlier run's files as
    /// they were.
    @Test func fullDiskKeepsEarlierResults() throws {
        let (dir, reason) = Self.mountTmpfs("2m")
        defer { Self.unmount(dir) }
        if let reason {
            print("reliability: full disk: SKIPPED — \(reason)")
            return
        }
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--design", "lhs", "--points", "150", "--reps", "2", "--seed", "4",
                    "--param", "governance.whistle.compliance=0.5:1", "--set", "simulation.days=30", "--set", "simulation.warmup_days=10",
                    "--set", "population.households=60", "--quiet", "--jobs", "1"]
        let ref = CLI.temp("fullref")
        defer { try? FileManager.default.removeItem(at: ref) }
        #expect(try CLI.pillars(args + ["--out", ref.path + "/o"]).status == 0)
        let reference = Self.bytes(ref.appendingPathComponent("o/sweep.csv"))

        // The sweep starts with room to spare; once some rows are on disk the disk is filled.
        let out = dir.appendingPathComponent("sweep")
        let table = out.appendingPathComponent("sweep.csv")
        let errURL = dir.deletingLastPathComponent().appendingPathComponent("full-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let p = try PillarsBinary.start(args + ["--out", out.path], standardError: try FileHandle(forWritingTo: errURL))
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning, Self.bytes(table).split(separator: UInt8(ascii: "\n")).count < 11, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let filler = Self.fill(dir)
        p.waitUntilExit()
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        #expect(p.terminationStatus == 2, "status \(p.terminationStatus): \(err)")
        #expect(err.contains("No space left on device") && err.contains("sweep") && Self.oneLine(err), "\(err)")
        let partial = Self.bytes(table)
        let rows = partial.split(separator: UInt8(ascii: "\n")).count - 1
        #expect(rows >= 10 && rows < 300, "\(rows) rows kept")
        #expect(partial.last == UInt8(ascii: "\n"), "the table ends with a complete row")
        #expect(Array(reference.prefix(partial.count)) == partial, "the rows kept are the uninterrupted run's")
        // Space again: resume completes the same table.
        try FileManager.default.removeItem(at: filler)
        let r = try CLI.pillars(args + ["--out", out.path, "--resume"])
        #expect(r.status == 0, "\(r.err)")
        #expect(Self.bytes(table) == reference)

        // A run over an earlier run (--overwrite) on a full disk: the earlier files stay as they were.
        let runArgs = ["run", "Scenarios/five-pillars.yaml", "--reps", "3", "--set", "simulation.days=60", "--set", "population.households=80", "--quiet"]
        let runOut = dir.appendingPathComponent("run")
        #expect(try CLI.pillars(runArgs + ["--seed", "1", "--out", runOut.path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: runOut.path).sorted()
        let before = names.map { Self.bytes(runOut.appendingPathComponent($0)) }
        let newBytes = names.reduce(0) { $0 + Self.bytes(runOut.appendingPathComponent($1)).count }
        let filler2 = Self.fill(dir)
        // No room at all: refused before running. A little room (less than the files need, more
        // than the early estimate): the files fail as they are written.
        for (room, expected) in [(0, "is free there"), (newBytes * 3 / 4, "No space left on device")] {
            let size = (try FileManager.default.attributesOfItem(atPath: filler2.path)[.size] as? NSNumber)?.intValue ?? 0
            _ = truncate(filler2.path, off_t(max(0, size - room)))
            let full = try CLI.pillars(runArgs + ["--seed", "2", "--out", runOut.path, "--overwrite"])
            #expect(full.status == 2 && full.err.contains(expected) && Self.oneLine(full.err), "room \(room): \(full.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: runOut.path).sorted() == names, "no file added or left behind")
            #expect(names.map { Self.bytes(runOut.appendingPathComponent($0)) } == before, "the earlier run's files are untouched")
        }
        try FileManager.default.removeItem(at: filler2)
        print("reliability: full disk (tmpfs 2 MB): sweep stopped with exit 2 after \(rows) rows, all kept and equal to the uninterrupted run's, resumed to the full table; run --overwrite on a full disk refused early, and with \(newBytes * 3 / 4) bytes free failed while writing; both left the earlier run's \(names.count) files untouched")
    }

    /// A write that fills the disk in the middle of a row (tmpfs hands out whole pages, so the
    /// row's first bytes fit and the rest do not) must not leave half a row: the writer cuts
    /// it off, and the file ends with the last complete row.
    @Test func aRowCutByAFullDiskIsRemoved() throws {
        let (dir, reason) = Self.mountTmpfs("8k")
        defer { Self.unmount(dir) }
        if let reason {
            print("reliability: half-written row on a full disk: SKIPPED — \(reason)")
            return
        }
        let url = dir.appendingPathComponent("t.csv")
        let header = ["point", "replication"] + (0..<20).map { "column_\($0)" }
        let w = try TidyTableWriter(url: url, header: header, resume: false, syncEvery: 1)
        var written = 0
        var failure = ""
        for i in 0..<1000 {
            do {
                try w.write([String(i), "0"] + (0..<20).map { "0.\(String(repeating: String($0 % 10), count: 12))" })
                written += 1
            } catch {
                failure = "\(error)"
                break
            }
        }
        let data = Self.bytes(url)
        #expect(failure.contains("No space left on device"), "\(failure)")
        #expect(data.last == UInt8(ascii: "\n"), "the file ends with a complete row")
        #expect(data.split(separator: UInt8(ascii: "\n")).count == 1 + written)
        // The table reads back whole, and a resumed writer continues it.
        #expect(try readTidyTable(url).rows.count == written)
        print("reliability: half-written row on a full disk: \(written) rows fit in 8 kB, the row that did not was cut off")
    }

    /// A writer killed between writing a result file's temporary copy and renaming it leaves
    /// `.NAME.tmp-PID`; the next --resume (or run --overwrite) removes it.
    @Test func temporaryFilesOfAKilledWriterAreRemoved() throws {
        let base = CLI.temp("stale")
        defer { try? FileManager.default.removeItem(at: base) }
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let sweep = ["sweep", "Scenarios/five-pillars.yaml", "--points", "2", "--param", "governance.whistle.compliance=0.5:1",
                     "--reps", "1", "--set", "simulation.days=30", "--set", "simulation.warmup_days=0", "--quiet"]
        let run = ["run", "Scenarios/five-pillars.yaml", "--reps", "1", "--set", "simulation.days=30", "--set", "simulation.warmup_days=0", "--quiet"]
        for (args, again) in [(sweep, ["--resume"]), (run, ["--overwrite"])] {
            let out = base.appendingPathComponent(args[0])
            #expect(try CLI.pillars(args + ["--out", out.path]).status == 0)
            let stale = out.appendingPathComponent(".manifest.json.tmp-\(dead)")
            try Data("{".utf8).write(to: stale)
            #expect(try CLI.pillars(args + again + ["--out", out.path]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: stale.path), "\(args[0]) \(again[0]) left \(stale.lastPathComponent)")
        }
    }

    /// More threads than cores (64 on this machine's 2): the same bytes as one thread.
    @Test func moreJobsThanCoresGivesTheSameResults() throws {
        let base = CLI.temp("jobs64")
        defer { try? FileManager.default.removeItem(at: base) }
        let sweep = ["sweep", "Scenarios/five-pillars.yaml", "--design", "sobol", "--points", "8", "--reps", "2",
                     "--param", "governance.whistle.compliance=0.5:1", "--set", "simulation.days=40", "--set", "simulation.warmup_days=20", "--quiet"]
        let run = ["run", "Scenarios/five-pillars.yaml", "--reps", "6", "--set", "simulation.days=40", "--set", "simulation.warmup_days=20", "--quiet"]
        for jobs in ["1", "64"] {
            #expect(try CLI.pillars(sweep + ["--jobs", jobs, "--out", base.appendingPathComponent("s\(jobs)").path]).status == 0)
            #expect(try CLI.pillars(run + ["--jobs", jobs, "--out", base.appendingPathComponent("r\(jobs)").path]).status == 0)
        }
        #expect(Self.bytes(base.appendingPathComponent("s1/sweep.csv")) == Self.bytes(base.appendingPathComponent("s64/sweep.csv")))
        for f in ["summary.csv", "replications.csv", "timeseries.csv"] {
            #expect(Self.bytes(base.appendingPathComponent("r1/\(f)")) == Self.bytes(base.appendingPathComponent("r64/\(f)")), "\(f)")
        }
        print("reliability: --jobs 64 on \(Parallel.cores) cores: sweep.csv and the run's CSVs identical to --jobs 1")
    }

    // MARK: --param fuzzing

    static let paramVariants = 3_000

    /// `--param` texts (real, misspelt and section paths; ranges in, across and outside the
    /// declared range; lists; lattices with tiny steps; NaN, infinities, odd numbers and
    /// separators) through the sweep command's own parsing and checks (`sweepParameters`),
    /// then the design and its validation (`effectiveValues`): a one-line ExperimentError, or
    /// ranges inside the declared ranges and points that give valid scenarios.
    @Test func paramRangesGiveADesignOrAClearError() throws {
        let registry = GovernanceModel.schema.registry
        let numeric = registry.specs.filter { if case .choice = $0.kind { false } else { true } }
        let sc = try GovernanceModel.load(CLI.root.appendingPathComponent("Scenarios/five-pillars.yaml").path,
                                          overrides: ["simulation.days=20", "simulation.warmup_days=0", "population.households=30"])
        let odd = ["nan", "NaN", "inf", "-inf", "1e309", "-1e309", "0x10", "1_0", "", " ", "1e", ".", "--1", "1..2", "٣", "1,", ",1"]
        var rng = Random(state: 0xBADC0FFEE)
        var valid = 0, errors = 0, ran = 0
        var failures: [String] = []
        for _ in 0..<Self.paramVariants {
            let count = 1 + rng.int(3)
            var texts: [String] = []
            for _ in 0..<count {
                let spec = rng.pick(rng.int(20) == 0 ? registry.specs : numeric)
                var path = spec.path
                switch rng.int(12) {
                case 0: path = String(path.dropLast())
                case 1: path = rng.pick(["governance", "governance.whistle", "", " ", "a..b", ".x", "x.", "version"])
                case 2: path = path.uppercased()
                default: break
                }
                let (lo, hi): (Double, Double) = {
                    switch spec.kind {
                    case let .double(a, b): return (a, b)
                    case let .int(a, b): return (Double(a), Double(b))
                    default: return (0, 1)
                    }
                }()
                func v() -> String {
                    switch rng.int(10) {
                    case 0: return rng.pick(odd)
                    case 1: return formatNumber(hi + 1 + abs(hi))
                    case 2: return formatNumber(lo - 1)
                    case 3: return formatNumber(lo)
                    case 4: return formatNumber(hi)
                    default: return formatNumber(lo + (hi - lo) * rng.unit())
                    }
                }
                var a = v(), b = v()
                if let x = Double(a), let y = Double(b), x > y, rng.int(4) != 0 { swap(&a, &b) }
                let spec2: String
                switch rng.int(6) {
                case 0: spec2 = "\(a):\(b):\(rng.pick(["0", "-1", "1e-9", formatNumber((hi - lo) / 3), "nan", "inf", "0.5"]))"
                case 1: spec2 = (0..<(1 + rng.int(4))).map { _ in v() }.joined(separator: ",")
                case 2: spec2 = rng.pick(["", ":", "::", "1:2:3:4", "a:b", ",,", "1;2"])
                default: spec2 = "\(a):\(b)"
                }
                texts.append(rng.int(15) == 0 ? path + spec2 : "\(path)=\(spec2)")
            }
            do {
                let ranges = try sweepParameters(texts, registry: registry)
                for r in ranges {
                    guard let spec = registry[r.name] else { failures.append("\(texts): accepted unknown \(r.name)"); continue }
                    switch spec.kind {
                    case let .double(a, b): if r.lo < a || r.hi > b { failures.append("\(texts): \(r.name) outside [\(a), \(b)]") }
                    case let .int(a, b): if r.lo < Double(a) || r.hi > Double(b) { failures.append("\(texts): \(r.name) outside [\(a), \(b)]") }
                    case .bool: if r.lo < 0 || r.hi > 1 { failures.append("\(texts): \(r.name) outside [0, 1]") }
                    case .choice: failures.append("\(texts): accepted the choice \(r.name)")
                    }
                }
                let kind = rng.pick(DesignKind.allCases)
                let n = ResourceCheck.designPoints(kind: kind, ranges: ranges, points: 3)
                guard n <= 200 else { valid += 1; continue } // a large lattice grid: parsing was the point
                let d = try Design.make(kind: kind, parameters: ranges, points: 3, seed: rng.next())
                let eff = try effectiveValues(sc, ranges, d.points)
                valid += 1
                if rng.int(10) == 0 {
                    // Run one point briefly: the outputs are finite and shares stay in [0, 1].
                    let s = try pointScenario(sc, ranges, d.points[0], index: 0)
                    let out = GovernanceModel.run(s, replication: 0, masterSeed: 3, recordSeries: false).outputs
                    ran += 1
                    for (k, o) in Output.allCases.enumerated() where out[k].isInfinite || (o.isShare && !out[k].isNaN && !(0...1).contains(out[k])) {
                        failures.append("\(texts): \(o.name) = \(out[k])")
                    }
                }
                _ = eff
            } catch let e as ExperimentError {
                errors += 1
                let d = e.description
                if d.isEmpty || d.contains("\n") || d.count > 2000 { failures.append("\(texts): unclear error: \(d.prefix(300))") }
            } catch {
                errors += 1
                failures.append("\(texts): not an ExperimentError: \(type(of: error)) \(error)")
            }
        }
        print("reliability: --param fuzzing: \(Self.paramVariants) variants, \(valid) valid designs (\(ran) points run), \(errors) clear errors")
        #expect(valid + errors == Self.paramVariants)
        #expect(valid > 100 && errors > 100)
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    // MARK: Issue 18: nothing lost, nothing silently wrong

    static let small = ["--set", "simulation.days=30", "--set", "simulation.warmup_days=0", "--set", "population.households=40", "--quiet"]
    static let trials = 20

    /// A process whose stderr is read line by line (for `PILLARS_PAUSE_PUBLISH`).
    static func startPaused(_ args: [String], step: String) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.currentDirectoryURL = CLI.root
        var env = ProcessInfo.processInfo.environment
        env["PILLARS_PAUSE_PUBLISH"] = step
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        let e = Pipe()
        p.standardError = e
        try p.run()
        return (p, e)
    }

    /// Wait until the process prints `pillars: paused at STEP` (true) or ends (false).
    static func waitForPause(_ pipe: Pipe) -> Bool {
        var text = ""
        while true {
            let d = pipe.fileHandleForReading.availableData
            if d.isEmpty { return false }
            text += String(decoding: d, as: UTF8.self)
            if text.contains("pillars: paused at") { return true }
        }
    }

    /// The files of a results folder (hidden ones too) and their bytes.
    static func snapshot(_ dir: URL) -> [String: [UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return Dictionary(uniqueKeysWithValues: names.map { ($0, bytes(dir.appendingPathComponent($0))) })
    }

    /// Hidden siblings `.NAME.tmp-…` a publish of `dir` left in its parent.
    static func siblings(_ dir: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(".\(dir.lastPathComponent).tmp-") }
    }

    /// A small run, and its folders with seeds 1 and 2 (the references a folder must equal).
    static let smallRun = ["run", "Scenarios/five-pillars.yaml", "--reps", "2", "--jobs", "1"] + small
    static func referenceRuns(_ base: URL) throws -> [[String: [UInt8]]] {
        try ["1", "2"].map { seed in
            let d = base.appendingPathComponent("ref\(seed)")
            let r = try CLI.pillars(smallRun + ["--seed", seed, "--out", d.path])
            #expect(r.status == 0, "\(r.err)")
            return snapshot(d)
        }
    }

    /// A run's folder equals one of the reference folders byte for byte (manifests aside,
    /// whose master seed must be the reference's); returns its index.
    static func matches(_ dir: URL, _ refs: [[String: [UInt8]]]) -> Int? {
        let now = snapshot(dir)
        for (i, r) in refs.enumerated() where Set(now.keys) == Set(r.keys) {
            let same = r.keys.allSatisfy { k in
                k == "manifest.json" ? seedOf(now[k]!) == seedOf(r[k]!) : now[k]! == r[k]!
            }
            if same { return i }
        }
        return nil
    }
    static func seedOf(_ manifest: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any])?["master_seed"] as? String
    }

    /// Item 1: `calibrate --out` is checked before the calibration runs, and never renames over
    /// a device, a folder or a case being fitted; an existing file needs --overwrite. Also
    /// --tolerance nan / -1 / inf (item 14).
    @Test func calibrateChecksItsOutputFirst() throws {
        let base = CLI.temp("calibrate-out")
        defer { try? FileManager.default.removeItem(at: base) }
        let caseFile = base.appendingPathComponent("case.yaml")
        let caseText = """
            version: 1
            extends: \(CLI.root.path)/Scenarios/five-pillars.yaml
            simulation: {days: 30, warmup_days: 0}
            population: {households: 40}
            targets:
              - {figure: f, metric: participation_rate, metric_reason: civic, day: 29, published: 0.2, tolerance: 0.1, tolerance_reason: r, source: s}

            """
        try Data(caseText.utf8).write(to: caseFile)
        let device = base.appendingPathComponent("null")
        #expect(mknod(device.path, S_IFCHR | 0o666, (1 << 8) | 3) == 0, "mknod (needs root)")
        let existing = base.appendingPathComponent("old.yaml")
        try Data("keep\n".utf8).write(to: existing)
        let args = ["calibrate", caseFile.path, "--param", "participation.tenant_factor=0.2:0.8", "--reps", "2", "--max-iterations", "2", "--jobs", "1", "--quiet"]
        var n = 0
        for (out, expected) in [(device.path, "a device"), (caseFile.path, "case scenarios being fitted"), (base.path, "a folder"),
                                (existing.path, "--overwrite"), (base.path + "/missing/x.yaml", "does not exist"), ("", "empty")] {
            let r = try CLI.pillars(args + ["--out", out])
            n += 1
            #expect(r.status == 2 && r.err.contains(expected) && Self.oneLine(r.err), "--out \(out): \(r.status) \(r.err)")
            #expect(!r.out.contains("objective"), "--out \(out): the calibration ran before the output was checked")
        }
        var info = stat()
        #expect(lstat(device.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "the device is still a device")
        #expect(try String(contentsOf: caseFile, encoding: .utf8) == caseText, "the case file keeps its targets")
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep\n")
        let ok = try CLI.pillars(args + ["--out", existing.path, "--overwrite"])
        let written = try String(contentsOf: existing, encoding: .utf8)
        #expect(ok.status == 0 && written.contains("participation.tenant_factor"), "\(ok.err)")
        for t in ["nan", "-1", "inf", "0"] {
            let r = try CLI.pillars(args + ["--out", base.path + "/t.yaml", "--tolerance", t])
            n += 1
            #expect(r.status != 0 && r.err.contains("--tolerance must be a positive number"), "--tolerance \(t): \(r.err)")
        }
        print("reliability: calibrate --out: \(n) bad outputs or tolerances refused before calibrating; a device, the case file and an existing file untouched")
    }

    /// Items 7 and 11: two runs into one new --out at once (20 trials): each exits 0 or is
    /// refused with one line, and the folder holds one run's complete results, never a mix.
    /// `run --overwrite` replaces the whole folder (a district's communities.csv does not
    /// outlive it).
    @Test func concurrentRunsNeverMix() throws {
        let base = CLI.temp("concurrent-runs")
        defer { try? FileManager.default.removeItem(at: base) }
        let args = Self.smallRun
        let refs = try Self.referenceRuns(base)
        var outcomes: [String: Int] = [:]
        var mixed = 0
        for t in 0..<Self.trials {
            let out = base.appendingPathComponent("t\(t)")
            let errs = (0..<2).map { base.appendingPathComponent("t\(t)-\($0).err") }
            var ps: [Process] = []
            for k in 0..<2 {
                FileManager.default.createFile(atPath: errs[k].path, contents: nil)
                let p = Process()
                p.executableURL = CLI.binary
                p.arguments = args + ["--seed", String(k + 1), "--out", out.path] + (t % 2 == 1 ? ["--overwrite"] : [])
                p.currentDirectoryURL = CLI.root
                p.standardOutput = FileHandle.nullDevice
                p.standardError = try FileHandle(forWritingTo: errs[k])
                try p.run()
                ps.append(p)
            }
            var codes: [Int32] = []
            for (k, p) in ps.enumerated() {
                p.waitUntilExit()
                codes.append(p.terminationStatus)
                let err = (try? String(contentsOf: errs[k], encoding: .utf8)) ?? ""
                #expect(p.terminationStatus == 0 || (p.terminationStatus == 2 && Self.oneLine(err)), "trial \(t): \(p.terminationStatus) \(err)")
            }
            outcomes[codes.map(String.init).sorted().joined(separator: "+"), default: 0] += 1
            let match = Self.matches(out, refs)
            if match == nil { mixed += 1 }
            #expect(match != nil, "trial \(t): the folder mixes two runs: \(Self.snapshot(out).keys.sorted())")
            #expect(codes.contains(0), "trial \(t): neither run finished")
            // The folder holds the results of a run that succeeded; without --overwrite only
            // one may succeed (the other's results would be lost while it reported success).
            #expect(match.map { codes[$0] == 0 } == true, "trial \(t): the results in the folder are of a run that failed")
            if t % 2 == 0 { #expect(codes.filter { $0 == 0 }.count == 1, "trial \(t): both runs reported success: \(codes)") }
            #expect(Self.siblings(out).isEmpty, "trial \(t): \(Self.siblings(out))")
        }
        // Item 11: a plain run over a district's folder keeps none of the district's files.
        let folder = base.appendingPathComponent("district")
        let district = try CLI.pillars(["run", "Scenarios/district.yaml", "--reps", "1", "--out", folder.path] + Self.small)
        #expect(district.status == 0, "\(district.err)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("communities.csv").path))
        #expect(try CLI.pillars(args + ["--seed", "1", "--out", folder.path, "--overwrite"]).status == 0)
        #expect(Self.matches(folder, refs) == 0, "\(Self.snapshot(folder).keys.sorted())")
        // A folder holding someone else's files is not deleted by --overwrite.
        let foreign = base.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let r = try CLI.pillars(args + ["--out", foreign.path, "--overwrite"])
        #expect(r.status == 2 && r.err.contains("not pillars results"), "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("notes.txt").path))
        print("reliability: concurrent runs into one --out: \(Self.trials) trials (half with --overwrite), exit codes \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); \(Self.trials - mixed) of \(Self.trials) folders held one run's complete results; run --overwrite over a district left no communities.csv")
    }

    /// Item 8: two `sweep --resume` on one folder at once (20 trials): the second waits for
    /// nothing and is refused, or finds the sweep done; the table is never duplicated and
    /// always equals the uninterrupted one after a final resume.
    @Test func concurrentResumesNeverDuplicateRows() throws {
        let base = CLI.temp("concurrent-resume")
        defer { try? FileManager.default.removeItem(at: base) }
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--design", "lhs", "--points", "7", "--reps", "3", "--seed", "3",
                    "--param", "governance.whistle.compliance=0.5:1", "--jobs", "1"] + Self.small
        let ref = base.appendingPathComponent("ref")
        #expect(try CLI.pillars(args + ["--out", ref.path]).status == 0)
        let reference = Self.bytes(ref.appendingPathComponent("sweep.csv"))
        var outcomes: [String: Int] = [:]
        var good = 0
        for t in 0..<Self.trials {
            let out = base.appendingPathComponent("t\(t)")
            let ps = try (0..<2).map { _ in try PillarsBinary.start(args + ["--out", out.path, "--resume"]) }
            var codes: [Int32] = []
            for p in ps { p.waitUntilExit(); codes.append(p.terminationStatus) }
            outcomes[codes.map(String.init).sorted().joined(separator: "+"), default: 0] += 1
            #expect(codes.allSatisfy { $0 == 0 || $0 == 2 } && codes.contains(0), "trial \(t): \(codes)")
            let now = Self.bytes(out.appendingPathComponent("sweep.csv"))
            #expect(Array(reference.prefix(now.count)) == now, "trial \(t): not a prefix of the uninterrupted table")
            let r = try CLI.pillars(args + ["--out", out.path, "--resume"])
            #expect(r.status == 0, "trial \(t): \(r.err)")
            if Self.bytes(out.appendingPathComponent("sweep.csv")) == reference { good += 1 }
        }
        #expect(good == Self.trials)
        print("reliability: concurrent sweep --resume on one folder: \(Self.trials) trials, exit codes \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); \(good) of \(Self.trials) tables equal to the uninterrupted one, none duplicated")
    }

    /// Item 9: a closed pipe on stdout (`pillars compare A B C | head -3`) no longer kills the
    /// command before its files are written.
    @Test func aClosedPipeLosesNoResults() throws {
        let base = CLI.temp("pipe")
        defer { try? FileManager.default.removeItem(at: base) }
        let commands: [(args: [String], file: String)] = [
            (["compare", "Scenarios/traditional.yaml", "Scenarios/five-pillars.yaml", "Scenarios/base.yaml", "--reps", "2"], "comparison.csv"),
            (["sensitivity", "Scenarios/five-pillars.yaml", "--param", "governance.whistle.compliance=0.5:1",
              "--param", "participation.tenant_factor=0.2:0.8", "--samples", "4", "--reps", "1"], "sensitivity.csv"),
            (["run", "Scenarios/five-pillars.yaml", "--reps", "2"], "summary.csv"),
        ]
        for (i, c) in commands.enumerated() {
            let out = base.appendingPathComponent("o\(i)")
            let p = Process()
            p.executableURL = CLI.binary
            p.arguments = c.args + ["--out", out.path] + Self.small.filter { $0 != "--quiet" }
            p.currentDirectoryURL = CLI.root
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            try p.run()
            // The reader goes away at once, like `head` after three lines.
            try pipe.fileHandleForReading.close()
            try? pipe.fileHandleForWriting.close()
            p.waitUntilExit()
            #expect(p.terminationReason == .exit && p.terminationStatus == 0, "\(c.args[0]): \(p.terminationReason == .exit ? "exit" : "signal") \(p.terminationStatus)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(c.file).path), "\(c.args[0]): \(c.file) not written")
        }
        print("reliability: closed stdout pipe: \(commands.count) commands (compare, sensitivity, run) exit 0 with their files written")
    }

    /// Item 10: SIGKILL (and SIGINT, SIGTERM) at each step of publishing a run, paused there by
    /// PILLARS_PAUSE_PUBLISH: the folder holds the earlier run or the new one, complete, and
    /// the next run takes the folder (removing what the killed one left).
    @Test func killsAtEachPublishStepLeaveOneCompleteRun() throws {
        let base = CLI.temp("publish-kills")
        defer { try? FileManager.default.removeItem(at: base) }
        let args = Self.smallRun
        let refs = try Self.referenceRuns(base)
        var tried = 0
        var found: [String: Int] = [:]
        for step in ["written", "exchanged"] {
            for (sig, name) in [(SIGKILL, "KILL"), (SIGINT, "INT"), (SIGTERM, "TERM")] {
                for overwrite in [false, true] {
                    let out = base.appendingPathComponent("\(step)-\(name)-\(overwrite)")
                    if overwrite { #expect(try CLI.pillars(args + ["--seed", "1", "--out", out.path]).status == 0) }
                    let (p, pipe) = try Self.startPaused(args + ["--seed", "2", "--out", out.path] + (overwrite ? ["--overwrite"] : []), step: step)
                    let paused = Self.waitForPause(pipe)
                    #expect(paused, "\(step): the run did not pause there")
                    kill(p.processIdentifier, sig)
                    p.waitUntilExit()
                    tried += 1
                    // In place: nothing (a new folder), the earlier run, or the new one; never a mix.
                    let now = Self.snapshot(out)
                    let which = now.isEmpty ? "empty" : Self.matches(out, refs).map { "seed \($0 + 1)" } ?? "MIXED"
                    found[which, default: 0] += 1
                    #expect(which != "MIXED", "\(step) SIG\(name) overwrite \(overwrite): \(now.keys.sorted())")
                    if step == "written" { #expect(which == (overwrite ? "seed 1" : "empty"), "\(step) SIG\(name): \(which)") }
                    if step == "exchanged", sig != SIGKILL { #expect(which == "seed 2") }
                    if sig != SIGKILL {
                        #expect(p.terminationStatus == 128 + sig, "SIG\(name): exit \(p.terminationStatus)")
                        #expect(Self.siblings(out).isEmpty, "SIG\(name) left \(Self.siblings(out))")
                    }
                    // The next run takes the folder over and clears what the killed one left.
                    // An emptied folder needs no --overwrite (a killed run's leftovers are not results).
                    let again = try CLI.pillars(args + ["--seed", "1", "--out", out.path] + (which == "empty" ? [] : ["--overwrite"]))
                    #expect(again.status == 0, "after \(step) SIG\(name): \(again.err)")
                    #expect(Self.matches(out, refs) == 0 && Self.siblings(out).isEmpty, "after \(step) SIG\(name): \(Self.siblings(out))")
                }
            }
        }
        print("reliability: kills while publishing a run: \(tried) (SIGKILL, SIGINT, SIGTERM × steps written, exchanged × new folder or --overwrite); folder afterwards: \(found.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); never mixed; every next run took the folder over")
    }

    /// Sharded sweep folders for the merge tests: shard-1 and shard-2 of a 3-point × 2 sweep.
    static func shards(_ base: URL) throws -> [URL] {
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--points", "3", "--reps", "2", "--seed", "9",
                    "--param", "governance.whistle.compliance=0.5:1", "--jobs", "1"] + small
        return try (1...2).map { i in
            let d = base.appendingPathComponent("shard-\(i)")
            let r = try CLI.pillars(args + ["--shard", "\(i)/2", "--out", d.path])
            #expect(r.status == 0, "\(r.err)")
            return d
        }
    }

    /// Items 10 and 12: merge refuses damaged and foreign shards, a finished run's folder and a
    /// symlink to a shard; SIGKILL at each step of its publish leaves no manifest beside
    /// another merge's files, and the next merge clears its temporary files.
    @Test func mergeChecksItsShardsAndItsFolder() throws {
        let base = CLI.temp("merge-checks")
        defer { try? FileManager.default.removeItem(at: base) }
        let good = try Self.shards(base)
        let table1 = Self.bytes(good[0].appendingPathComponent("sweep.csv"))
        var lines = String(decoding: table1, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line2 = String(decoding: Self.bytes(good[1].appendingPathComponent("sweep.csv")), as: UTF8.self).split(separator: "\n")[1]
        var n = 0
        func damaged(_ name: String, _ text: String, _ expected: String) throws {
            let d = base.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: d)
            try FileManager.default.copyItem(at: good[0], to: d)
            try Data(text.utf8).write(to: d.appendingPathComponent("sweep.csv"))
            let r = try CLI.pillars(["merge", d.path, good[1].path, "--out", base.appendingPathComponent("m-\(name)").path, "--quiet"])
            n += 1
            #expect(r.status == 2 && r.err.contains(expected) && Self.oneLine(r.err), "\(name): \(r.status) \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("m-\(name)/sweep.csv").path), "\(name): merged")
        }
        // One row missing, one foreign (shard 2's) row in its place; an extra row ("4 of 3").
        var swapped = lines; swapped[2] = String(line2)
        try damaged("foreign", swapped.joined(separator: "\n"), "not a job of shard 1/2")
        var extra = lines; extra.insert(String(line2), at: 2)
        try damaged("extra", extra.joined(separator: "\n"), "not a job of shard 1/2")
        var header = lines; header[0] = "pt" + header[0].dropFirst(5)
        try damaged("header", header.joined(separator: "\n"), "header")
        var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[fields.count - 1] = "NOT_A_NUMBER"
        lines[1] = fields.joined(separator: ",")
        try damaged("nonnumeric", lines.joined(separator: "\n"), "not a number")
        // A finished run's folder: its manifest is not replaced without --overwrite (nor with it).
        let run = base.appendingPathComponent("run")
        #expect(try CLI.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "1", "--out", run.path] + Self.small).status == 0)
        let before = Self.snapshot(run)
        for extraArgs in [[], ["--overwrite"]] {
            let r = try CLI.pillars(["merge"] + good.map(\.path) + ["--out", run.path, "--quiet"] + extraArgs)
            n += 1
            #expect(r.status == 2 && Self.oneLine(r.err), "\(r.err)")
            #expect(Self.snapshot(run) == before)
        }
        // --out a symbolic link to a shard.
        let link = base.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: good[0])
        let shardBefore = Self.snapshot(good[0])
        let r = try CLI.pillars(["merge"] + good.map(\.path) + ["--out", link.path, "--quiet", "--overwrite"])
        n += 1
        #expect(r.status == 2 && r.err.contains("is one of the shard folders"), "\(r.err)")
        #expect(Self.snapshot(good[0]) == shardBefore)
        // Kills at each step of the merge's publish, into the shards' parent (over an earlier merge).
        let mergeArgs = ["merge"] + good.map(\.path) + ["--out", base.path, "--quiet", "--overwrite"]
        #expect(try CLI.pillars(mergeArgs).status == 0)
        let merged = Self.bytes(base.appendingPathComponent("sweep.csv"))
        var kills = 0
        for step in ["written", "unmarked", "renamed:sweep.csv", "renamed:design.json", "renamed:manifest.json"] {
            let (p, pipe) = try Self.startPaused(mergeArgs, step: step)
            #expect(Self.waitForPause(pipe), "merge did not pause at \(step)")
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            kills += 1
            // A manifest is there only beside the complete merged table.
            if FileManager.default.fileExists(atPath: base.appendingPathComponent("manifest.json").path) {
                #expect(Self.bytes(base.appendingPathComponent("sweep.csv")) == merged, "\(step)")
            }
            let again = try CLI.pillars(mergeArgs)
            #expect(again.status == 0, "after \(step): \(again.err)")
            let left = (try FileManager.default.contentsOfDirectory(atPath: base.path)).filter { $0.contains(".tmp-") || $0.contains(".merging-") }
            #expect(left.isEmpty, "after \(step): \(left)")
        }
        // Two merges into one folder at once (20 trials): one waits for nothing and is refused,
        // or runs after the other; the folder always holds the complete merge.
        var codes: [String: Int] = [:]
        for t in 0..<Self.trials {
            let ps = try (0..<2).map { _ in try PillarsBinary.start(mergeArgs) }
            var c: [Int32] = []
            for p in ps { p.waitUntilExit(); c.append(p.terminationStatus) }
            codes[c.map(String.init).sorted().joined(separator: "+"), default: 0] += 1
            #expect(c.contains(0) && c.allSatisfy { $0 == 0 || $0 == 2 }, "trial \(t): \(c)")
            #expect(Self.bytes(base.appendingPathComponent("sweep.csv")) == merged, "trial \(t)")
            #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("manifest.json").path), "trial \(t)")
        }
        print("reliability: merge: \(n) damaged or foreign shards and wrong --out folders refused with one line; \(kills) SIGKILLs at each publish step, a manifest never beside a partial table, temporary files cleared by the next merge; \(Self.trials) trials of two merges at once, exit codes \(codes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")), the complete merge every time")
    }

    /// Item 13 and the smaller items of 14: --resume refuses damaged tables and folders
    /// without a sweep, and keeps a user's hidden files; bad --out names, a negative seed and
    /// a corrupt design.json give clear one-line errors.
    @Test func resumeAndOutputNamesAreChecked() throws {
        let base = CLI.temp("resume-checks")
        defer { try? FileManager.default.removeItem(at: base) }
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--points", "2", "--reps", "2", "--seed", "4",
                    "--param", "governance.whistle.compliance=0.5:1", "--jobs", "1"] + Self.small
        let out = base.appendingPathComponent("s")
        #expect(try CLI.pillars(args + ["--out", out.path]).status == 0)
        let table = out.appendingPathComponent("sweep.csv")
        let good = Self.bytes(table)
        var text = String(decoding: good, as: UTF8.self)
        var rows = text.split(separator: "\n").map(String.init)
        var fields = rows[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[fields.count - 2] = "NOT_A_NUMBER"
        rows[2] = fields.joined(separator: ",")
        text = rows.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: table)
        var n = 0
        var r = try CLI.pillars(args + ["--out", out.path, "--resume"])
        n += 1
        #expect(r.status == 2 && r.err.contains("not a number") && r.err.contains("line 3") && Self.oneLine(r.err), "\(r.err)")
        try Data(good).write(to: table)
        // A corrupt design.json.
        let record = out.appendingPathComponent("design.json")
        let recordBytes = Self.bytes(record)
        try Data("{\"format\": 1,".utf8).write(to: record)
        r = try CLI.pillars(args + ["--out", out.path, "--resume"])
        n += 1
        #expect(r.status == 2 && r.err.contains("not valid JSON") && !r.err.contains("DecodingError") && Self.oneLine(r.err), "\(r.err)")
        try Data(recordBytes).write(to: record)
        // A user's hidden file that looks like a temporary (a dead pid) is kept.
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let notes = out.appendingPathComponent(".notes.tmp-\(dead)")
        try Data("mine".utf8).write(to: notes)
        #expect(try CLI.pillars(args + ["--out", out.path, "--resume"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: notes.path), "the user's .notes.tmp file was deleted")
        // A non-empty folder with no sweep is not adopted.
        let other = base.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: other.appendingPathComponent("thesis.tex"))
        r = try CLI.pillars(args + ["--out", other.path, "--resume"])
        n += 1
        #expect(r.status == 2 && r.err.contains("holds no sweep") && Self.oneLine(r.err), "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["thesis.tex"])
        // --out '' (the working directory), names with a newline or a tab, --out /dev/null.
        let run = ["run", "Scenarios/five-pillars.yaml", "--reps", "1"] + Self.small
        for (o, expected) in [("", "empty"), (base.path + "/a\nb", "control character"), (base.path + "/a\tb", "control character"),
                              ("/dev/null", "not a folder")] {
            r = try CLI.pillars(run + ["--out", o])
            n += 1
            #expect(r.status == 2 && r.err.contains(expected) && Self.oneLine(r.err), "--out \(o.debugDescription): \(r.err)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == ["other", "s"])
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        // A negative seed or count: the option's own message, not "Missing value".
        for (opt, v) in [("--seed", "-1"), ("--reps", "-1"), ("--jobs", "-2")] {
            r = try CLI.pillars(run + [opt, v, "--out", base.path + "/neg"])
            n += 1
            #expect(r.status != 0 && !r.err.contains("Missing value") && r.err.contains("-") && r.err.contains(v), "\(opt) \(v): \(r.err)")
        }
        print("reliability: resume and output names: \(n) damaged tables, corrupt records, foreign folders, bad --out names and negative numbers refused with one clear line; a user's .notes.tmp file kept")
    }
}
