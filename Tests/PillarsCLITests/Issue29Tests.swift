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

// Issue 29: the defects found in report, posterior, `new` and the merge of time series. Each
// test is named after what it guards and failed on main b6bbae5 (docs/RELIABILITY.md).

@Suite("Issue 29: report, posterior, new, merged time series", .serialized)
struct Issue29Tests {
    typealias CLI = CLITests
    /// The binary, stopped after `timeout` seconds (a hang fails the test instead of stalling it).
    static func pillars(_ args: [String], cwd: URL = CLI.root, timeout: Double = 300) throws -> ProcessOutcome {
        try PillarsBinary.run(args, cwd: cwd, timeout: timeout)
    }
    static let small = ["--set", "simulation.days=40", "--set", "simulation.warmup_days=0", "--set", "population.households=60",
                        "--set", "simulation.observe_every_days=10", "--quiet", "--jobs", "1"]
    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
    static func write(_ s: String, _ url: URL) throws { try Data(s.utf8).write(to: url) }
    static func oneLine(_ s: String) -> Bool { s.split(separator: "\n").count == 1 && s.hasSuffix("\n") }

    /// A small run's folder.
    static func runFolder(_ dir: URL, _ name: String = "run") throws -> URL {
        let out = dir.appendingPathComponent(name)
        let r = try Self.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "2", "--out", out.path] + small)
        #expect(r.status == 0, "\(r.err)")
        return out
    }

    /// Rewrite timeseries.csv of a run folder: `edit` gets the data lines.
    static func editSeries(_ folder: URL, _ edit: (inout [String]) -> Void, separator: String = "\n") throws {
        let url = folder.appendingPathComponent("timeseries.csv")
        var lines = text(url).split(separator: "\n").map(String.init)
        var body = Array(lines.dropFirst())
        edit(&body)
        lines = [lines[0]] + body
        try write(lines.joined(separator: separator) + separator, url)
    }

    // 1, 2, 15 (CRLF)
    @Test func reportSkipsTimeSeriesRowsWithNaNOrFractionalDaysAndReadsCRLF() throws {
        let dir = CLI.temp("i29-report")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Self.runFolder(dir)
        // 1: a NaN day trapped (SIGILL) on a force unwrap.
        try Self.editSeries(run) { rows in
            var f = rows[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[1] = "nan"
            rows[0] = f.joined(separator: ",")
        }
        var r = try Self.pillars(["report", run.path], timeout: 60)
        #expect(r.status == 0 && !r.signalled, "\(r.status) \(r.err)")
        #expect(r.err.contains("timeseries.csv line 2: day 'nan' is not a whole number of days"), "\(r.err)")
        // 2: days 10000 and 10000.000000000002 looped in the axis ticks until memory ran out.
        try Self.editSeries(run) { rows in
            for i in rows.indices {
                var f = rows[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                f[1] = i % 2 == 0 ? "10000" : "10000.000000000002"
                rows[i] = f.joined(separator: ",")
            }
        }
        r = try Self.pillars(["report", run.path], timeout: 60)
        #expect(r.status == 0 && !r.timedOut, "\(r.status) \(r.err)")
        #expect(r.err.contains("'10000.000000000002' is not a whole number of days"))
        // 15: CRLF line ends gave an empty chart with no note.
        let fresh = try Self.runFolder(dir, "crlf")
        try Self.editSeries(fresh, { _ in }, separator: "\r\n")
        r = try Self.pillars(["report", fresh.path])
        #expect(r.status == 0 && r.err.contains("line 1: lines end CRLF"), "\(r.err)")
        let html = Self.text(fresh.appendingPathComponent("report.html"))
        #expect(html.contains("<polyline points=\"") && !html.contains("<polyline points=\"\""), "the chart has its lines")
    }

    // 2 (the loop itself)
    @Test func axisTicksEndForADomainTooNarrowToStep() {
        let s = SVG.Scale(10000, 10000.000000000002, to: 0, 100, includeZero: false)
        #expect(s.ticks.count <= 12)
        #expect(SVG.Scale(0, .infinity, to: 0, 100).ticks.count <= 12)
        #expect(SVG.Scale(0, 1, to: 0, 100).ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0].map { $0 } || SVG.Scale(0, 1, to: 0, 100).ticks.count >= 5)
    }

    // 15: U+202E
    @Test func reportShowsBidiOverridesInsteadOfObeyingThem() {
        let e = SVG.esc("a\u{202E}evil\u{2066}b")
        #expect(!e.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x2066 })
        #expect(e.contains("&lt;U+202E&gt;"))
    }

    // 3
    @Test func newRefusesDevicesFIFOsAndSymbolicLinks() throws {
        let dir = CLI.temp("i29-new-special")
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = dir.appendingPathComponent("null"), fifo = dir.appendingPathComponent("fifo")
        let link = dir.appendingPathComponent("link.yaml"), target = dir.appendingPathComponent("target.yaml")
        #expect(mknod(device.path, S_IFCHR | 0o666, (1 << 8) | 3) == 0, "mknod (needs root)")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try Self.write("keep\n", target)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let stdoutLink = dir.appendingPathComponent("out.yaml")
        try FileManager.default.createSymbolicLink(atPath: stdoutLink.path, withDestinationPath: "/dev/stdout")
        for (path, kind) in [(device, "a device"), (fifo, "a pipe"), (link, "a symbolic link"), (stdoutLink, "a symbolic link")] {
            let r = try Self.pillars(["new", path.path, "--overwrite"])
            #expect(r.status == 2 && r.err.contains(kind) && Self.oneLine(r.err), "\(path.lastPathComponent): \(r.err)")
        }
        var info = stat()
        #expect(lstat(device.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "the device is still a device")
        #expect(lstat(fifo.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(lstat(link.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK && Self.text(target) == "keep\n")
    }

    /// The bundled scenarios copied into `dir`/Scenarios.
    static func scenarioCopy(_ dir: URL) throws -> URL {
        let s = dir.appendingPathComponent("Scenarios")
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("Scenarios"), to: s)
        return s
    }

    // 4, 13 (extends quoted)
    @Test func newNeverWritesAScenarioThatExtendsItself() throws {
        let dir = CLI.temp("i29-new-self")
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try Self.scenarioCopy(dir)
        let before = Self.text(s.appendingPathComponent("base.yaml")), calibrated = Self.text(s.appendingPathComponent("calibrated.yaml"))
        for args in [["new", "Scenarios/base.yaml", "--overwrite"],
                     ["new", "Scenarios/base.yaml", "--base", "Scenarios/base.yaml", "--overwrite"],
                     ["new", "Scenarios/calibrated.yaml", "--base", "Scenarios/base.yaml", "--overwrite"]] {
            let r = try Self.pillars(args, cwd: dir)
            #expect(r.status == 2 && r.err.contains("would extend itself") && Self.oneLine(r.err), "\(args): \(r.err)")
        }
        #expect(Self.text(s.appendingPathComponent("base.yaml")) == before && Self.text(s.appendingPathComponent("calibrated.yaml")) == calibrated)
        #expect(try Self.pillars(["validate", "Scenarios/five-pillars.yaml"], cwd: dir).status == 0)
        // A base in a folder whose name YAML would read as a comment or a mapping.
        for name in ["b #x", "b: x"] {
            let folder = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let base = folder.appendingPathComponent("base.yaml")
            try Self.write("version: 1\nextends: \(s.appendingPathComponent("base.yaml").path)\n", base)
            let out = folder.appendingPathComponent("mine.yaml")
            let r = try Self.pillars(["new", out.path, "--base", base.path, "--households", "300"], cwd: dir)
            #expect(r.status == 0, "\(name): \(r.err)")
            #expect(try Self.pillars(["validate", out.path]).status == 0, "\(name)")
        }
    }

    // 12: the command line echoed unescaped; 13: --households -5
    @Test func newEscapesTheCommandLineItEchoesAndChecksNegativeNumbers() throws {
        let dir = CLI.temp("i29-new-echo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.yaml")
        var r = try Self.pillars(["new", out.path, "--name", "x\npopulation.households: 7 #"])
        #expect(r.status == 0, "\(r.err)")
        let sc = try GovernanceModel.load(out.path)
        #expect(sc.parameters[\PopulationSettings.households] != 7 && sc.name == "x\npopulation.households: 7 #")
        r = try Self.pillars(["new", dir.appendingPathComponent("n.yaml").path, "--households", "-5"])
        #expect(r.status == 2 && r.err.contains("--households") && !r.err.contains("Missing value"), "\(r.err)")
    }

    /// A sweep with time series into `out` (shard "i/n" or whole).
    static func sweep(_ out: URL, shard: String? = nil, seed: String = "42", timeseries: Bool = true, extra: [String] = []) throws -> ProcessOutcome {
        try Self.pillars(["sweep", "Scenarios/five-pillars.yaml", "--param", "governance.department_days=4:20", "--design", "lhs", "--points", "2",
                         "--reps", "2", "--seed", seed, "--out", out.path] + (timeseries ? ["--timeseries"] : []) + (shard.map { ["--shard", $0] } ?? [])
                        + extra + small)
    }

    // 5, 6, 10 (a merge folder)
    @Test func mergeCarriesTheTimeSeriesAndLeavesNoStaleOne() throws {
        let dir = CLI.temp("i29-merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole"), a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        #expect(try Self.sweep(whole).status == 0)
        #expect(try Self.sweep(a, shard: "1/2").status == 0 && Self.sweep(b, shard: "2/2").status == 0)
        let merged = dir.appendingPathComponent("merged")
        var r = try Self.pillars(["merge", a.path, b.path, "--out", merged.path, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(Self.text(merged.appendingPathComponent("timeseries.csv")) == Self.text(whole.appendingPathComponent("timeseries.csv")))
        #expect(Self.text(merged.appendingPathComponent("sweep.csv")) == Self.text(whole.appendingPathComponent("sweep.csv")))
        r = try Self.pillars(["sweep", "Scenarios/five-pillars.yaml", "--param", "governance.department_days=4:20", "--design", "lhs", "--points", "2",
                             "--reps", "2", "--out", merged.path, "--timeseries", "--resume"] + Self.small)
        #expect(r.status == 0, "resume of the merge with --timeseries: \(r.err)")
        // 10: report has no view of a merge or a sweep.
        for folder in [merged, whole] {
            let rep = try Self.pillars(["report", folder.path])
            #expect(rep.status == 2 && rep.err.contains("not a run or a comparison") && Self.oneLine(rep.err), "\(rep.err)")
        }
        // 6: a merge of shards without time series over a folder with seed 5's.
        let old = dir.appendingPathComponent("old")
        #expect(try Self.sweep(old, seed: "5").status == 0)
        let c = dir.appendingPathComponent("c"), d = dir.appendingPathComponent("d")
        #expect(try Self.sweep(c, shard: "1/2", timeseries: false).status == 0 && Self.sweep(d, shard: "2/2", timeseries: false).status == 0)
        let mergeOld = try Self.pillars(["merge", a.path, b.path, "--out", old.path, "--overwrite", "--quiet"])
        #expect(mergeOld.status == 2 || mergeOld.status == 0)
        r = try Self.pillars(["merge", c.path, d.path, "--out", old.path, "--overwrite", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: old.appendingPathComponent("timeseries.csv").path), "no stale timeseries.csv beside the new sweep.csv")
        // A mix of shards with and without series is refused.
        r = try Self.pillars(["merge", a.path, d.path, "--out", dir.appendingPathComponent("mix").path, "--quiet"])
        #expect(r.status == 2, "\(r.err)")
    }

    // 7
    @Test func resumeRewritesACutSeriesAndRefusesForeignRows() throws {
        let dir = CLI.temp("i29-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole")
        #expect(try Self.sweep(whole).status == 0)
        let series = whole.appendingPathComponent("timeseries.csv")
        let reference = Self.text(series)
        var lines = reference.split(separator: "\n").map(String.init)
        try Self.write(lines.dropLast(2).joined(separator: "\n") + "\n", series)
        var r = try Self.sweep(whole, extra: ["--resume"])
        #expect(r.status == 0, "\(r.err)")
        #expect(Self.text(series) == reference, "the missing days are written again")
        lines = reference.split(separator: "\n").map(String.init)
        var foreign = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        foreign[0] = "99"
        try Self.write(reference + foreign.joined(separator: ",") + "\n", series)
        r = try Self.sweep(whole, extra: ["--resume"])
        #expect(r.status == 2 && r.err.contains("point '99' is not a point of the design") && Self.oneLine(r.err), "\(r.err)")
    }

    // 3 (report.html is a user-named file too)
    @Test func reportNeverWritesThroughALink() throws {
        let dir = CLI.temp("i29-report-link")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Self.runFolder(dir)
        let target = dir.appendingPathComponent("keep.txt")
        try Self.write("keep\n", target)
        try FileManager.default.createSymbolicLink(at: run.appendingPathComponent("report.html"), withDestinationURL: target)
        let r = try Self.pillars(["report", run.path])
        #expect(r.status == 2 && r.err.contains("a symbolic link") && Self.text(target) == "keep\n", "\(r.err)")
    }

    // 10 (sensitivity)
    @Test func reportRefusesFoldersItHasNoViewFor() throws {
        let dir = CLI.temp("i29-report-view")
        defer { try? FileManager.default.removeItem(at: dir) }
        for verb in ["sensitivity", "sweep", "merge"] {
            let f = dir.appendingPathComponent(verb)
            try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true)
            try Self.write("{\"verb\": \"\(verb)\", \"scenario_name\": \"tiny\"}\n", f.appendingPathComponent("manifest.json"))
            try Self.write("metric,mean\n", f.appendingPathComponent("summary.csv"))
            let r = try Self.pillars(["report", f.path])
            #expect(r.status == 2 && r.err.contains("is a \(verb) folder"), "\(r.err)")
            #expect(!FileManager.default.fileExists(atPath: f.appendingPathComponent("report.html").path))
        }
    }

    /// Scenarios/posterior.csv's header and first draw.
    static func posterior() -> (header: String, row: String) {
        let lines = text(CLI.root.appendingPathComponent("Scenarios/posterior.csv")).split(separator: "\n").map(String.init)
        return (lines[0], lines[1])
    }

    // 8, 9
    @Test func plannerSettingsWinOverPosteriorDraws() throws {
        let draws = try ParameterDraws.load(CLI.root.appendingPathComponent("Scenarios/posterior.csv").path)
        let path = "governance.department_days"
        #expect(draws.paths.contains(path))
        let file = CLI.root.appendingPathComponent("Scenarios/five-pillars.yaml").path
        // 9: --set
        let set = try GovernanceModel.load(file, overrides: ["\(path)=2"])
        #expect(draws.scenario(set, draw: 0).parameters[path] == .double(2))
        // 8: a scheme overlay
        let dir = CLI.temp("i29-precedence")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scheme = dir.appendingPathComponent("faster.yaml")
        try Self.write("version: 1\nname: faster\ngovernance:\n  department_days: 2\n  community_days: 1\n", scheme)
        let withScheme = try ScenarioLoader(schema: GovernanceModel.schema).load(file, overlays: [scheme.path])
        let drawn = draws.scenario(withScheme, draw: 3)
        #expect(drawn.parameters[path] == .double(2) && drawn.parameters["governance.community_days"] == .double(1))
        // Without a stated value the draw still fills it.
        let plain = try GovernanceModel.load(file)
        #expect(draws.scenario(plain, draw: 0).parameters[path] == .double(draws.rows[0][draws.paths.firstIndex(of: path)!]))
        // Through the binary: --set with --posterior is no longer byte-identical to the run without.
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        let post = CLI.root.appendingPathComponent("Scenarios/posterior.csv").path
        let longer = Self.small + ["--set", "simulation.days=360", "--set", "population.households=150"]
        let r1 = try Self.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "2", "--posterior", post, "--out", a.path] + longer)
        let r2 = try Self.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "2", "--posterior", post, "--set", "\(path)=0.1", "--out", b.path] + longer)
        #expect(r1.status == 0 && r2.status == 0, "\(r1.err) \(r2.err)")
        #expect(Self.text(a.appendingPathComponent("summary.csv")) != Self.text(b.appendingPathComponent("summary.csv")))
        // Whole scenarios that differ in a drawn parameter: refused, naming it.
        let child = dir.appendingPathComponent("child.yaml")
        try Self.write("version: 1\nextends: \(file)\ngovernance.department_days: 2\n", child)
        let c = try Self.pillars(["compare", "Scenarios/five-pillars.yaml", child.path, "--reps", "2", "--posterior", post,
                                 "--out", dir.appendingPathComponent("c").path] + Self.small)
        #expect(c.status == 2 && c.err.contains("governance.department_days") && c.err.contains("--scheme"), "\(c.err)")
    }

    // 11
    @Test func maxMemoryCoversTimeSeriesAndPosteriorDraws() throws {
        let dir = CLI.temp("i29-memory")
        defer { try? FileManager.default.removeItem(at: dir) }
        var r = try Self.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "20", "--max-memory", "50M", "--set", "simulation.days=36000",
                                 "--set", "simulation.observe_every_days=1", "--out", dir.appendingPathComponent("a").path, "--jobs", "1"], timeout: 30)
        #expect(r.status == 2 && r.err.contains("--max-memory") && !r.timedOut, "\(r.err)")
        let post = dir.appendingPathComponent("big.csv")
        try Self.write("population.households\n2000000\n", post)
        r = try Self.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "1", "--max-memory", "100M", "--posterior", post.path,
                             "--out", dir.appendingPathComponent("b").path, "--jobs", "1"], timeout: 30)
        #expect(r.status == 2 && r.err.contains("big.csv line 2") && r.err.contains("--max-memory") && !r.timedOut, "\(r.err)")
        // A design too large for --max-memory.
        r = try Self.pillars(["sweep", "Scenarios/five-pillars.yaml", "--param", "governance.department_days=4:20", "--design", "random",
                             "--points", "10000000", "--max-memory", "10M", "--dry-run", "--out", dir.appendingPathComponent("c").path], timeout: 30)
        #expect(r.status == 2 && r.err.contains("--max-memory"), "\(r.err)")
    }

    // 12 (posterior and design cells), 13 (design-file errors, BOM), 14
    @Test func posteriorAndDesignCellsAreCheckedAlike() throws {
        let dir = CLI.temp("i29-cells")
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("p.csv")
        for (body, expected) in [("population.households\n2.5\n", "not a whole number"), ("governance.department_days\n3\u{0}9\n", "control character")] {
            try Self.write(body, f)
            #expect(throws: ConfigError.self) { try ParameterDraws.load(f.path) }
            do { _ = try ParameterDraws.load(f.path) } catch { #expect("\(error)".contains(expected), "\(error)") }
            do { _ = try Design.read(f, registry: GovernanceModel.schema.registry); Issue.record("design accepted \(body)") } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
        // A byte-order mark: read alike (accepted) by both.
        try Self.write("\u{FEFF}governance.department_days\n3\n", f)
        #expect(try ParameterDraws.load(f.path).rows == [[3]])
        #expect(try Design.read(f, registry: GovernanceModel.schema.registry).points == [[3]])
        // An unclosed quote, a folder, a FIFO, /dev/zero.
        try Self.write("governance.department_days\n\"3\n", f)
        do { _ = try Design.read(f, registry: GovernanceModel.schema.registry) } catch { #expect("\(error)".contains("quoted field is not closed"), "\(error)") }
        let fifo = dir.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        for (url, kind) in [(dir, "a folder"), (fifo, "a FIFO"), (URL(fileURLWithPath: "/dev/zero"), "a device")] {
            do { _ = try Design.read(url, registry: GovernanceModel.schema.registry); Issue.record("read \(url.path)") } catch {
                #expect("\(error)".contains(kind) && !"\(error)".contains("NSCocoaErrorDomain"), "\(error)")
            }
            do { _ = try ParameterDraws.load(url.path); Issue.record("posterior read \(url.path)") } catch {
                #expect("\(error)".contains("not a regular file"), "\(error)")
            }
        }
        // 12: merge and resume refuse a share of −1e300.
        #expect(outputValueProblem(["0", "0", "1", "-1e300"], ["point", "replication", "seed", "participation_rate"])?.contains("not a share") == true)
    }

    // 14
    @Test func aPosteriorIsReadInOnePassWithOnlyTheDrawsUsed() throws {
        let dir = CLI.temp("i29-lazy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (header, row) = Self.posterior()
        let f = dir.appendingPathComponent("big.csv")
        var text = header + "\n"
        for _ in 0..<100_000 { text += row + "\n" }
        text += "not,a,draw\n"   // beyond the draws used: counted, not parsed
        try Self.write(text, f)
        let d = try ParameterDraws.load(f.path, using: 2)
        #expect(d.rows.count == 2 && d.count == 100_001)
        // Every draw used is parsed and checked.
        try Self.write(header + "\n" + row + "\nnot,a,draw\n", f)
        #expect(throws: ConfigError.self) { try ParameterDraws.load(f.path, using: 2) }
    }

    // 12: dotted and nested in a timeline's and a community's set:
    @Test func dottedAndNestedInOneSetAreRefused() throws {
        let dir = CLI.temp("i29-dotted")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = CLI.root.appendingPathComponent("Scenarios/five-pillars.yaml").path
        let t = dir.appendingPathComponent("t.yaml")
        try Self.write("""
            version: 1
            extends: \(base)
            timeline:
              - day: 10
                set:
                  governance.department_days: 2
                  governance:
                    department_days: 3

            """, t)
        do { _ = try GovernanceModel.load(t.path); Issue.record("accepted") } catch {
            #expect("\(error)".contains("timeline[0].set.governance.department_days") && "\(error)".contains("given twice"), "\(error)")
        }
        let c = dir.appendingPathComponent("c.yaml")
        try Self.write("""
            version: 1
            extends: \(base)
            communities:
              - name: a
                set:
                  population.households: 50
                  population:
                    households: 70

            """, c)
        do { _ = try GovernanceModel.load(c.path); Issue.record("accepted") } catch {
            #expect("\(error)".contains("communities[0].set.population.households") && "\(error)".contains("given twice"), "\(error)")
        }
    }

    // 15: --dry-run checks --posterior; --max-reps without --precision
    @Test func dryRunChecksThePosteriorAndMaxRepsNeedsPrecision() throws {
        let dir = CLI.temp("i29-dry")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.csv")
        try Self.write("governance.department_days\n-1\n", bad)
        var r = try Self.pillars(["sweep", "Scenarios/five-pillars.yaml", "--param", "governance.community_days=1:5", "--design", "lhs", "--points", "3",
                                 "--dry-run", "--posterior", bad.path, "--out", dir.appendingPathComponent("d").path, "--quiet"])
        #expect(r.status == 2 && r.err.contains("bad.csv"), "\(r.err)")
        r = try Self.pillars(["compare", "Scenarios/five-pillars.yaml", "Scenarios/five-pillars.yaml", "--max-reps", "50",
                             "--out", dir.appendingPathComponent("c").path] + Self.small)
        #expect(r.status != 0 && r.err.contains("--max-reps applies only with --precision"), "\(r.err)")
    }
}
