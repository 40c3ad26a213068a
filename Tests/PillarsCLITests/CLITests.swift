import Foundation
import Testing
import TestSupport

/// End-to-end tests of the built `pillars` binary: help, exit codes, the one-line error for
/// each kind of bad input, result files, and reproducibility across seeds and --jobs.
@Suite("pillars command line")
struct CLITests {
    // The runner and the folders are shared (Tests/TestSupport); these names are what the CLI suites call.
    static let root = repositoryRoot
    static var binary: URL { PillarsBinary.url }
    @discardableResult
    static func pillars(_ args: [String], cwd: URL = root, environment: [String: String] = [:]) throws -> ProcessOutcome {
        try PillarsBinary.run(args, cwd: cwd, environment: environment)
    }
    static func temp(_ name: String = "cli") -> URL { temporaryFolder(name) }

    @Test func helpListsTheVerbs() throws {
        let r = try Self.pillars(["--help"])
        #expect(r.status == 0)
        for verb in ["run", "validate", "show", "params"] { #expect(r.out.contains(verb)) }
        let run = try Self.pillars(["run", "--help"])
        for opt in ["--reps", "--seed", "--set", "--out", "--jobs", "--quiet"] { #expect(run.out.contains(opt)) }
    }

    @Test func unknownVerbIsAUsageError() throws {
        let r = try Self.pillars(["frobnicate"])
        #expect(r.status == 64)
    }

    @Test func paramsCSV() throws {
        let r = try Self.pillars(["params", "--csv"])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n")
        #expect(lines.first == "name,unit,min,max,default,source,type")
        #expect(lines.contains { $0.hasPrefix("governance.whistle.enabled,switch,false,true,false,") && $0.hasSuffix(",boolean") })
        #expect(lines.contains { $0.hasPrefix("simulation.days,days,1,36000,720,") && $0.hasSuffix(",integer") })
        #expect(lines.contains { $0.hasPrefix("governance.whistle.compliance,") && $0.hasSuffix(",real") })
        #expect(lines.contains { $0.hasPrefix("incentives.points.target,choice,") && $0.hasSuffix(",choice") })
        #expect(lines.count > 40)
    }

    /// docs/PARAMETERS.md is generated from the code; regenerate with
    /// `swift run pillars params --markdown > docs/PARAMETERS.md` when a parameter changes.
    @Test func parameterDocIsUpToDate() throws {
        let r = try Self.pillars(["params", "--markdown"])
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/PARAMETERS.md"), encoding: .utf8)
        #expect(r.out == doc, "docs/PARAMETERS.md is stale: run `pillars params --markdown > docs/PARAMETERS.md`")
    }

    @Test func showPrintsTheEffectiveScenario() throws {
        let r = try Self.pillars(["show", "Scenarios/five-pillars.yaml", "--set", "governance.whistle.compliance=0.7"])
        #expect(r.status == 0)
        #expect(r.out.contains("compliance: 0.7"))
        #expect(r.out.contains("households: 600"))
    }

    @Test func validateAcceptsTheBundledScenarios() throws {
        let r = try Self.pillars(["validate", "Scenarios/traditional.yaml", "Scenarios/five-pillars.yaml"])
        #expect(r.status == 0, "\(r.err)")
    }

    /// Every bad input: one clear line on stderr naming the file and key, exit code 2.
    @Test(arguments: [
        ("", "empty"),
        ("version: 1\n  x: [\n", "not valid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("version: 1\ngovernance:\n  whistle:\n    enabld: true\n", "governance.whistle.enabld: unknown key"),
        ("version: 1\npopulation:\n  households: lots\n", "population.households: expected a whole number"),
        ("version: 1\ngovernance.whistle.compliance: 1.3\n", "governance.whistle.compliance: expected a number in [0, 1]"),
        ("version: 1\npopulation.households: -600\n", "out of range"),
        ("version: 1\ngovernance.whistle.compliance: .nan\n", "not a finite number"),
        ("version: 1\nextends: missing.yaml\n", "extends: base scenario"),
        ("version: 1\nextends: bad.yaml\n", "cycle"),
        ("version: 99\n", "unsupported version 99"),
        ("version: 1\nx: " + String(repeating: "{a: ", count: 100) + "1" + String(repeating: "}", count: 100) + "\n", "nested deeper"),
    ])
    func badScenario(text: String, expected: String) throws {
        let dir = Self.temp("bad")
        try Data(text.utf8).write(to: dir.appendingPathComponent("bad.yaml"))
        for verb in ["validate", "run"] {
            let r = try Self.pillars([verb, dir.appendingPathComponent("bad.yaml").path, "--quiet"].filter { verb == "run" || $0 != "--quiet" })
            #expect(r.status == 2, "\(verb) \(expected): status \(r.status) \(r.err)")
            #expect(r.err.contains("bad.yaml"), "\(r.err)")
            #expect(r.err.contains(expected), "\(r.err)")
            #expect(r.err.split(separator: "\n").count == 1, "one line: \(r.err)")
            #expect(r.out.isEmpty)
        }
    }

    @Test func missingFileAndBadSet() throws {
        let m = try Self.pillars(["run", "nowhere.yaml"])
        #expect(m.status == 2 && m.err.contains("nowhere.yaml: no such file"))
        let s = try Self.pillars(["run", "Scenarios/traditional.yaml", "--set", "governance.whistle.compliance=2"])
        #expect(s.status == 2 && s.err.contains("--set: governance.whistle.compliance"))
        let r = try Self.pillars(["run", "Scenarios/traditional.yaml", "--reps", "0"])
        #expect(r.status == 64)
    }

    @Test func runWritesResultsAndIsReproducible() throws {
        let base = Self.temp("run")
        let args = ["run", "Scenarios/five-pillars.yaml", "--reps", "4", "--set", "simulation.days=120", "--quiet"]
        let a = try Self.pillars(args + ["--seed", "5", "--jobs", "1", "--out", base.appendingPathComponent("a").path])
        let b = try Self.pillars(args + ["--seed", "5", "--jobs", "2", "--out", base.appendingPathComponent("b").path])
        let c = try Self.pillars(args + ["--seed", "6", "--out", base.appendingPathComponent("c").path])
        #expect(a.status == 0 && b.status == 0 && c.status == 0, "\(a.err)\(b.err)\(c.err)")
        #expect(a.out.isEmpty, "--quiet prints nothing")
        for f in ["summary.csv", "replications.csv", "timeseries.csv"] {
            let x = try Data(contentsOf: base.appendingPathComponent("a/\(f)"))
            let y = try Data(contentsOf: base.appendingPathComponent("b/\(f)"))
            let z = try Data(contentsOf: base.appendingPathComponent("c/\(f)"))
            #expect(x == y, "\(f): --jobs 1 and --jobs 2 differ")
            #expect(x != z, "\(f): another seed gives the same bytes")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent("a/manifest.json"))) as? [String: Any]
        #expect(manifest?["master_seed"] as? String == "5")
        #expect((manifest?["scenario_hash"] as? String)?.hasPrefix("fnv1a64:") == true)
        #expect((manifest?["scenario"] as? String)?.contains("simulation:\n  days: 120") == true)
        let summary = try String(contentsOf: base.appendingPathComponent("a/summary.csv"), encoding: .utf8)
        #expect(summary.hasPrefix("metric,mean,sd,lo95,hi95,n\nparticipation_rate,"))
        // The folder now holds results: a second run there is refused unless --overwrite.
        let again = try Self.pillars(args + ["--out", base.appendingPathComponent("a").path])
        #expect(again.status == 2 && again.err.contains("already holds results"))
    }

    /// projects.csv: one row per replication and project; money by source adds up to the total,
    /// and the gap is the cost less the money raised once the funding deadline has passed.
    @Test func projectsFile() throws {
        let out = Self.temp("projects").appendingPathComponent("o")
        let r = try Self.pillars(["run", "Scenarios/cases/chaoyang-compound.yaml", "--reps", "2", "--set", "simulation.days=430",
                                  "--quiet", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        let text = try String(contentsOf: out.appendingPathComponent("projects.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        #expect(header.prefix(4) == ["replication", "community", "project", "category"])
        let col = { (name: String) in header.firstIndex(of: name)! }
        let sources = header.indices.filter { header[$0].hasPrefix("funding_") }
        #expect(sources.count == 7)
        let rows = lines.dropFirst()
        #expect(rows.contains { $0[col("project")] == "renovation" && $0[col("cost")] == "8000000" })
        for row in rows {
            let total = Double(row[col("raised_total")])!
            #expect(abs(sources.map { Double(row[$0])! }.reduce(0, +) - total) < 1e-6 * max(1, total))
            if let gap = Double(row[col("gap")]) {
                #expect(abs(max(0, Double(row[col("cost")])! - total) - gap) < 1e-6 * max(1, total))
            }
        }
    }

    @Test func printsMeansWithIntervals() throws {
        let r = try Self.pillars(["run", "Scenarios/traditional.yaml", "--reps", "3", "--set", "simulation.days=90",
                                  "--out", Self.temp("print").appendingPathComponent("o").path])
        #expect(r.status == 0, "\(r.err)")
        for o in ["participation_rate", "satisfaction_rate", "resolution_days_mean", "complaints_per_100hh_month"] {
            #expect(r.out.contains(o))
        }
        #expect(r.out.contains("95 % interval"))
        #expect(r.err.isEmpty, "no progress bar when stderr is not a terminal")
    }

    @Test func unwritableOutputIsAClearError() throws {
        let r = try Self.pillars(["run", "Scenarios/traditional.yaml", "--reps", "2", "--set", "simulation.days=30", "--quiet",
                                  "--out", "/proc/pillars-cannot-write"])
        #expect(r.status == 2 && r.err.contains("/proc/pillars-cannot-write"))
    }
}
