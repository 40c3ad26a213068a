import Foundation
import Governance
import Testing

/// The researchers' workflow (issue 15): the dictionary of outputs, design files in and out,
/// Morris screening, noise-aware Sobol and time series from sweeps, end to end with the binary.
@Suite("pillars research workflow")
struct ResearchWorkflowTests {
    typealias CLI = CLITests
    typealias X = ExperimentCLITests
    static let short = ["--set", "simulation.days=60", "--set", "population.households=120", "--quiet"]

    // MARK: outputs

    @Test func outputsCSVListsEveryOutputWithItsUnit() throws {
        let r = try CLI.pillars(["outputs", "--csv"])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "name,unit,definition,group,topic,aggregation,summary")
        #expect(lines.count == 1 + Output.allCases.count)
        for o in Output.allCases {
            #expect(lines.contains { $0.hasPrefix("\(o.name),\(o.unit),") }, "\(o.name)")
            #expect(!o.unit.isEmpty && !o.definition.isEmpty, "\(o.name) has a unit and a definition")
        }
        #expect(lines.contains { $0.hasPrefix("funding_fiscal,yuan,") && $0.hasSuffix(",sum,last_day") })
        #expect(lines.contains { $0.hasPrefix("participation_rate,share,") && $0.hasSuffix(",household_mean,window_mean") })
        #expect(lines.contains { $0.hasPrefix("participation_rate_tenant,share,") && $0.contains(",tenant,") })
    }

    /// docs/OUTPUTS.md is generated from the code; regenerate with
    /// `swift run pillars outputs --markdown > docs/OUTPUTS.md` when an output changes.
    @Test func outputsDocIsUpToDate() throws {
        let r = try CLI.pillars(["outputs", "--markdown"])
        let doc = try String(contentsOf: CLI.root.appendingPathComponent("docs/OUTPUTS.md"), encoding: .utf8)
        #expect(r.out == doc, "docs/OUTPUTS.md is stale: run `pillars outputs --markdown > docs/OUTPUTS.md`")
    }

    @Test func everyResultsFolderHasTheDictionary() throws {
        let dict = try CLI.pillars(["outputs", "--csv"]).out
        let base = CLI.temp("dict")
        let runs: [[String]] = [
            ["run", "Scenarios/five-pillars.yaml", "--reps", "2"],
            ["compare", "Scenarios/traditional.yaml", "Scenarios/five-pillars.yaml", "--reps", "2"],
            ["sweep", "Scenarios/five-pillars.yaml", "--reps", "1", "--param", "governance.whistle.compliance=0.5,1"],
            ["sensitivity", "Scenarios/five-pillars.yaml", "--reps", "1", "--samples", "4", "--bootstrap", "0",
             "--param", "governance.whistle.compliance=0.5:1"],
        ]
        for (i, args) in runs.enumerated() {
            let out = base.appendingPathComponent("f\(i)")
            let r = try CLI.pillars(args + Self.short + ["--out", out.path])
            #expect(r.status == 0, "\(args[0]): \(r.err)")
            #expect(try X.text(out.appendingPathComponent("outputs.csv")) == dict, "\(args[0]) writes outputs.csv")
        }
    }

    // MARK: design files

    @Test func designFileOfFivePointsTimesTwoReplicationsWritesTenRowsWithThoseValues() throws {
        let dir = CLI.temp("designfile")
        let file = dir.appendingPathComponent("points.csv")
        let values = [["0.5", "0.2"], ["0.6", "0.3"], ["0.75", "0.4"], ["0.9", "0.5"], ["1", "0.8"]]
        try ("governance.whistle.compliance,participation.tenant_factor\n" + values.map { $0.joined(separator: ",") }.joined(separator: "\n"))
            .write(to: file, atomically: true, encoding: .utf8)   // no trailing newline: accepted
        let out = dir.appendingPathComponent("s")
        let r = try CLI.pillars(["sweep", "Scenarios/five-pillars.yaml", "--design-file", file.path, "--reps", "2", "--out", out.path] + Self.short)
        #expect(r.status == 0, "\(r.err)")
        let t = try X.table(out.appendingPathComponent("sweep.csv"))
        #expect(Array(t[0].prefix(5)) == ["point", "replication", "seed", "governance.whistle.compliance", "participation.tenant_factor"])
        #expect(t.count == 11, "10 rows")
        for (k, row) in t.dropFirst().enumerated() {
            #expect(row[0] == String(k / 2) && row[1] == String(k % 2))
            #expect(Array(row[3...4]) == values[k / 2], "point \(k / 2) has the file's values")
        }
        let record = try String(contentsOf: out.appendingPathComponent("design.json"), encoding: .utf8)
        #expect(record.contains("\"design\" : \"file\""))
    }

    @Test func dryRunWritesTheDesignAndRunsNothingAndTheDesignReadsBack() throws {
        let dir = CLI.temp("dryrun")
        let dry = dir.appendingPathComponent("dry")
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--reps", "2"] + Self.short
        let r = try CLI.pillars(args + ["--design", "lhs", "--points", "4", "--param", "governance.whistle.compliance=0.5:1",
                                        "--param", "governance.department_days=4:20", "--dry-run", "--out", dry.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: dry.appendingPathComponent("design.csv").path))
        #expect(!FileManager.default.fileExists(atPath: dry.appendingPathComponent("sweep.csv").path), "no sweep.csv")
        let design = try X.table(dry.appendingPathComponent("design.csv"))
        #expect(design[0] == ["governance.whistle.compliance", "governance.department_days"])
        #expect(design.count == 5)
        // The same design run from the file and from the options gives the same table.
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        #expect(try CLI.pillars(args + ["--design-file", dry.appendingPathComponent("design.csv").path, "--out", a.path]).status == 0)
        #expect(try CLI.pillars(args + ["--design", "lhs", "--points", "4", "--param", "governance.whistle.compliance=0.5:1",
                                        "--param", "governance.department_days=4:20", "--out", b.path]).status == 0)
        #expect(try X.text(a.appendingPathComponent("sweep.csv")) == X.text(b.appendingPathComponent("sweep.csv")))
    }

    /// Bad design files: one line naming the file, the line/point and column, exit 2.
    @Test(arguments: [
        ("governance.whistle.compliance\n0.5\n1.3\n", "line 3 (point 1), column governance.whistle.compliance: 1.3 is outside the declared range [0, 1]"),
        ("governance.whistle.complance\n0.5\n", "line 1, column 1: unknown parameter 'governance.whistle.complance' (did you mean 'governance.whistle.compliance'?)"),
        ("governance.whistle.compliance\nabc\n", "line 2 (point 0), column governance.whistle.compliance: 'abc' is not a number"),
        ("governance.whistle.compliance,population.households\n0.5\n", "line 2 (point 0): 1 fields, expected 2"),
        ("governance.whistle.compliance\n", "no points, only a header"),
        ("", "empty file"),
        ("governance\n1\n", "'governance' is a section, not a parameter"),
        ("governance.whistle.compliance,governance.whistle.compliance\n1,1\n", "appears twice"),
        ("population.households\n0\n", "column population.households: 0 is outside the declared range"),
        ("governance.whistle.compliance\nnan\n", "not a finite number"),
    ])
    func badDesignFilesAreOneLineExitTwo(text: String, expected: String) throws {
        let dir = CLI.temp("baddesign")
        let file = dir.appendingPathComponent("points.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.pillars(["sweep", "Scenarios/five-pillars.yaml", "--design-file", file.path, "--out", dir.appendingPathComponent("o").path] + Self.short)
        #expect(r.status == 2)
        #expect(r.err.contains(file.path) && r.err.contains(expected), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1, "one line: \(r.err)")
    }

    // MARK: sensitivity

    static let sensitivityArgs = ["sensitivity", "Scenarios/five-pillars.yaml", "--param", "governance.whistle.compliance=0.5:1",
                                  "--param", "participation.tenant_factor=0.2:0.8", "--set", "simulation.days=60",
                                  "--set", "population.households=120"]

    @Test func sobolWritesTheNoiseShareAndWarnsAboutIt() throws {
        let out = CLI.temp("noise").appendingPathComponent("o")
        let r = try CLI.pillars(Self.sensitivityArgs + ["--samples", "16", "--reps", "3", "--bootstrap", "100", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        let t = try X.table(out.appendingPathComponent("sensitivity.csv"))
        #expect(t[0] == ["metric", "parameter", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi", "noise"])
        for row in t.dropFirst() {
            let noise = try #require(Double(row[8]))
            #expect(noise >= 0 && noise <= 1)
        }
        // 120 households, 3 replications: participation is mostly noise, and the warning says so.
        #expect(r.err.contains("warning: participation_rate: ") && r.err.contains("replication noise is"), "\(r.err)")
        #expect(r.err.contains("(above 0.2)"))
        let manifest = try X.text(out.appendingPathComponent("manifest.json"))
        #expect(manifest.contains("\"method\" : \"sobol\""))
    }

    @Test func morrisWritesMuStarAndSigmaWithIntervals() throws {
        let out = CLI.temp("morris").appendingPathComponent("o")
        let r = try CLI.pillars(Self.sensitivityArgs + ["--method", "morris", "--samples", "6", "--reps", "2", "--bootstrap", "50",
                                                         "--param", "governance.department_days=4:20", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let t = try X.table(out.appendingPathComponent("sensitivity.csv"))
        #expect(t[0] == ["metric", "parameter", "mu", "mu_star", "mu_star_lo", "mu_star_hi", "sigma", "sigma_lo", "sigma_hi", "noise"])
        #expect(t.count == 1 + 2 * 3, "two outputs × three parameters")
        for row in t.dropFirst() {
            let v = row[2...8].map { Double($0)! }
            #expect(v[2] <= v[1] && v[1] <= v[3], "mu* within its interval: \(row)")
            #expect(v[5] <= v[4] && v[4] <= v[6], "sigma within its interval: \(row)")
            #expect(abs(v[0]) <= v[1] + 1e-12)
        }
        let samples = try X.table(out.appendingPathComponent("samples.csv"))
        #expect(samples[0].prefix(2) == ["row", "trajectory"] && samples.count == 1 + 6 * 4)
        let bad = try CLI.pillars(Self.sensitivityArgs + ["--method", "morris", "--levels", "5", "--out", out.path + "-bad"])
        #expect(bad.status == 64 && bad.err.contains("--levels must be an even number"))
    }

    // MARK: time series from sweeps

    @Test func sweepTimeseriesIsStreamedInJobOrderAndResumedWithTheSweep() throws {
        let dir = CLI.temp("ts")
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--reps", "2", "--param", "governance.whistle.compliance=0.5,0.75,1",
                    "--set", "simulation.observe_every_days=30", "--timeseries"] + Self.short
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b"), c = dir.appendingPathComponent("c")
        #expect(try CLI.pillars(args + ["--out", a.path, "--jobs", "2"]).status == 0)
        #expect(try CLI.pillars(args + ["--out", b.path, "--jobs", "1"]).status == 0)
        let series = a.appendingPathComponent("timeseries.csv")
        let t = try X.table(series)
        #expect(t[0] == ["point", "replication", "day"] + Output.names)
        #expect(t.count == 1 + 3 * 2 * 2, "points × replications × observed days (30, 60)")
        #expect(t[1].prefix(3) == ["0", "0", "30"] && t.last!.prefix(3) == ["2", "1", "60"], "job order, then day")
        #expect(try X.text(series) == X.text(b.appendingPathComponent("timeseries.csv")), "same bytes whatever --jobs")
        // The sweep row's outputs summarise the series: a rate is the mean of its observations
        // in the final window (simulation.summary_days covers both here), a total the last day's value.
        let sweep = try X.table(a.appendingPathComponent("sweep.csv"))
        let k = sweep[0].firstIndex(of: "participation_rate")!, kr = sweep[0].firstIndex(of: "resolutions")!
        #expect(abs((Double(t[1][3])! + Double(t[2][3])!) / 2 - Double(sweep[1][k])!) < 1e-12)
        #expect(t[2][3 + Output.resolutions.index] == sweep[1][kr])
        // A kill after three jobs and part of the fourth's series: resume gives the same bytes.
        try FileManager.default.copyItem(at: a, to: c)
        let mainLines = try X.lines(c.appendingPathComponent("sweep.csv"))
        try (mainLines.prefix(4).joined(separator: "\n") + "\n").write(to: c.appendingPathComponent("sweep.csv"), atomically: true, encoding: .utf8)
        let full = try Data(contentsOf: series)
        let keep = try X.lines(series).prefix(8).map { $0.utf8.count + 1 }.reduce(0, +) + 300
        try full.prefix(keep).write(to: c.appendingPathComponent("timeseries.csv"))
        let r = try CLI.pillars(args + ["--out", c.path, "--resume", "--jobs", "2"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try X.text(c.appendingPathComponent("timeseries.csv")) == X.text(series))
        #expect(try X.text(c.appendingPathComponent("sweep.csv")) == X.text(a.appendingPathComponent("sweep.csv")))
        // Resuming without --timeseries, or with it on a sweep started without, is refused.
        let without = try CLI.pillars(args.filter { $0 != "--timeseries" } + ["--out", c.path, "--resume"])
        #expect(without.status == 2 && without.err.contains("resume it with --timeseries"), "\(without.err)")
    }

    // MARK: SALib round trip

    static let python = CLI.root.appendingPathComponent(".venv/bin/python")

    /// Run the project venv's Python with `args` in the repository root.
    static func runPython(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = python
        p.arguments = args
        p.currentDirectoryURL = CLI.root
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        try p.run()
        let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out, err)
    }

    /// Scripts/salib_roundtrip.py: SALib draws a Saltelli plan, `pillars sweep --design-file`
    /// runs it, SALib analyses it, and `pillars sensitivity --design-file` agrees within the
    /// intervals. Needs the project venv (`bash Scripts/setup.sh --python`, which test.sh runs).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python.path), "no .venv: run bash Scripts/setup.sh --python"))
    func salibRoundTripAgreesWithPillarsSensitivity() throws {
        let (status, out, err) = try Self.runPython(["Scripts/salib_roundtrip.py", "--pillars", CLI.binary.path, "--out", CLI.temp("salib").path])
        #expect(status == 0, "\(out)\n\(err)")
        #expect(out.contains("SALib and pillars agree within the intervals"), "\(out)")
        #expect(out.components(separatedBy: " agree\n").count - 1 == 8, "2 outputs × 2 parameters × S1, ST: \(out)")
    }

    @Test func aSensitivityDesignFileMustHaveSALibsLayout() throws {
        let dir = CLI.temp("layout")
        let file = dir.appendingPathComponent("plan.csv")
        // N = 2, k = 2: A, AB_1, AB_2, B per base row; the second block's AB_2 is wrong.
        try """
        governance.whistle.compliance,participation.tenant_factor
        0.5,0.2
        0.9,0.2
        0.5,0.7
        0.9,0.7
        0.6,0.3
        0.8,0.3
        0.7,0.7
        0.8,0.5
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.pillars(["sensitivity", "Scenarios/five-pillars.yaml", "--design-file", file.path, "--out", dir.appendingPathComponent("o").path] + Self.short)
        #expect(r.status == 2)
        #expect(r.err.contains("\(file.path) line 8 (point 6): expected A with participation.tenant_factor from B"), "\(r.err)")
        try "governance.whistle.compliance\n0.5\n0.6\n0.7\n0.8\n0.9\n".write(to: file, atomically: true, encoding: .utf8)
        let short = try CLI.pillars(["sensitivity", "Scenarios/five-pillars.yaml", "--design-file", file.path, "--out", dir.appendingPathComponent("o").path] + Self.short)
        #expect(short.status == 2 && short.err.contains("5 points, expected N·(k + 2) = N·3"), "\(short.err)")
    }

    // MARK: seeds below 2^63

    /// Every seed column (replications.csv, sweep.csv) holds integers below 2^63 that
    /// pyarrow.csv reads as int64, exactly (it reads larger ones as float64, losing digits).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python.path), "no .venv: run bash Scripts/setup.sh --python"))
    func pyarrowReadsEverySeedExactly() throws {
        let dir = CLI.temp("seeds")
        let run = dir.appendingPathComponent("run"), sweep = dir.appendingPathComponent("sweep")
        #expect(try CLI.pillars(["run", "Scenarios/five-pillars.yaml", "--reps", "24", "--out", run.path] + Self.short).status == 0)
        #expect(try CLI.pillars(["sweep", "Scenarios/five-pillars.yaml", "--reps", "12", "--param", "governance.whistle.compliance=0.5,1",
                                 "--out", sweep.path] + Self.short).status == 0)
        let files = [run.appendingPathComponent("replications.csv").path, sweep.appendingPathComponent("sweep.csv").path]
        let check = """
        import csv, sys
        import pyarrow as pa, pyarrow.csv as pc
        for path in sys.argv[1:]:
            col = pc.read_csv(path).column("seed")
            assert col.type == pa.int64(), f"{path}: seed read as {col.type}"
            text = [row["seed"] for row in csv.DictReader(open(path))]
            assert [str(v) for v in col.to_pylist()] == text, f"{path}: seeds changed on reading"
            assert all(int(t) < 2**63 for t in text)
            print(path, len(text), "seeds exact")
        """
        let (status, out, err) = try Self.runPython(["-c", check] + files)
        #expect(status == 0, "\(err)")
        #expect(out.contains("replications.csv 24 seeds exact") && out.contains("sweep.csv 24 seeds exact"), "\(out)\(err)")
    }
}
