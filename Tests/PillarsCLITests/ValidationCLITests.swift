import Foundation
import Testing
import TestSupport

/// The validation machinery of docs/CALIBRATION.md on small problems (the real runs are too
/// slow for the tests): leave-one-case-out, the ABC posterior and --posterior.
@Suite("pillars validation")
struct ValidationCLITests {
    typealias CLI = CLITests

    /// A case scenario shrunk to `households` (its targets kept).
    static func small(_ name: String, households: Int, in dir: URL) throws -> String {
        let base = CLI.root.appendingPathComponent("Scenarios/cases/\(name).yaml").path
        let url = dir.appendingPathComponent("\(name)-small.yaml")
        try "version: 1\nextends: \(base)\nname: \(name)-small\npopulation:\n  households: \(households)\n"
            .write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func crossValidationWritesEveryFigureOutOfSample() throws {
        let dir = CLI.temp("cv")
        let files = [try Self.small("beijing-whistle-and-report", households: 150, in: dir),
                     try Self.small("hangzhou-sharing-community", households: 150, in: dir)]
        let out = dir.appendingPathComponent("out")
        let r = try CLI.pillars(["cases"] + files + ["--cross-validate", "--cv-reps", "2", "--cv-iterations", "1",
                                                     "--reps", "3", "--out", out.path, "--jobs", "2"])
        #expect(r.status == 0 || r.status == 1, "\(r.err)")
        let cv = try Self.lines(out.appendingPathComponent("crossvalidation.csv").path)
        #expect(cv.first == "case,figure,published,simulated_mean,lo,hi,tolerance,pass")
        #expect(cv.count == 1 + 8, "one row per figure of both cases: \(cv)")
        #expect(cv.dropFirst().allSatisfy { $0.hasSuffix(",true") || $0.hasSuffix(",false") })
        let cases = try Self.lines(out.appendingPathComponent("cases.csv").path)
        #expect(cases.first == "case,figure,published,simulated_mean,lo,hi,tolerance,pass,z,known_miss")
        #expect(r.out.contains("out of sample (leave-one-case-out): ") && r.out.contains(" of 8 pass; in sample: "), "\(r.out)")
        #expect(r.out.contains("8 figures, 19 shared fitted parameters, 0 per-case fitted inputs"), "\(r.out)")
    }

    /// `run --posterior` with one draw repeated writes the same replications as `run --set`.
    @Test func oneRepeatedDrawEqualsSet() throws {
        let dir = CLI.temp("posterior-set")
        let post = dir.appendingPathComponent("one.csv").path
        try "satisfaction.service_weight,deliberation.opinion_sd\n0.4,0.15\n0.4,0.15\n".write(toFile: post, atomically: true, encoding: .utf8)
        let file = CLI.root.appendingPathComponent("Scenarios/five-pillars.yaml").path
        let common = ["run", file, "--set", "simulation.days=120", "--set", "population.households=150", "--reps", "3", "--quiet"]
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b"), c = dir.appendingPathComponent("c")
        #expect(try CLI.pillars(common + ["--posterior", post, "--out", a.path]).status == 0)
        #expect(try CLI.pillars(common + ["--set", "satisfaction.service_weight=0.4", "--set", "deliberation.opinion_sd=0.15", "--out", b.path]).status == 0)
        #expect(try CLI.pillars(common + ["--out", c.path]).status == 0)
        let ra = try String(contentsOf: a.appendingPathComponent("replications.csv"), encoding: .utf8)
        let rb = try String(contentsOf: b.appendingPathComponent("replications.csv"), encoding: .utf8)
        let rc = try String(contentsOf: c.appendingPathComponent("replications.csv"), encoding: .utf8)
        #expect(ra == rb)
        #expect(ra != rc, "the draw must change the outputs for the comparison to mean anything")
    }

    @Test func posteriorSampleFeedsEveryVerb() throws {
        let dir = CLI.temp("posterior")
        let beijing = try Self.small("beijing-whistle-and-report", households: 120, in: dir)
        let post = dir.appendingPathComponent("posterior.csv").path
        let c = try CLI.pillars(["calibrate", beijing, "--param", "satisfaction.service_weight=0.05:0.3",
                                 "--param", "governance.other_complaints_per_100hh_month=0:5",
                                 "--candidates", "6", "--accept", "3", "--generations", "1", "--budget", "30", "--reps", "2", "--posterior-out", post, "--quiet", "--jobs", "2"])
        #expect(c.status == 0, "\(c.err)")
        let rows = try Self.lines(post)
        #expect(rows.first == "satisfaction.service_weight,governance.other_complaints_per_100hh_month")
        #expect(rows.count == 4, "\(rows)")
        // The combined case with the draws: predictions before and after, and no cases.csv.
        let chaoyang = try Self.small("chaoyang-compound", households: 120, in: dir)
        let out = dir.appendingPathComponent("chaoyang")
        let p = try CLI.pillars(["cases", chaoyang, "--posterior", post, "--reps", "3", "--out", out.path, "--quiet", "--jobs", "2"])
        #expect(p.status == 0, "\(p.err)")
        let pred = try Self.lines(out.appendingPathComponent("chaoyang-compound-small-predictions.csv").path)
        #expect(pred.first == "metric,period,day,mean,lo90,hi90,n")
        #expect(pred.contains { $0.hasPrefix("participation_rate,before,179,") } && pred.contains { $0.hasPrefix("participation_rate,after,899,") }, "\(pred)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("cases.csv").path))
        // run, compare and sweep take it too.
        let short = ["--set", "simulation.days=60", "--reps", "2", "--quiet", "--posterior", post]
        let quick = CLI.root.appendingPathComponent("Scenarios/traditional.yaml").path
        #expect(try CLI.pillars(["run", quick, "--out", dir.appendingPathComponent("run").path] + short).status == 0)
        #expect(try CLI.pillars(["compare", quick, quick, "--out", dir.appendingPathComponent("cmp").path] + short).status == 0)
        #expect(try CLI.pillars(["sweep", quick, "--param", "deliberation.opinion_sd=0.1,0.2", "--out", dir.appendingPathComponent("sw").path] + short).status == 0)
        // A bad draw is refused naming the file, the line and the column.
        let bad = dir.appendingPathComponent("bad.csv").path
        try "satisfaction.service_weight\n0.1\n9\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let e = try CLI.pillars(["run", quick, "--set", "simulation.days=60", "--reps", "2", "--quiet", "--posterior", bad,
                                 "--out", dir.appendingPathComponent("bad").path])
        #expect(e.status != 0 && e.err.contains("bad.csv:3") && e.err.contains("satisfaction.service_weight") && e.err.contains("row 2"), "\(e.err)")
    }
}
