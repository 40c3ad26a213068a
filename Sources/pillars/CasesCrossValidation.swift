import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

extension CasesCommand {
    /// Leave-one-case-out: for each case, fit the shared parameters (`sharedCalibration`) on
    /// the other cases (Nelder–Mead, --cv-reps replications per evaluation, at most
    /// --cv-iterations iterations, from the parameters' documented defaults — the
    /// joint fit in calibrated.yaml has seen the left-out case), then run the left-out case with
    /// the fitted values (--reps replications, the same seed) and judge its figures by the same
    /// honest rule. Writes crossvalidation.csv
    /// (case,figure,published,simulated_mean,lo,hi,tolerance,pass) and returns the passes.
    func crossValidation(_ cases: [FitCase], dir: URL, draws: ParameterDraws?) throws -> Int {
        let ranges = try reportingErrors { try calibrationRanges(sharedCalibration) }
        var csv = "case,figure,published,simulated_mean,lo,hi,tolerance,pass\n"
        var passes = 0
        if !quiet { print("\nleave-one-case-out: \(ranges.count) shared parameters refitted on the other cases (\(cvReps) replications per evaluation, ≤ \(cvIterations) iterations)") }
        for (k, left) in cases.enumerated() {
            let started = Date()
            let others = cases.enumerated().filter { $0.offset != k }.map(\.element)
            var fitter = CaseFitter(cases: others, ranges: ranges, reps: cvReps, seed: seed, jobs: jobs)
            // From the documented defaults, not from the joint fit (which has seen the left-out case).
            fitter.from = fitter.defaults
            let fit = fitter.fit(maxIterations: cvIterations, tolerance: 1e-3)
            var s = left.scenario
            for (i, r) in ranges.enumerated() { try? s.parameters.set(r.name, number: fit.x[i]) }
            // With --posterior the draws are the in-sample fit's: they are not overlaid here.
            let results = try GovernanceModel.evaluate(s, targets: left.targets, reps: reps, masterSeed: seed, jobs: jobs)
            for r in results {
                if r.pass { passes += 1 }
                csv += caseRow(s.name, r, extra: false)
                if !quiet { printRow("cv " + s.name, r) }
            }
            if !quiet {
                print("  (fit without \(s.name): objective \(String(format: "%.3f", fit.value)), \(fit.evaluations) evaluations, \(formatDuration(Date().timeIntervalSince(started))))")
            }
        }
        _ = draws
        try reportingErrors { try ResultsFiles.write(csv, to: dir.appendingPathComponent("crossvalidation.csv")) }
        return passes
    }
}
