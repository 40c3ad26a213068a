import Foundation
import Testing
import TestSupport

/// Default results folders: new for every run, even when the NAME-TIME one is taken; and
/// `pillars cases CASE` leaves the committed full table alone.
@Suite("default results folders")
struct ResultFolderTests {
    typealias CLI = CLITests

    static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// Every NAME-TIME of the next seconds is taken (as by a run started in the same second):
    /// the run gets NAME-TIME-2 instead of refusing with "already holds results".
    @Test func aTakenDefaultFolderGetsASuffix() throws {
        let cwd = CLI.temp("claim")
        let scenario = CLI.root.appendingPathComponent("Scenarios/traditional.yaml").path
        let now = Date()
        for s in 0..<30 {
            let d = cwd.appendingPathComponent("Results/runs/traditional-\(Self.stamp(now + Double(s)))")
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            try Data("taken\n".utf8).write(to: d.appendingPathComponent("summary.csv"))
        }
        let args = ["run", scenario, "--reps", "2", "--set", "simulation.days=20"]
        let a = try CLI.pillars(args, cwd: cwd), b = try CLI.pillars(args, cwd: cwd)
        #expect(a.status == 0 && b.status == 0, "\(a.err)\(b.err)")
        let folder = { (o: ProcessOutcome) in o.out.split(separator: "\n").last { $0.hasPrefix("results: ") }.map { String($0.dropFirst(9)) } ?? "" }
        #expect(folder(a).hasSuffix("-2") || folder(a).hasSuffix("-3"), "\(a.out)")
        #expect(folder(a) != folder(b))
        for o in [a, b] {
            #expect(FileManager.default.fileExists(atPath: folder(o) + "/summary.csv"))
        }
    }

    @Test func namedCasesLeaveTheCommittedTableAlone() throws {
        let cwd = CLI.temp("cases")
        let file = CLI.root.appendingPathComponent("Scenarios/cases/beijing-whistle-and-report.yaml").path
        let r = try CLI.pillars(["cases", file, "--reps", "2"], cwd: cwd)
        #expect(r.status == 0 || r.status == 1, "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: cwd.appendingPathComponent("Results/cases").path))
        let line = r.out.split(separator: "\n").last.map(String.init) ?? ""
        #expect(line.hasPrefix("results: ") && line.contains("/Results/runs/cases-beijing-whistle-and-report-") && line.hasSuffix("/cases.csv"), "\(r.out)")
        #expect(FileManager.default.fileExists(atPath: String(line.dropFirst(9))))
    }
}
