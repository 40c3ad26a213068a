import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// `cases --prior-predictive`: where each published figure lies against everything the model
/// can produce over the fitted parameters' bounds (docs/CALIBRATION.md, "Prior-predictive
/// check"). A Latin hypercube of `--prior-draws` points over the bounds of `sharedCalibration`
/// (uniform priors, as the ABC posterior uses); at each point every case runs `--prior-reps`
/// replications on common random numbers and each figure is the mean. A figure whose published
/// value lies outside the 5–95 % range of those means is **structural**: no fit of these
/// parameters reaches it, and its case file's known-miss mark says which mechanism it lacks.
extension CasesCommand {
    struct PriorRange { var caseName: String; var target: Target; var lo: Double; var median: Double; var hi: Double
        var inside: Bool { !lo.isNaN && lo <= target.published && target.published <= hi }
    }

    static func priorRanges(_ cases: [FitCase], draws: Int, reps: Int, seed: UInt64, jobs: Int) throws -> [PriorRange] {
        let ranges = try calibrationRanges(sharedCalibration)
        let design = try Design.make(kind: .lhs, parameters: ranges, points: draws, seed: seed)
        let fitter = CaseFitter(cases: cases, ranges: ranges, reps: reps, seed: seed, jobs: jobs)
        // means[c][t][d]: case c, target t, design point d.
        var means = cases.map { c in c.targets.map { _ in [Double]() } }
        for x in design.points {
            for (c, (_, results)) in fitter.evaluate(x).results.enumerated() {
                for (t, r) in results.enumerated() { means[c][t].append(r.mean) }
            }
        }
        return cases.enumerated().flatMap { c, fc in
            fc.targets.enumerated().map { t, target in
                let xs = means[c][t].filter { !$0.isNaN }
                let q = xs.isEmpty ? [Double.nan, .nan, .nan] : quantiles(xs, [0.05, 0.5, 0.95])
                return PriorRange(caseName: fc.scenario.name, target: target, lo: q[0], median: q[1], hi: q[2])
            }
        }
    }

    /// Writes prior-predictive.csv (case,figure,published,prior_lo90,prior_median,prior_hi90,
    /// inside,known_miss) and returns how many published values lie inside their range.
    func priorPredictive(_ cases: [FitCase], dir: URL) throws -> (inside: Int, figures: Int) {
        let started = Date()
        let rows = try reportingErrors { try Self.priorRanges(cases, draws: priorDraws, reps: priorReps, seed: seed, jobs: jobs) }
        var csv = "case,figure,published,prior_lo90,prior_median,prior_hi90,inside,known_miss\n"
        for r in rows {
            csv += [r.caseName, r.target.figure, csvNumber(r.target.published), csvNumber(r.lo), csvNumber(r.median), csvNumber(r.hi),
                    r.inside ? "yes" : "no", r.target.knownMiss ?? ""].map(csvField).joined(separator: ",") + "\n"
        }
        try reportingErrors { try ResultsFiles.write(csv, to: dir.appendingPathComponent("prior-predictive.csv")) }
        if !quiet {
            print("\nprior predictive: \(priorDraws) Latin-hypercube points over the \(sharedCalibration.count) fitted parameters' bounds, \(priorReps) replications each (\(formatDuration(Date().timeIntervalSince(started))))")
            for r in rows where !r.inside {
                print("  structural: " + pad(String(r.caseName.prefix(27)), 28) + pad(String(r.target.figure.prefix(51)), 52)
                      + "published \(formatNumber(r.target.published)), 90 % of the prior from \(String(format: "%.3g", r.lo)) to \(String(format: "%.3g", r.hi))")
            }
        }
        return (rows.filter(\.inside).count, rows.count)
    }
}
