import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run replications of a scenario; print each outcome's mean and 95 % interval; write results.",
        usage: "pillars run <scenario> [<options>]",
        discussion: """
        Writes a folder with manifest.json (scenario as run, its hash, seed, version, command \
        line, times), summary.csv (metric,mean,sd,lo95,hi95,n), replications.csv (one row per \
        replication and seed) and timeseries.csv (one row per replication and observed day). \
        Two runs with the same scenario and seed give byte-identical CSVs whatever --jobs.
        """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @OptionGroup var options: RunOptions
    @OptionGroup var posterior: PosteriorOption
    @Option(help: outHelp("NAME-TIME")) var out: String?
    @Flag(help: "Replace the files of an earlier run in --out.") var overwrite = false

    func run() throws {
        let started = Date()
        let sc = try reportingErrors { try GovernanceModel.load(scenario, overrides: options.overrides) }
        let draws = try reportingErrors { try posterior.load(checking: [sc], replications: options.reps, options: options) }
        let (outDir, lock) = try reportingErrors { () throws -> (URL, FolderLock) in
            try claimOutput(out, default: "Results/runs/" + timeStamped(fileStem(sc), started), overwrite: overwrite) { dir in
                try ResourceCheck.checkModel(sc, concurrent: min(options.jobs, options.reps), maxMemory: options.maxMemory)
                try ResourceCheck.checkRun(sc, replications: options.reps, out: dir, maxMemory: options.maxMemory)
            }
        }
        defer { lock.release() }
        let progress = Progress(total: options.reps, label: "run", quiet: options.quiet)
        let reps = options.reps
        let seed = options.seed
        // A district's communities share the threads the replications leave free: --jobs in all.
        let inner = max(1, options.jobs / max(1, min(options.jobs, reps)))
        // A district's rows per community are streamed to communities.csv (in the folder being
        // published) as each replication ends, in replication order, and not kept.
        let table = try reportingErrors { try sc.sections["communities"] == nil ? nil : CommunityTable(outDir, scenario: sc) }
        var results = [ReplicationResult]()
        results.reserveCapacity(reps)
        try reportingErrors {
            try Parallel.forEachInOrder(reps, jobs: options.jobs, { i in
                GovernanceModel.run(draws.scenario(sc, replication: i), replication: i, masterSeed: seed, jobs: inner)
            }, sink: { i, r in
                var r = r
                if let table { try table.write(r); r.communities = nil }
                results.append(r)
                progress.update(i + 1)
            })
        }
        let summaries = summarize(results)
        // Files first, then the terminal: a closed pipe or a stop while printing loses nothing.
        try reportingErrors {
            try table?.close()
            try writeRun(outDir, scenario: sc, results: results, summaries: summaries, seed: seed, started: started,
                         streamed: table == nil ? [] : [CommunityTable.name],
                         extra: posterior.posterior.map { ["posterior": $0] } ?? [:])
        }
        if !options.quiet {
            printSummary(sc, summaries, reps: reps, elapsed: Date().timeIntervalSince(started))
            print("results: \(outDir.path)")
        }
    }
}

/// Mean, sd and 95 % interval of every output over the replications that measured it.
func summarize(_ results: [ReplicationResult]) -> [Summary] {
    Output.allCases.indices.map { k in Summary(results.map { $0.outputs[k] }.filter { !$0.isNaN }) }
}

func printSummary(_ sc: Scenario, _ s: [Summary], reps: Int, elapsed: Double) {
    let size = sc.sections["communities"] != nil ? "a district" : "\(sc.parameters[\PopulationSettings.households]) households"
    print("\(sc.name): \(reps) replications, \(size), \(sc.parameters[\SimulationSettings.days]) days  (\(formatDuration(elapsed)))")
    print(pad("outcome", 30) + pad("mean", 11, right: true) + "   95 % interval")
    for (k, o) in Output.allCases.enumerated() {
        let x = s[k]
        let interval = x.n == 0 ? "(not measured)" : "[\(display(x.lo, share: o.isShare)), \(display(x.hi, share: o.isShare))]"
        print(pad(o.name, 30) + pad(display(x.mean, share: o.isShare), 11, right: true) + "   " + interval)
    }
}

/// communities.csv of a district run — replication,community,name, then every output — written
/// row by row into the folder being published (`Publish.stagingFolder`) as replications end.
final class CommunityTable {
    static let name = "communities.csv"
    private let handle: FileHandle
    private let names: [String]
    init(_ dir: URL, scenario sc: Scenario) throws {
        let url = try Publish.stagingFolder(for: dir).appendingPathComponent(Self.name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw ResultsFiles.WriteError(description: "\(url.path): cannot create the file")
        }
        handle = try FileHandle(forWritingTo: url)
        names = GovernanceModel.communityNames(sc)
        try handle.write(contentsOf: Data(("replication,community,name," + Output.names.joined(separator: ",") + "\n").utf8))
    }
    func write(_ r: ReplicationResult) throws {
        var rows = ""
        for (i, row) in (r.communities ?? []).enumerated() {
            let name = i < names.count ? names[i] : ""
            rows += "\(r.replication),\(i),\(csvField(name))," + row.map(csvNumber).joined(separator: ",") + "\n"
        }
        try handle.write(contentsOf: Data(rows.utf8))
    }
    func close() throws { try handle.close() }
}

func writeRun(_ dir: URL, scenario sc: Scenario, results: [ReplicationResult], summaries: [Summary], seed: UInt64, started: Date,
              streamed: [String] = [], extra: [String: Any] = [:]) throws {
    let names = Output.names
    var summary = "metric,mean,sd,lo95,hi95,n\n"
    for (k, n) in names.enumerated() {
        let s = summaries[k]
        summary += [n, csvNumber(s.mean), csvNumber(s.sd), csvNumber(s.lo), csvNumber(s.hi), String(s.n)].joined(separator: ",") + "\n"
    }
    var reps = "replication,seed," + names.joined(separator: ",") + "\n"
    for r in results { reps += "\(r.replication),\(r.seed)," + r.outputs.map(csvNumber).joined(separator: ",") + "\n" }
    var series = "replication,day," + names.joined(separator: ",") + "\n"
    for r in results {
        for row in r.series {
            series += "\(r.replication),\(Int(row[0]))," + row.dropFirst().map(csvNumber).joined(separator: ",") + "\n"
        }
    }
    var files: [(text: String, url: URL)] = [
        (summary, dir.appendingPathComponent("summary.csv")),
        (reps, dir.appendingPathComponent("replications.csv")),
        (series, dir.appendingPathComponent("timeseries.csv")),
    ]
    if results.contains(where: { $0.communities != nil }) {
        // District mode: one row per replication and community.
        let communityNames = GovernanceModel.communityNames(sc)
        var rows = "replication,community,name," + names.joined(separator: ",") + "\n"
        for r in results {
            for (i, row) in (r.communities ?? []).enumerated() {
                let name = i < communityNames.count ? communityNames[i] : ""
                rows += "\(r.replication),\(i),\(csvField(name))," + row.map(csvNumber).joined(separator: ",") + "\n"
            }
        }
        files.append((rows, dir.appendingPathComponent("communities.csv")))
    }
    if results.contains(where: { !$0.projects.isEmpty }) {
        // Co-construction: one row per replication and project.
        var rows = (["replication", "community"] + ProjectRecord.header).joined(separator: ",") + "\n"
        for r in results {
            for p in r.projects { rows += (["\(r.replication)", "\(p.community)"] + p.fields.map(csvField)).joined(separator: ",") + "\n" }
        }
        files.append((rows, dir.appendingPathComponent("projects.csv")))
    }
    files.append((manifest(sc, seed: seed, reps: results.count, started: started, extra: extra), dir.appendingPathComponent("manifest.json")))
    files.append(outputsDictionaryFile(dir))
    // All files or none, and only these: the folder is swapped in whole, so a full disk or a
    // kill leaves an earlier run's files as they were, and none of them is kept beside the new.
    try Publish.folder(files.map { ($0.url.lastPathComponent, $0.text) }, to: dir, streamed: streamed)
}

/// The manifest: scenario as run, its hash, master seed, version, command line, times.
func manifest(_ sc: Scenario, seed: UInt64, reps: Int, started: Date, extra: [String: Any] = [:]) -> String {
    let text = ScenarioEmitter.yaml(sc)
    let iso = ISO8601DateFormatter()
    var m: [String: Any] = [
        "pillars_version": GovernanceModel.version,
        "scenario_file": sc.file,
        "scenario_name": sc.name,
        "scenario": text,
        "scenario_hash": "fnv1a64:" + contentHash(text),
        "master_seed": String(seed),
        "replications": reps,
        "command_line": CommandLine.arguments,
        "started": iso.string(from: started),
        "finished": iso.string(from: Date()),
        "outputs": Output.names,
    ]
    for (k, v) in extra { m[k] = v }
    let data = (try? JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
}
