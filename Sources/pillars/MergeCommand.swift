import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shard folders of a sweep into the table one machine would have produced.",
        usage: "pillars merge <folders> ... --out <dir> [<options>]",
        discussion: """
        Each folder must hold sweep.csv and design.json from `pillars sweep --shard i/n`. The \
        design records must agree (scenario, design, points, replications, seed, parameters, \
        columns) and no shard may be given twice. Rows are sorted by point and replication, \
        so the merged sweep.csv equals the table of the same sweep run unsharded. When rows \
        are missing (a shard not given or not finished) merge says how many rows it expected \
        and found, per shard, and writes nothing, unless --allow-partial. The merged folder \
        has its own design.json (shard 1/1), so a partial merge can be completed with \
        `pillars sweep … --resume --out` on it. Shards of `sweep --timeseries` have their \
        timeseries.csv merged too (every shard has one or none); a merge without them removes \
        an earlier merge's timeseries.csv from --out.

        Example:
          pillars merge Results/runs/lhs/shard-* --out Results/runs/lhs
        """)

    @Argument(help: "Shard folders (each with sweep.csv and design.json).") var folders: [String]
    @Option(help: ArgumentHelp("Folder for the merged sweep.csv, design.json and manifest.json (may be the shards' parent).", valueName: "dir")) var out: String
    @Flag(name: .customLong("allow-partial"), help: "Merge even when rows are missing (warns how many).") var allowPartial = false
    @Flag(help: "Replace a sweep.csv already in --out.") var overwrite = false
    @Flag(help: "Print nothing but errors and warnings.") var quiet = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("merge needs at least one shard folder") }
    }

    func run() throws {
        let started = Date()
        let urls = folders.map { URL(fileURLWithPath: $0) }
        var locks: [FolderLock] = []
        defer { for l in locks { l.release() } }
        let (merged, outURL) = try reportingErrors { () throws -> (SweepMerge, URL) in
            // Symbolic links resolved: a link to a shard is that shard.
            let outURL = try outputPath(out)
            if urls.contains(where: { $0.standardizedFileURL.resolvingSymlinksInPath().path == outURL.path }) {
                throw ExperimentError("--out \(out) is one of the shard folders; choose another folder (e.g. their parent)")
            }
            locks.append(try lockedFolder(outURL))
            try checkMergeFolder(outURL, overwrite: overwrite)
            // A shard still being written (a sweep holds its lock) is not merged half-done.
            for u in urls where FileManager.default.fileExists(atPath: u.path) {
                locks.append(try FolderLock(u, exclusive: false, what: "writing"))
            }
            let m = try mergeSweepFolders(urls, output: outURL, allowPartial: allowPartial,
                                          manifest: { mergeManifest(urls, merged: $0, started: started) },
                                          rowCheck: outputValueProblem)
            try writeOutputsDictionary(outURL)
            return (m, outURL)
        }
        if merged.rows < merged.expected {
            var parts = merged.missingShards.isEmpty ? [] : ["shard\(merged.missingShards.count > 1 ? "s" : "") " + merged.missingShards.map { "\($0)/\(merged.shardCount)" }.joined(separator: ", ") + " not given"]
            parts += merged.shortShards.map { "shard \($0.shard) in \($0.folder) has \($0.found) of \($0.expected)" }
            writeStandardError("warning: partial merge, \(merged.rows) of \(merged.expected) rows (\(parts.joined(separator: "; ")))\n")
        }
        if !quiet {
            print("merged \(urls.count) folder\(urls.count == 1 ? "" : "s"): \(merged.rows) of \(merged.expected) rows (\(merged.record.designPoints) points × \(merged.record.replications) replications)")
            print("results: \(outURL.appendingPathComponent("sweep.csv").path)")
        }
    }
}

/// The merge's folder may hold the shards (their parent) and an earlier merge when
/// `--overwrite` is given, but no other results: merging into a run's folder would replace
/// its manifest.
private func checkMergeFolder(_ dir: URL, overwrite: Bool) throws {
    let results = folderContents(dir).filter { ResultsFiles.resultNames.contains($0) }
    guard !results.isEmpty else { return }
    let mergeFiles: Set<String> = ["sweep.csv", "design.json", "manifest.json", "outputs.csv", "timeseries.csv"]
    guard overwrite else {
        throw ExperimentError("\(dir.path) already holds results (\(results.joined(separator: ", "))); choose another --out or pass --overwrite to replace an earlier merge")
    }
    let others = results.filter { !mergeFiles.contains($0) }
    guard others.isEmpty else {
        throw ExperimentError("\(dir.path) holds the results of another command (\(others.joined(separator: ", "))); --overwrite replaces only an earlier merge; choose another --out")
    }
}

/// The merge's manifest: the first shard's manifest (scenario as run, seed, version…) with
/// the merge's inputs, command line and times added.
private func mergeManifest(_ folders: [URL], merged: SweepMerge, started: Date) -> String {
    var m: [String: Any] = [:]
    if let data = try? Data(contentsOf: folders[0].appendingPathComponent("manifest.json")),
       let dict = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
        m = dict
    }
    let iso = ISO8601DateFormatter()
    m["verb"] = "merge"
    m["shard"] = "1/1"
    m["status"] = merged.rows == merged.expected ? "complete" : "partial"
    m["merged_from"] = folders.map(\.path)
    m["rows"] = merged.rows
    m["expected_rows"] = merged.expected
    m["merge_command_line"] = CommandLine.arguments
    m["merge_started"] = iso.string(from: started)
    m["merge_finished"] = iso.string(from: Date())
    m["pillars_version"] = GovernanceModel.version
    let data = (try? JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
}
