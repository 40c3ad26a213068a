import Foundation
import Testing
import TestSupport

/// The planners' path (issue 14): `pillars new`, scheme overlays with `--scheme`, the decision
/// table of `compare`, and replications to a stated precision.
@Suite("pillars for planners")
struct PlannerCLITests {
    typealias CLI = CLITests
    static let short = ["--set", "simulation.days=60", "--set", "population.households=120", "--quiet"]
    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    // MARK: new

    @Test func newWritesAScenarioThatValidatesAndRunsInTmpAndInTheRepository() throws {
        let inTmp = CLI.temp("new").appendingPathComponent("mine.yaml")
        let inRepo = repositoryRoot.appendingPathComponent(".build/planner-tests-\(UUID().uuidString)/sub/mine.yaml")
        defer { try? FileManager.default.removeItem(at: inRepo.deletingLastPathComponent().deletingLastPathComponent()) }
        for (file, relative) in [(inTmp, false), (inRepo, true)] {
            let r = try CLI.pillars(["new", file.path, "--households", "1200", "--tenant-share", "0.4", "--elderly-share", "0.35",
                                     "--floors", "18", "--budget", "2000000", "--participation", "0.1"])
            #expect(r.status == 0, "\(r.err)")
            let t = try Self.text(file)
            // Written quoted since issue 29 (a folder named `b #x` would otherwise end the value).
            let ext = t.split(separator: "\n").first { $0.hasPrefix("extends: ") }
                .map { String($0.dropFirst(9)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? ""
            #expect(relative ? ext == "../../../Scenarios/base.yaml" : ext.hasPrefix("/") && ext.hasSuffix("Scenarios/base.yaml"), "extends: \(ext)")
            #expect(t.contains("population.households: 1200   # given (--households)"))
            #expect(t.contains("#   given: baseline.participation_rate = 0.1"))
            #expect(t.contains("baseline.satisfaction_rate = 0.58") && t.contains("# baseline.fee_collection_rate: 0.65   # inherited"))
            // Validates and runs as written, from another folder too.
            let v = try CLI.pillars(["validate", file.path], cwd: FileManager.default.temporaryDirectory)
            #expect(v.status == 0 && v.out.contains(": ok"), "\(v.err)")
            let shown = try CLI.pillars(["show", file.path])
            #expect(shown.out.contains("households: 1200") && shown.out.contains("tenant_share: 0.4"))
            let out = CLI.temp("new-run").appendingPathComponent("o")
            let run = try CLI.pillars(["run", file.path, "--reps", "1", "--set", "simulation.days=30", "--quiet", "--out", out.path])
            #expect(run.status == 0, "\(run.err)")
        }
        // Refuses to overwrite without --overwrite; replaces with it.
        let again = try CLI.pillars(["new", inTmp.path, "--households", "900"])
        #expect(again.status == 2 && again.err.contains("--overwrite"))
        #expect(try Self.text(inTmp).contains("households: 1200"))
        #expect(try CLI.pillars(["new", inTmp.path, "--households", "900", "--overwrite"]).status == 0)
        #expect(try Self.text(inTmp).contains("population.households: 900"))
    }

    @Test func newRejectsBadValuesInOneLineNamingTheKeyPath() throws {
        let dir = CLI.temp("new-bad")
        let r = try CLI.pillars(["new", dir.appendingPathComponent("x.yaml").path, "--tenant-share", "1.5"])
        #expect(r.status == 2)
        #expect(r.err.split(separator: "\n").count == 1 && r.err.contains("population.tenant_share"), "\(r.err)")
        // A cross-field problem (young + elderly > 1) names the file and the key path; nothing is left behind.
        let f = dir.appendingPathComponent("y.yaml")
        let c = try CLI.pillars(["new", f.path, "--young-share", "0.7", "--elderly-share", "0.6"])
        #expect(c.status == 2 && c.err.contains(f.path) && c.err.contains("population."), "\(c.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func newWithoutFlagsIsTheSchemesBaseline() throws {
        let f = CLI.temp("new-plain").appendingPathComponent("plain.yaml")
        #expect(try CLI.pillars(["new", f.path]).status == 0)
        func body(_ s: String) -> [Substring] {
            s.split(separator: "\n").filter { !$0.hasPrefix("name:") && !$0.hasPrefix("description:") }
        }
        let mine = try CLI.pillars(["show", f.path]), theirs = try CLI.pillars(["show", "Scenarios/schemes/_no-incentives.yaml"])
        #expect(body(mine.out) == body(theirs.out))
    }

    // MARK: scheme overlays

    @Test func anOverlayOnABaseIsTheScenarioThatExtendsIt() throws {
        for scheme in ["points-all", "timebank", "perks-young"] {
            let overlay = try Self.text(bundledScenarios("schemes/\(scheme).yaml"))
            let dir = try fixtureFolder(["full.yaml": overlay.replacingOccurrences(
                of: "version: 1\n", with: "version: 1\nextends: \(bundledScenarios("schemes/_no-incentives.yaml").path)\n")])
            let a = try CLI.pillars(["show", "Scenarios/schemes/_no-incentives.yaml", "--scheme", "Scenarios/schemes/\(scheme).yaml"])
            let b = try CLI.pillars(["show", dir.appendingPathComponent("full.yaml").path])
            #expect(a.status == 0 && a.out == b.out && a.out.contains("name: \(scheme)"), "\(scheme): \(a.err)")
        }
        // An overlay without a name is named by its file.
        let unnamed = try fixtureFolder(["cheap-points.yaml": "version: 1\nincentives.points.enabled: true\n"])
        let u = try CLI.pillars(["show", "Scenarios/five-pillars.yaml", "--scheme", unnamed.appendingPathComponent("cheap-points.yaml").path])
        #expect(u.status == 0 && u.out.contains("name: cheap-points"), "\(u.out.prefix(200))")
        // The same overlay applies to another community.
        let t = try CLI.pillars(["show", "Scenarios/traditional.yaml", "--scheme", "Scenarios/schemes/points-all.yaml"])
        #expect(t.status == 0 && t.out.contains("target: all"))
    }

    @Test func anOverlayThatExtendsOrIsBrokenIsOneClearLine() throws {
        let dir = try fixtureFolder([
            "ext.yaml": "version: 1\nextends: ../x.yaml\nname: e\n",
            "bad.yaml": "version: 1\nname: b\nincentives:\n  points:\n    enabld: true\n",
        ])
        let e = try CLI.pillars(["compare", "Scenarios/schemes/_no-incentives.yaml", "--scheme", dir.appendingPathComponent("ext.yaml").path] + Self.short)
        #expect(e.status == 2 && e.err.contains("ext.yaml") && e.err.contains("extends"), "\(e.err)")
        let b = try CLI.pillars(["compare", "Scenarios/schemes/_no-incentives.yaml", "--scheme", dir.appendingPathComponent("bad.yaml").path] + Self.short)
        #expect(b.status == 2 && b.err.contains("bad.yaml") && b.err.contains("incentives.points.enabld"), "\(b.err)")
        #expect(b.err.split(separator: "\n").count == 1)
    }

    // MARK: decision and precision

    @Test func compareWritesADecisionTableWhosePBestSumsToOne() throws {
        let out = CLI.temp("decision").appendingPathComponent("o")
        let r = try CLI.pillars(["compare", "Scenarios/schemes/_no-incentives.yaml", "--scheme", "Scenarios/schemes/points-all.yaml",
                                 "--scheme", "Scenarios/schemes/perks-young.yaml", "--reps", "6", "--budget", "50000", "--out", out.path] + Self.short)
        #expect(r.status == 0, "\(r.err)")
        let rows = try Self.text(out.appendingPathComponent("decision.csv")).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows[0].prefix(12).joined(separator: ",") == "scenario,p_best,objective_diff,objective_diff_lo,objective_diff_hi,annual_cost_diff,annual_cost_diff_lo,annual_cost_diff_hi,yuan_per_extra_participant,yuan_per_extra_participant_lo,yuan_per_extra_participant_hi,annual_cost")
        #expect(rows.dropFirst().map { String($0[0]) } == ["no-incentives", "points-all", "perks-young"])
        let p = rows.dropFirst().map { Double($0[1])! }
        #expect(abs(p.reduce(0, +) - 1) < 1e-9)
        let fits = rows[0].firstIndex(of: "fits_budget")!
        #expect(rows.dropFirst().allSatisfy { ["yes", "mean only", "no"].contains(String($0[fits])) })
        // The manifest says how the replications were chosen and which method gave the intervals.
        let m = try Self.text(out.appendingPathComponent("manifest.json"))
        #expect(m.contains("percentile-bootstrap") && m.contains("\"replications_stopped\""))
    }

    @Test func reportIsOneOfflineFileWithChartsForACompareAndARunFolder() throws {
        let dir = CLI.temp("report")
        let cmp = dir.appendingPathComponent("cmp"), run = dir.appendingPathComponent("run")
        #expect(try CLI.pillars(["compare", "Scenarios/schemes/_no-incentives.yaml", "--scheme", "Scenarios/schemes/points-all.yaml",
                                 "--reps", "4", "--out", cmp.path] + Self.short).status == 0)
        #expect(try CLI.pillars(["run", "Scenarios/quickstart.yaml", "--reps", "2", "--out", run.path,
                                 "--set", "population.households=120", "--quiet"]).status == 0)
        for (folder, charts) in [(cmp, 3), (run, 1)] {
            let r = try CLI.pillars(["report", folder.path])
            #expect(r.status == 0, "\(r.err)")
            let html = try Self.text(folder.appendingPathComponent("report.html"))
            #expect(!html.contains("http://") && !html.contains("https://"))
            #expect(html.components(separatedBy: "<svg").count - 1 == charts, "\(folder.lastPathComponent)")
            #expect(html.contains("@media print") && html.contains("Caveats"))
        }
        let c = try Self.text(cmp.appendingPathComponent("report.html"))
        #expect(c.contains("incentives.points.enabled</code>: false → <b>true</b>") && c.contains("has no time series"))
        // Not a results folder: one line, exit 2.
        let bad = try CLI.pillars(["report", dir.path])
        #expect(bad.status == 2 && bad.err.contains("manifest.json"))
    }

    @Test func precisionGivesTheSameBytesAsThePlainRunWithItsReplications() throws {
        let dir = CLI.temp("precision")
        let common = ["compare", "Scenarios/schemes/_no-incentives.yaml", "--scheme", "Scenarios/schemes/points-all.yaml"] + Self.short
        // Unreachable precision: batches of 10, 15, then the cap 17.
        let p = try CLI.pillars(common + ["--precision", "0.00001", "--max-reps", "17", "--out", dir.appendingPathComponent("p").path])
        #expect(p.status == 0, "\(p.err)")
        let m = try Self.text(dir.appendingPathComponent("p/manifest.json"))
        #expect(m.contains("\"replications\" : 17") && m.contains("max-reps reached"), "\(m)")
        let plain = try CLI.pillars(common + ["--reps", "17", "--out", dir.appendingPathComponent("r").path])
        #expect(plain.status == 0)
        for f in ["comparison.csv", "decision.csv"] {
            #expect(try Self.text(dir.appendingPathComponent("p/\(f)")) == (try Self.text(dir.appendingPathComponent("r/\(f)"))), "\(f)")
        }
        // A reachable precision stops as soon as it is reached.
        let q = try CLI.pillars(common + ["--precision", "0.5", "--out", dir.appendingPathComponent("q").path])
        #expect(q.status == 0)
        #expect(try Self.text(dir.appendingPathComponent("q/manifest.json")).contains("precision reached"))
    }
}
