import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// Which case informs which shared parameter, and so which figures leave-one-case-out can
/// predict from the other cases at all (docs/CALIBRATION.md, "What the cases can identify").
///
/// For each parameter of `sharedCalibration`, every case is run at the scenario's value (the
/// calibrated one) less and plus a tenth of the parameter's fitting range (clamped into it),
/// on common random numbers; the *swing* of a figure is the change of its z-score between the
/// two (in tolerances). A parameter **moves** a figure when the swing is at least
/// `threshold` tolerances, and **is informed by** every case with a figure it
/// moves. A figure is **identified by the other cases** when every parameter that moves it is
/// informed by some other case as well: only then can the fit without its case learn what
/// sets it. A figure no parameter moves is set by its case's inputs and the fixed defaults,
/// in sample and out of sample alike.
enum Identification {
    /// Half a tolerance over a fifth of the fitting range.
    static let threshold = 0.5
    /// The step on each side, as a share of the fitting range.
    static let step = 0.1

    /// One published figure of one case.
    struct Figure: Hashable { var caseName: String; var figure: String }

    struct Row {
        var parameter: String; var lo: Double; var hi: Double; var caseName: String; var figure: String; var swing: Double
        var key: Figure { Figure(caseName: caseName, figure: figure) }
    }

    /// Swings of every figure of every case for every parameter in `ranges`, parameter by
    /// parameter and, within one, case by case. A figure that cannot be computed at either end
    /// (NaN: a shrunken case with no events) has swing 0, so it counts as not moved.
    static func swings(_ fitter: CaseFitter) -> [Row] {
        let centre = fitter.starts
        var rows: [Row] = []
        for (j, r) in fitter.ranges.enumerated() {
            var lo = centre, hi = centre
            lo[j] = max(r.lo, centre[j] - step * (r.hi - r.lo))
            hi[j] = min(r.hi, centre[j] + step * (r.hi - r.lo))
            let below = fitter.evaluate(lo).results, above = fitter.evaluate(hi).results
            for (c, (a, b)) in zip(below, above).enumerated() {
                for (ra, rb) in zip(a.1, b.1) {
                    let swing = rb.z - ra.z
                    rows.append(Row(parameter: r.name, lo: lo[j], hi: hi[j], caseName: fitter.cases[c].scenario.name,
                                    figure: ra.target.figure, swing: swing.isNaN ? 0 : swing))
                }
            }
        }
        return rows
    }

    struct Verdict {
        var key: Figure; var movedBy: [String]; var ownOnly: [String]
        var caseName: String { key.caseName }
        var figure: String { key.figure }
    }

    /// For each figure, in the order the rows first name it (case order for `swings`): the
    /// parameters that move it, strongest first, and those of them that no other case informs.
    static func verdicts(_ rows: [Row], threshold: Double = threshold) -> [Verdict] {
        let moving = rows.filter { abs($0.swing) >= threshold }
        var informing: [String: Set<String>] = [:]
        for r in moving { informing[r.parameter, default: []].insert(r.caseName) }
        var seen = Set<Figure>(), order: [Figure] = []
        for r in rows where seen.insert(r.key).inserted { order.append(r.key) }
        return order.map { k in
            let by = moving.filter { $0.key == k }.sorted { abs($0.swing) > abs($1.swing) }.map(\.parameter)
            return Verdict(key: k, movedBy: by, ownOnly: by.filter { informing[$0] == [k.caseName] })
        }
    }
}

extension CasesCommand {
    /// `--identify`: writes identification.csv (case,figure,moved_by,own_case_only,identified:
    /// one row per figure, parameters separated by spaces, strongest first) and
    /// identification-swings.csv (parameter,lo,hi,case,figure,swing: one row per parameter and
    /// figure), prints each figure's verdict, and returns how many figures the other cases
    /// identify and how many of those pass in sample.
    func identification(_ cases: [FitCase], dir: URL, passedInSample: Set<Identification.Figure>) throws -> (identified: Int, passing: Int) {
        let ranges = try reportingErrors { try calibrationRanges(sharedCalibration) }
        // At the case files' own values (calibrated.yaml): --posterior draws are not overlaid.
        let fitter = CaseFitter(cases: cases, ranges: ranges, reps: cvReps, seed: seed, jobs: jobs)
        let started = Date()
        let rows = Identification.swings(fitter)
        var swings = "parameter,lo,hi,case,figure,swing\n"
        for r in rows {
            swings += [r.parameter, csvNumber(r.lo), csvNumber(r.hi), r.caseName, r.figure, csvNumber(r.swing)].map(csvField).joined(separator: ",") + "\n"
        }
        let verdicts = Identification.verdicts(rows)
        var csv = "case,figure,moved_by,own_case_only,identified\n"
        for v in verdicts {
            csv += [v.caseName, v.figure, v.movedBy.joined(separator: " "), v.ownOnly.joined(separator: " "),
                    v.ownOnly.isEmpty ? "true" : "false"].map(csvField).joined(separator: ",") + "\n"
        }
        try reportingErrors {
            try ResultsFiles.write(csv, to: dir.appendingPathComponent("identification.csv"))
            try ResultsFiles.write(swings, to: dir.appendingPathComponent("identification-swings.csv"))
        }
        let identified = verdicts.filter { $0.ownOnly.isEmpty }
        let passing = identified.filter { passedInSample.contains($0.key) }.count
        // How much the count depends on the threshold: from a tenth of a tolerance to a whole one.
        let robustness = [0.1, 0.25, 1.0].map { t in
            "\(Identification.verdicts(rows, threshold: t).filter { $0.ownOnly.isEmpty }.count) at \(formatNumber(t))"
        }
        if !quiet {
            print("\nidentification: each shared parameter at its value ± \(formatNumber(Identification.step * 100)) % of its fitting range (\(cvReps) replications per run, \(2 * ranges.count) runs of every case, \(formatDuration(Date().timeIntervalSince(started))));")
            print("a parameter moves a figure when the figure's z changes by ≥ \(formatNumber(Identification.threshold)) across that swing")
            for v in verdicts {
                let moved = v.movedBy.isEmpty ? "no shared parameter (set by the case's inputs and fixed defaults)" : v.movedBy.joined(separator: ", ")
                let own = v.ownOnly.isEmpty ? "identified by the other cases" : "only its own case informs " + v.ownOnly.joined(separator: ", ")
                print("  " + pad(String(v.caseName.prefix(27)), 28) + pad(String(v.figure.prefix(51)), 52) + moved + " — " + own)
            }
            print("figures the other cases identify at other thresholds (tolerances): " + robustness.joined(separator: ", "))
        }
        return (identified.count, passing)
    }
}
