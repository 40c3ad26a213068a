import ArgumentParser
import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// `pillars patterns`: the stylised facts of `Scenarios/patterns/patterns.yaml` checked across
/// parameter draws (pattern-oriented modelling; docs/CALIBRATION.md, "Patterns").
struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Check the stylised facts of a patterns file across posterior draws (exit 1 if fewer hold than required).",
        usage: "pillars patterns [<file>] [<options>]",
        discussion: """
        Each pattern names a bundled scenario, a statistic of its outputs (a value, the ratio \
        or difference of two outputs, or the effect of an overlay on common random numbers), \
        the band the literature allows and its source. Under each of the first --draws rows of \
        --posterior (or once, under the scenario's own parameters, without it) the statistic is \
        the mean of --reps replications; a pattern holds when at least 80 % of the draws put it \
        in its band. Prints one line per pattern and writes patterns.csv \
        (name,statistic,output,relative_to,low,high,median,share_in_band,holds,source) and \
        manifest.json into the results folder (default Results/runs/patterns-TIME; --out).

        Example:
          pillars patterns --posterior Scenarios/posterior.csv --draws 20 --reps 4
        """)

    @Argument(help: "Patterns file.") var file = "Scenarios/patterns/patterns.yaml"
    @OptionGroup var posterior: PosteriorOption
    @Option(help: "Posterior draws used (the first N rows).") var draws = 20
    @Option(help: "Replications per draw.") var reps = 4
    @Option(help: "Master seed.") var seed: UInt64 = 2027
    @Option(help: "Fewest patterns that must hold (default: all).") var required: Int?
    @Option(help: ArgumentHelp("Results folder (default: a new Results/runs/patterns-TIME).", valueName: "dir")) var out: String?
    @Flag(help: "Replace --out if it holds results.") var overwrite = false
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Worker threads (default: all cores).", valueName: "jobs")) var jobsOption: Int?
    @Flag(help: "Print only the summary line.") var quiet = false

    func validate() throws {
        guard draws >= 1 else { throw ValidationError("--draws must be at least 1") }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let patterns = try reportingErrors { try Pattern.load(file) }
        let d = try reportingErrors { () -> ParameterDraws? in
            guard let p = posterior.posterior else { return nil }
            return try ParameterDraws.load(p, using: draws)
        }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let (outDir, lock) = try reportingErrors {
            try claimOutput(out, default: experimentOutDir("patterns", URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
                                                            started: started), overwrite: overwrite)
        }
        defer { lock.release() }
        let jobs = jobsOption ?? Parallel.cores
        var results: [PatternResult] = []
        for p in patterns {
            let r = try reportingErrors {
                try GovernanceModel.check(p, folder: folder, draws: d, drawCount: draws, reps: reps, masterSeed: seed, jobs: jobs)
            }
            results.append(r)
            if !quiet {
                print("\(r.holds ? "HOLDS" : "FAILS")  \(p.name): median \(String(format: "%.4g", r.median)) in "
                      + "[\(formatNumber(p.low)), \(formatNumber(p.high))] for \(String(format: "%.0f", 100 * r.share)) % of draws")
            }
        }
        let header = ["name", "statistic", "output", "relative_to", "low", "high", "median", "share_in_band", "holds", "source"]
        var csv = header.joined(separator: ",") + "\n"
        for r in results {
            let p = r.pattern
            let fields = [p.name, p.statistic.rawValue, p.output.name, p.relativeTo?.name ?? "", csvNumber(p.low), csvNumber(p.high),
                          csvNumber(r.median), csvNumber(r.share), r.holds ? "yes" : "no", p.source]
            csv += fields.map(csvField).joined(separator: ",") + "\n"
        }
        let held = results.filter(\.holds).count
        let m: [String: Any] = ["verb": "patterns", "patterns_file": file, "posterior": posterior.posterior ?? NSNull(),
                                "draws": d == nil ? 1 : min(draws, d!.rows.count), "replications_per_draw": reps,
                                "master_seed": String(seed), "pillars_version": GovernanceModel.version,
                                "held": held, "patterns": results.count, "command_line": CommandLine.arguments]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self) + "\n"
        try reportingErrors { try Publish.folder([("patterns.csv", csv), ("manifest.json", json)], to: outDir) }
        print("patterns: \(held) of \(results.count) hold (at least 80 % of draws in the band); results: \(outDir.path)")
        if held < (required ?? results.count) { throw ExitCode(1) }
    }
}
