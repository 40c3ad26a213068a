import Foundation
import Testing

/// The help text of every verb, exactly as a user sees it at 80 columns, against the copy
/// committed in Tests/PillarsCLITests/Help/ (VERB.txt; pillars.txt for the top level). A
/// change to an option, a default or a discussion shows up here as a diff to review.
/// Regenerate the copies after a deliberate change with
///   PILLARS_UPDATE_HELP=1 swift test --disable-xctest --filter HelpTests
@Suite("pillars help text")
struct HelpTests {
    typealias CLI = CLITests

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")
    static let verbs = ["new", "run", "compare", "report", "sweep", "merge", "sensitivity", "calibrate", "cases", "patterns", "validate", "show", "params", "outputs"]

    @Test(arguments: [""] + verbs)
    func helpMatchesTheCommittedCopy(verb: String) throws {
        let r = try CLI.pillars((verb.isEmpty ? [] : [verb]) + ["--help"], environment: ["COLUMNS": "80"])
        #expect(r.status == 0)
        let file = Self.folder.appendingPathComponent((verb.isEmpty ? "pillars" : verb) + ".txt")
        if ProcessInfo.processInfo.environment["PILLARS_UPDATE_HELP"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try Data(r.out.utf8).write(to: file)
            return
        }
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(r.out == committed, "help of '\(verb.isEmpty ? "pillars" : verb)' differs from \(file.path); if the change is meant, regenerate with PILLARS_UPDATE_HELP=1 swift test --disable-xctest --filter HelpTests")
    }

    /// Lines fit in 80 columns, except where a single word (a path, a CSV header) is longer.
    @Test(arguments: [""] + verbs)
    func helpFitsEightyColumns(verb: String) throws {
        let r = try CLI.pillars((verb.isEmpty ? [] : [verb]) + ["--help"], environment: ["COLUMNS": "80"])
        for line in r.out.split(separator: "\n") where line.count > 80 {
            #expect(!line.trimmingCharacters(in: .whitespaces).contains(" "), "too long (\(line.count) columns): \(line)")
        }
    }
}
