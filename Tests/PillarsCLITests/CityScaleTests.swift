import Foundation
import Testing
import TestSupport

/// A city on one machine (issue 17): a district that cannot fit is refused before it runs,
/// with the memory it would need; a district's per-community rows are streamed to
/// communities.csv as replications end, in replication order, whatever --jobs.
@Suite("city scale")
struct CityScaleTests {
    typealias CLI = CLITests

    @Test func aDistrictThatCannotFitIsRefusedWithTheMemoryItWouldNeed() throws {
        let out = CLI.temp("city-refuse").appendingPathComponent("o")
        let r = try CLI.pillars(["run", "Scenarios/district.yaml", "--reps", "1", "--max-memory", "2M", "--quiet", "--out", out.path])
        #expect(r.status == 2)
        #expect(r.err.contains("would need about") && r.err.contains("MB of memory") && r.err.contains("--max-memory limit of 2.1 MB"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.csv").path), "refused before anything ran")
        // The same district under a limit it fits runs.
        let ok = try CLI.pillars(["run", "Scenarios/district.yaml", "--reps", "1", "--set", "simulation.days=30", "--max-memory", "4G", "--quiet", "--out", out.path])
        #expect(ok.status == 0, "\(ok.err)")
        let bad = try CLI.pillars(["run", "Scenarios/district.yaml", "--max-memory", "lots"])
        #expect(bad.status != 0 && bad.err.contains("--max-memory"), "\(bad.err)")
    }

    @Test func communitiesAreStreamedInReplicationOrderWhateverTheJobs() throws {
        var tables = [String]()
        for jobs in ["1", "2"] {
            let out = CLI.temp("city-stream").appendingPathComponent("o")
            let r = try CLI.pillars(["run", "Scenarios/district.yaml", "--reps", "3", "--jobs", jobs, "--set", "simulation.days=60", "--quiet", "--out", out.path])
            #expect(r.status == 0, "\(r.err)")
            tables.append(try String(contentsOf: out.appendingPathComponent("communities.csv"), encoding: .utf8))
            // Nothing left beside the published folder.
            let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
            #expect(siblings == ["o"], "\(siblings)")
        }
        #expect(tables[0] == tables[1])
        let lines = tables[0].split(separator: "\n")
        #expect(lines.first?.hasPrefix("replication,community,name,") == true)
        #expect(lines.count == 1 + 3 * 12, "3 replications × 12 communities (Scenarios/district.yaml)")
        let replications: [String] = lines.dropFirst().map { String($0.split(separator: ",")[0]) }
        let expected: [String] = ["0", "1", "2"].flatMap { Array(repeating: $0, count: 12) }
        #expect(replications == expected)
    }
}
