import Foundation
import Testing
@testable import pillars
import Experiments
import TestSupport

/// The rule of `pillars cases --identify` (docs/CALIBRATION.md, "What the cases can identify").
@Suite("identification")
struct IdentificationTests {
    typealias Row = Identification.Row
    static func row(_ p: String, _ c: String, _ f: String, _ swing: Double) -> Row {
        Row(parameter: p, lo: 0, hi: 1, caseName: c, figure: f, swing: swing)
    }

    @Test func aFigureIsIdentifiedOnlyWhenEveryParameterMovingItIsInformedElsewhere() {
        let rows = [
            // `shared` moves a figure of both cases; `own` moves only case A's second figure;
            // `weak` moves B below the threshold, so B does not inform it.
            Self.row("shared", "A", "a1", 0.9), Self.row("shared", "B", "b1", -0.6),
            Self.row("own", "A", "a2", 2.0), Self.row("own", "B", "b1", 0.1),
            Self.row("shared", "A", "a2", 0.7),
            Self.row("weak", "A", "a3", 0.0), Self.row("weak", "B", "b1", 0.3),
        ]
        let v = Identification.verdicts(rows)
        #expect(v.map(\.figure) == ["a1", "b1", "a2", "a3"], "one verdict per figure, in the order the rows first name them")
        let byFigure = Dictionary(uniqueKeysWithValues: v.map { ($0.figure, $0) })
        #expect(byFigure["a1"]?.movedBy == ["shared"] && byFigure["a1"]?.ownOnly == [])
        #expect(byFigure["a2"]?.movedBy == ["own", "shared"], "strongest first")
        #expect(byFigure["a2"]?.ownOnly == ["own"], "only case A informs `own`")
        #expect(byFigure["a3"]?.movedBy == [], "moved by nothing: set by the case's inputs")
        #expect(byFigure["b1"]?.ownOnly == [])
        // A lower threshold lets B inform `own` too, and `weak` becomes B's own.
        let low = Dictionary(uniqueKeysWithValues: Identification.verdicts(rows, threshold: 0.1).map { ($0.figure, $0) })
        #expect(low["a2"]?.ownOnly == [])
        #expect(low["b1"]?.ownOnly == ["weak"])
    }

    /// Comparing a case with the others needs others: one case is refused, not skipped in silence.
    @Test func oneCaseIsRefused() throws {
        let dir = CLITests.temp("identify-one")
        let one = try ValidationCLITests.small("beijing-whistle-and-report", households: 100, in: dir)
        let out = dir.appendingPathComponent("out").path
        for flag in ["--identify", "--cross-validate"] {
            let r = try CLITests.pillars(["cases", one, flag, "--reps", "2", "--out", out])
            #expect(r.status == 2, "\(flag): \(r.out)")
            #expect(r.err.contains("\(flag) needs at least two case files with targets; got 1"), "\(r.err)")
            #expect(!FileManager.default.fileExists(atPath: out), "refused before any folder is made")
        }
    }

    /// On two shrunken cases: one row per parameter and figure, and the summary lines.
    @Test func identifyWritesASwingPerParameterAndFigure() throws {
        let dir = CLITests.temp("identify")
        let files = [try ValidationCLITests.small("beijing-whistle-and-report", households: 150, in: dir),
                     try ValidationCLITests.small("hangzhou-sharing-community", households: 150, in: dir)]
        let out = dir.appendingPathComponent("out")
        let r = try CLITests.pillars(["cases"] + files + ["--identify", "--cv-reps", "2", "--reps", "3", "--out", out.path, "--jobs", "2"])
        #expect(r.status == 0 || r.status == 1, "\(r.err)")
        let lines = try ValidationCLITests.lines(out.appendingPathComponent("identification-swings.csv").path)
        #expect(lines.first == "parameter,lo,hi,case,figure,swing")
        #expect(lines.count == 1 + sharedCalibration.count * 8, "19 parameters × 8 figures")
        // The whistle's fix time moves Beijing's time after and nothing of Hangzhou's.
        let fix = lines.filter { $0.hasPrefix("governance.whistle.fix_days,") }
        let swing = { (l: String) in Double(l.split(separator: ",").last!)! }
        #expect(fix.filter { $0.contains("hangzhou") }.allSatisfy { swing($0) == 0 }, "\(fix)")
        #expect(fix.contains { $0.contains("mean resolution time after") && swing($0) > 0.5 }, "\(fix)")
        // One verdict per figure; Beijing's time after rests on the fix time, which only Beijing informs.
        let verdicts = try ValidationCLITests.lines(out.appendingPathComponent("identification.csv").path)
        #expect(verdicts.first == "case,figure,moved_by,own_case_only,identified")
        #expect(verdicts.count == 1 + 8)
        #expect(verdicts.contains { $0.contains("mean resolution time after") && $0.contains("governance.whistle.fix_days") && $0.hasSuffix(",false") }, "\(verdicts)")
        #expect(r.out.contains("the other cases identify ") && r.out.contains(" of 8 figures; "), "\(r.out)")
        #expect(r.out.contains("at other thresholds"), "\(r.out)")
    }
}

extension IdentificationTests {
    /// `--prior-predictive` on two shrunken cases: one row per figure with its range over the
    /// priors (lo ≤ median ≤ hi), `inside` exactly when the published value lies in it, and
    /// the summary line counting them.
    @Test func priorPredictiveGivesEachFigureItsRangeOverThePriors() throws {
        let dir = CLITests.temp("prior-predictive")
        let files = [try ValidationCLITests.small("beijing-whistle-and-report", households: 150, in: dir),
                     try ValidationCLITests.small("hangzhou-sharing-community", households: 150, in: dir)]
        let out = dir.appendingPathComponent("out")
        let r = try CLITests.pillars(["cases"] + files + ["--prior-predictive", "--prior-draws", "6", "--prior-reps", "1", "--reps", "3",
                                                          "--out", out.path, "--jobs", "2"])
        #expect(r.status == 0 || r.status == 1, "\(r.err)")
        let lines = try ValidationCLITests.lines(out.appendingPathComponent("prior-predictive.csv").path)
        #expect(lines.first == "case,figure,published,prior_lo90,prior_median,prior_hi90,inside,known_miss")
        #expect(lines.count == 1 + 8)
        var inside = 0
        for l in lines.dropFirst() {
            let f = try parseCSVFile(fixtureFile(l)).header
            let published = Double(f[2])!, lo = Double(f[3])!, med = Double(f[4])!, hi = Double(f[5])!
            #expect(lo <= med && med <= hi, "\(l)")
            #expect((f[6] == "yes") == (lo <= published && published <= hi), "\(l)")
            if f[6] == "yes" { inside += 1 }
        }
        #expect(r.out.contains("prior predictive: \(inside) of 8 published figures inside"), "\(r.out)")
        // Wider priors cannot be had for free: the flag is refused on cases without targets.
        let none = try CLITests.pillars(["cases", bundledScenarios("cases/chaoyang-compound.yaml").path, "--prior-predictive",
                                         "--reps", "2", "--out", dir.appendingPathComponent("none").path])
        #expect(none.status == 2 && none.err.contains("--prior-predictive needs case files with targets"), "\(none.err)")
    }

    /// One CSV line as a file, so the project's CSV reader splits its quoted fields.
    func fixtureFile(_ line: String) throws -> URL {
        let u = CLITests.temp("line").appendingPathComponent("l.csv")
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (line + "\n").write(to: u, atomically: true, encoding: .utf8)
        return u
    }
}
