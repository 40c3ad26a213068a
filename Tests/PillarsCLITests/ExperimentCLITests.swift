import Foundation
import Governance
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// End-to-end tests of the experiment verbs (compare, sweep, merge, sensitivity) with the
/// built binary: file shapes, common random numbers, resume after a kill, shards merged
/// against one machine, --jobs independence and the one-line errors for bad input.
@Suite("pillars experiments")
struct ExperimentCLITests {
    typealias CLI = CLITests
    static let short = ["--set", "simulation.days=60", "--quiet"]

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
    static func lines(_ url: URL) throws -> [String] { try text(url).split(separator: "\n").map(String.init) }
    /// Rows of a CSV without quoted fields (all our numeric tables), header first.
    static func table(_ url: URL) throws -> [[String]] {
        try lines(url).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    // MARK: compare

    @Test func compareWritesOneRowPerOutputWithGroups() throws {
        let out = CLI.temp("compare").appendingPathComponent("o")
        let r = try CLI.pillars(["compare", "Scenarios/traditional.yaml", "Scenarios/five-pillars.yaml", "--reps", "3",
                                 "--set", "simulation.days=60", "--out", out.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("difference (95 % interval)") && r.out.contains("traditional") && r.out.contains("five-pillars"))
        #expect(r.out.contains("participation_rate") && r.out.contains("tenant"))
        let t = try Self.table(out.appendingPathComponent("comparison.csv"))
        #expect(t[0] == ["metric", "group", "baseline", "alternative", "diff_mean", "lo95", "hi95"])
        #expect(t.count == 1 + Output.names.count, "one row per output")
        #expect(t.dropFirst().allSatisfy { $0.count == 7 })
        #expect(t.contains { $0.prefix(2) == ["participation_rate", "all"] })
        #expect(t.contains { $0.prefix(2) == ["participation_rate", "tenant"] })
        #expect(t.contains { $0.prefix(2) == ["participation_rate", "elderly"] })
        #expect(!t.contains { $0[0] == "participation_rate_tenant" }, "groups go to the group column")
        // The interval brackets the mean wherever both are given.
        for row in t.dropFirst() where !row[4].isEmpty {
            let (m, lo, hi) = (Double(row[4])!, Double(row[5])!, Double(row[6])!)
            #expect(lo <= m && m <= hi, "\(row)")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
        #expect((manifest?["compared"] as? [[String: Any]])?.count == 2)
    }

    @Test func comparingAScenarioWithItselfGivesZeroDifferences() throws {
        let out = CLI.temp("self").appendingPathComponent("o")
        let r = try CLI.pillars(["compare", "Scenarios/five-pillars.yaml", "Scenarios/five-pillars.yaml", "Scenarios/traditional.yaml",
                                 "--reps", "3", "--out", out.path] + Self.short)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.isEmpty, "--quiet")
        let t = try Self.table(out.appendingPathComponent("comparison.csv"))
        #expect(t[0] == ["scenario", "metric", "group", "baseline", "alternative", "diff_mean", "lo95", "hi95"])
        #expect(t.count == 1 + 2 * Output.names.count, "one row per alternative × output")
        let selfRows = t.dropFirst().prefix(Output.names.count)
        let otherRows = t.dropFirst(1 + Output.names.count)
        #expect(Set(selfRows.map { $0[0] }).count == 1 && Set(otherRows.map { $0[0] }) == ["traditional"])
        for row in selfRows {
            #expect(row[3] == row[4], "same scenario, same seeds: \(row)")
            for f in row[5...7] { #expect(f.isEmpty || Double(f) == 0, "\(row)") }
        }
        #expect(otherRows.contains { !$0[5].isEmpty && Double($0[5]) != 0 }, "another scenario differs somewhere")
    }

    // MARK: sweep

    @Test func gridSweepHasOneRowPerPointAndReplication() throws {
        let out = CLI.temp("grid").appendingPathComponent("o")
        let r = try CLI.pillars(["sweep", "Scenarios/five-pillars.yaml", "--param", "governance.whistle.compliance=0.5:1:0.25",
                                 "--param", "participation.tenant_factor=0.2,0.6", "--reps", "2", "--out", out.path] + Self.short)
        #expect(r.status == 0, "\(r.err)")
        let t = try Self.table(out.appendingPathComponent("sweep.csv"))
        #expect(t[0] == ["point", "replication", "seed", "governance.whistle.compliance", "participation.tenant_factor"] + Output.names)
        #expect(t.count == 1 + 3 * 2 * 2, "3 × 2 grid points × 2 replications")
        #expect(Set(t.dropFirst().map { $0[3] }) == ["0.5", "0.75", "1"])
        #expect(Set(t.dropFirst().map { $0[4] }) == ["0.2", "0.6"])
        #expect(t.dropFirst().allSatisfy { $0.count == t[0].count })
        // Common random numbers: replication r has the same seed at every point.
        let seeds = Dictionary(grouping: t.dropFirst(), by: { $0[1] }).mapValues { Set($0.map { $0[2] }) }
        #expect(seeds.count == 2 && seeds.values.allSatisfy { $0.count == 1 })
        for f in ["design.json", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(f)")
        }
        let lhs = CLI.temp("lhs").appendingPathComponent("o")
        let l = try CLI.pillars(["sweep", "Scenarios/five-pillars.yaml", "--design", "lhs", "--points", "5", "--reps", "2",
                                 "--param", "governance.whistle.compliance=0.5:1", "--param", "population.households=100:300",
                                 "--out", lhs.path] + Self.short)
        #expect(l.status == 0, "\(l.err)")
        let lt = try Self.table(lhs.appendingPathComponent("sweep.csv"))
        #expect(lt.count == 1 + 5 * 2)
        #expect(lt.dropFirst().allSatisfy { Int($0[4]) != nil }, "whole-number parameters are written as used (rounded)")
    }

    static let lhsArgs = ["sweep", "Scenarios/five-pillars.yaml", "--design", "lhs", "--points", "6", "--reps", "3", "--seed", "9",
                          "--param", "governance.whistle.compliance=0.5:1", "--param", "participation.tenant_factor=0.2:0.8"] + short

    @Test func jobsDoNotChangeTheBytes() throws {
        let base = CLI.temp("jobs")
        for j in ["1", "2"] {
            let r = try CLI.pillars(Self.lhsArgs + ["--jobs", j, "--out", base.appendingPathComponent(j).path])
            #expect(r.status == 0, "\(r.err)")
        }
        let a = try Data(contentsOf: base.appendingPathComponent("1/sweep.csv"))
        let b = try Data(contentsOf: base.appendingPathComponent("2/sweep.csv"))
        #expect(a == b)
    }

    @Test func resumeAfterLostRowsAndATornLineGivesTheSameTable() throws {
        let base = CLI.temp("resume")
        let whole = base.appendingPathComponent("whole"), cut = base.appendingPathComponent("cut")
        #expect(try CLI.pillars(Self.lhsArgs + ["--out", whole.path]).status == 0)
        let reference = try Self.text(whole.appendingPathComponent("sweep.csv"))
        try FileManager.default.copyItem(at: whole, to: cut)
        // Lose the last 4 rows, and leave half of the next one, as a kill mid-write would.
        var lines = reference.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast() // the empty string after the final newline
        let torn = String(lines[lines.count - 4].prefix(lines[lines.count - 4].count / 2))
        let kept = lines.dropLast(4).joined(separator: "\n") + "\n" + torn
        try Data(kept.utf8).write(to: cut.appendingPathComponent("sweep.csv"))
        // Without --resume the folder is refused; with it the table is completed.
        let refused = try CLI.pillars(Self.lhsArgs + ["--out", cut.path])
        #expect(refused.status == 2 && refused.err.contains("--resume"), "\(refused.err)")
        let r = try CLI.pillars(Self.lhsArgs + ["--out", cut.path, "--resume", "--jobs", "2"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try Self.text(cut.appendingPathComponent("sweep.csv")) == reference)
        // Resuming a finished sweep runs nothing and changes nothing.
        #expect(try CLI.pillars(Self.lhsArgs + ["--out", cut.path, "--resume"]).status == 0)
        #expect(try Self.text(cut.appendingPathComponent("sweep.csv")) == reference)
        // Another design in the same folder is a clear error.
        let other = try CLI.pillars(Self.lhsArgs.map { $0 == "6" ? "7" : $0 } + ["--out", cut.path, "--resume"])
        #expect(other.status == 2 && other.err.contains("different sweep") && other.err.contains("points: 7 now, 6 in design.json"), "\(other.err)")
        #expect(other.err.split(separator: "\n").count == 1)
    }

    @Test func shardsMergedEqualTheUnshardedSweep() throws {
        let base = CLI.temp("shards")
        let whole = base.appendingPathComponent("whole")
        #expect(try CLI.pillars(Self.lhsArgs + ["--out", whole.path]).status == 0)
        for i in 1...3 {
            let r = try CLI.pillars(Self.lhsArgs + ["--shard", "\(i)/3", "--out", base.appendingPathComponent("s/shard-\(i)").path])
            #expect(r.status == 0, "\(r.err)")
        }
        let shardRows = try (1...3).map { try Self.lines(base.appendingPathComponent("s/shard-\($0)/sweep.csv")).count - 1 }
        #expect(shardRows == [6, 6, 6], "18 jobs dealt round-robin")
        let shards = (1...3).map { base.appendingPathComponent("s/shard-\($0)").path }
        // A missing shard is an error saying how many rows were expected and found.
        let partial = try CLI.pillars(["merge", shards[0], shards[2], "--out", base.appendingPathComponent("p").path])
        #expect(partial.status == 2 && partial.err.contains("12 of 18 rows") && partial.err.contains("2/3"), "\(partial.err)")
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("p/sweep.csv").path))
        let allowed = try CLI.pillars(["merge", shards[0], shards[2], "--out", base.appendingPathComponent("p").path, "--allow-partial"])
        #expect(allowed.status == 0 && allowed.err.contains("12 of 18"), "\(allowed.err)")
        // All three: the same rows as one machine (sorted — and here even the same bytes).
        let merged = base.appendingPathComponent("s")
        let m = try CLI.pillars(["merge"] + shards.reversed() + ["--out", merged.path])
        #expect(m.status == 0, "\(m.err)")
        let a = try Self.lines(merged.appendingPathComponent("sweep.csv")), b = try Self.lines(whole.appendingPathComponent("sweep.csv"))
        #expect(a.sorted() == b.sorted())
        #expect(a == b)
        // Shards of another sweep are refused.
        let foreign = base.appendingPathComponent("foreign")
        #expect(try CLI.pillars(Self.lhsArgs.map { $0 == "9" ? "10" : $0 } + ["--shard", "2/3", "--out", foreign.path]).status == 0)
        let mixed = try CLI.pillars(["merge", shards[0], foreign.path, shards[2], "--out", base.appendingPathComponent("x").path])
        #expect(mixed.status == 2 && mixed.err.contains("not a shard of the same sweep") && mixed.err.contains("seed"), "\(mixed.err)")
    }

    /// Kill a sweep at random moments (SIGKILL), resume it each time, and check the final
    /// table equals an uninterrupted run's.
    @Test func killedAndResumedSweepEqualsAnUninterruptedOne() throws {
        let base = CLI.temp("kill")
        let args = ["sweep", "Scenarios/five-pillars.yaml", "--design", "sobol", "--points", "10", "--reps", "4", "--seed", "3",
                    "--param", "governance.whistle.compliance=0.5:1", "--param", "governance.department_days=4:20",
                    "--set", "simulation.days=300", "--quiet", "--jobs", "2"]
        let whole = base.appendingPathComponent("whole"), killed = base.appendingPathComponent("killed")
        let t0 = Date()
        #expect(try CLI.pillars(args + ["--out", whole.path]).status == 0)
        let duration = max(Date().timeIntervalSince(t0), 0.3)
        var delays = [Double](), interrupted = 0
        for _ in 0..<3 {
            let delay = Double.random(in: 0.1...0.6) * duration
            delays.append(delay)
            let p = try PillarsBinary.start(args + ["--out", killed.path, "--resume"])
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { interrupted += 1 }
        }
        let r = try CLI.pillars(args + ["--out", killed.path, "--resume"])
        #expect(r.status == 0, "\(r.err) (kill delays \(delays))")
        #expect(interrupted >= 1, "no run was interrupted (delays \(delays), run \(duration) s)")
        let a = try Self.text(killed.appendingPathComponent("sweep.csv")), b = try Self.text(whole.appendingPathComponent("sweep.csv"))
        #expect(a == b, "kill delays \(delays)")
        #expect(a.split(separator: "\n").count == 1 + 40)
    }

    /// Every bad --param: exit 2 and one line naming the problem.
    @Test(arguments: [
        ("governance.whistle.complianc=0.5:1", "did you mean 'governance.whistle.compliance'"),
        ("governance.whistle.compliance=0.5:1.5", "[0.5, 1.5] is outside the declared range of governance.whistle.compliance, [0, 1]"),
        ("population.households=0:10", "[1, 2000000]"),
        ("governance.whistle.compliance=", "the list of values is empty"),
        ("governance.whistle.compliance=1:0.5", "lo (1) is greater than hi (0.5)"),
        ("governance.whistle=0:1", "is a section, not a parameter"),
        ("governance.whistle.compliance=0:1:0", "step must be > 0"),
    ])
    func badParamIsOneClearLine(param: String, expected: String) throws {
        let out = CLI.temp("badparam").appendingPathComponent("o")
        for verb in ["sweep", "sensitivity"] {
            let r = try CLI.pillars([verb, "Scenarios/five-pillars.yaml", "--param", param, "--points", "2", "--samples", "4", "--out", out.path]
                .filter { verb == "sweep" ? $0 != "--samples" && $0 != "4" : $0 != "--points" && $0 != "2" })
            #expect(r.status == 2, "\(verb) \(param): \(r.status) \(r.err)")
            #expect(r.err.contains(expected), "\(r.err)")
            #expect(r.err.split(separator: "\n").count == 1, "one line: \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
        }
    }

    @Test func choiceParametersCannotBeSwept() throws {
        let csv = try CLI.pillars(["params", "--csv"]).out
        guard let choice = csv.split(separator: "\n").first(where: { $0.split(separator: ",").dropFirst().first == "choice" })?
            .split(separator: ",").first.map(String.init) else { return } // the model has no choice parameter (yet)
        let r = try CLI.pillars(["sweep", "Scenarios/five-pillars.yaml", "--param", "\(choice)=0:1", "--points", "2"])
        #expect(r.status == 2 && r.err.contains("is a choice"), "\(r.err)")
    }

    // MARK: sensitivity

    @Test func sensitivityHasARowPerParameterAndOutput() throws {
        let out = CLI.temp("sens").appendingPathComponent("o")
        let params = ["governance.whistle.compliance=0.5:1", "participation.tenant_factor=0.2:0.8"]
        let r = try CLI.pillars(["sensitivity", "Scenarios/five-pillars.yaml", "--samples", "8", "--reps", "1", "--bootstrap", "50",
                                 "--outputs", "participation_rate,satisfaction_rate,trust_mean", "--out", out.path]
                                + params.flatMap { ["--param", $0] } + Self.short)
        #expect(r.status == 0, "\(r.err)")
        let t = try Self.table(out.appendingPathComponent("sensitivity.csv"))
        #expect(t[0] == ["metric", "parameter", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi", "noise"])
        #expect(t.count == 1 + 3 * 2)
        for metric in ["participation_rate", "satisfaction_rate", "trust_mean"] {
            #expect(Set(t.filter { $0[0] == metric }.map { $0[1] }) == ["governance.whistle.compliance", "participation.tenant_factor"])
        }
        for row in t.dropFirst() where !row[5].isEmpty {
            #expect(Double(row[6])! <= Double(row[7])!, "\(row)")
        }
        #expect(try Self.lines(out.appendingPathComponent("samples.csv")).count == 1 + 8 * (2 + 2))
        // The default outputs, printed as a table.
        let d = try CLI.pillars(["sensitivity", "Scenarios/five-pillars.yaml", "--samples", "4", "--reps", "1", "--bootstrap", "0",
                                 "--param", params[0], "--set", "simulation.days=60", "--out", CLI.temp("sens2").appendingPathComponent("o").path])
        #expect(d.status == 0, "\(d.err)")
        #expect(d.out.contains("participation_rate") && d.out.contains("satisfaction_rate") && d.out.contains("S1") && d.out.contains("ST"))
    }

    @Test func unknownOutputListsTheValidOnes() throws {
        let r = try CLI.pillars(["sensitivity", "Scenarios/five-pillars.yaml", "--param", "governance.whistle.compliance=0.5:1",
                                 "--outputs", "participation_rate,happiness", "--out", CLI.temp("unk").appendingPathComponent("o").path])
        #expect(r.status == 2 && r.err.contains("unknown output 'happiness'") && r.err.contains("satisfaction_rate"), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
    }

    @Test func helpListsTheExperimentVerbs() throws {
        let r = try CLI.pillars(["--help"])
        for verb in ["compare", "sweep", "merge", "sensitivity"] { #expect(r.out.contains(verb)) }
        let s = try CLI.pillars(["sweep", "--help"])
        for opt in ["--param", "--design", "--points", "--reps", "--seed", "--resume", "--shard", "--jobs", "--out", "--set"] {
            #expect(s.out.contains(opt), "\(opt)")
        }
        #expect(try CLI.pillars(["compare", "Scenarios/base.yaml"]).status == 64, "compare needs two scenarios")
    }
}
