import Foundation
import Governance
import SimCore
import SimConfig
import Experiments

/// The shared behavioural parameters fitted jointly on every case, with the bounds of the fit
/// (inside each parameter's documented range) — the one list `calibrate` (without --param),
/// `calibrate --posterior-out` (the ABC priors: uniform on these bounds) and
/// `cases --cross-validate` use. docs/CALIBRATION.md says what informs each.
let sharedCalibration = [
    // The service weight's upper bound 0.06: above it the five-pillar compound is over 95 %
    // satisfied (the issue-12 ceiling; 0.19, where an unbounded fit went, gives 98.4 %).
    "satisfaction.service_weight=0.01:0.06", "satisfaction.expectation_adaptation=0.01:0.6",
    "governance.other_complaints_per_100hh_month=0:1", "evaluation.effort.sensitivity=0:20",
    "evaluation.effort.margin=0:0.3", "sharing.spaces.booking_logit=-8:2",
    "sharing.exchange.request_logit=-6:3", "deliberation.agenda_intercept=-5:1",
    "deliberation.opinion_sd=0.05:0.6", "incentives.volunteers.recruit_per_100hh_month=0:20",
    "disputes.social_protection=0:10",
    "evaluation.effort.relaxation=0:1",
    // Issue 13: what used to be set per case is shared and fitted on every case
    // (deliberation.improvement is not: docs/CALIBRATION.md, per-case inputs).
    "partners.candidates_per_month=0.1:5",
    "partners.revenue_per_m2_month=10:300", "partners.public_hours_per_month=1:40",
    "partners.amenity_gain=0:0.2", "governance.community_days=1:30",
    "governance.department_days=1:30", "governance.whistle.fix_days=0.1:10",
]

/// Per-case inputs that were set so that one of the case's own figures holds (not published,
/// not shared): `pillars cases` prints their count; docs/CALIBRATION.md lists each and why it
/// stays. The goal is none, and it is met.
let perCaseFittedInputs: [(caseName: String, path: String, figure: String)] = [
    // None since issue 13. Of the eight there were, Chengdu's four partner inputs, Beijing's
    // department and fix days and Shenzhen's community days are in `sharedCalibration`;
    // Shanghai's plan improvement is back at its shared default (docs/CALIBRATION.md).
]

/// A case scenario with its published targets.
struct FitCase {
    var file: String
    var scenario: Scenario
    var targets: [Target]
}

/// Parse and check `path=lo:hi` fitting ranges: a registered real-valued parameter, bounds
/// inside its documented range. Errors name `--param` and the path.
func calibrationRanges(_ texts: [String]) throws -> [ParameterRange] {
    let registry = GovernanceModel.schema.registry
    return try texts.map { text -> ParameterRange in
        let r = try ParameterRange.parse(text)
        guard let spec = registry[r.name] else {
            throw ConfigError(file: "--param", path: r.name, "unknown parameter" + (registry.suggestion(for: r.name).map { " (did you mean '\($0)'?)" } ?? ""))
        }
        guard case let .double(lo, hi) = spec.kind else {
            throw ConfigError(file: "--param", path: r.name, "only real-valued parameters can be fitted (this one is \(spec.expectation))")
        }
        guard r.lo >= lo, r.hi <= hi, r.lo < r.hi else {
            throw ConfigError(file: "--param", path: r.name, "bounds must satisfy \(formatNumber(lo)) ≤ lo < hi ≤ \(formatNumber(hi)), got \(formatNumber(r.lo)):\(formatNumber(r.hi))")
        }
        return r
    }
}

/// The objective of the case fit and the machinery around it: Σ ((mean − published) /
/// tolerance)² over every target of every case, with the same replication seeds at every
/// evaluation (common random numbers), and `x` (in `ranges` order) set on every case.
struct CaseFitter {
    var cases: [FitCase]
    var ranges: [ParameterRange]
    var reps: Int
    var seed: UInt64
    var jobs: Int
    /// Where the simplex starts (default: the first case's own values).
    var from: [Double]? = nil

    func scenario(_ s0: Scenario, _ x: [Double]) -> Scenario {
        var s = s0
        for (i, r) in ranges.enumerated() { try? s.parameters.set(r.name, number: x[i]) }
        return s
    }

    /// The objective at `x` and every case's results there.
    func evaluate(_ x: [Double]) -> (value: Double, results: [(Scenario, [TargetResult])]) {
        var total = 0.0
        var all: [(Scenario, [TargetResult])] = []
        for c in cases {
            let s = scenario(c.scenario, x)
            let results = (try? GovernanceModel.evaluate(s, targets: c.targets, reps: reps, masterSeed: seed, jobs: jobs)) ?? []
            for r in results {
                let z = r.mean.isNaN ? 10 : r.z
                total += z * z
            }
            all.append((s, results))
        }
        return (total, all)
    }

    /// Start values: `from`, or the first case's own values, clamped into the bounds.
    var starts: [Double] {
        ranges.enumerated().map { i, r in min(max(from?[i] ?? cases[0].scenario.parameters.double(r.name), r.lo), r.hi) }
    }

    /// The parameters' documented defaults (`pillars params`): a start that has seen no case.
    var defaults: [Double] {
        let p = ParameterSet(defaultsOf: GovernanceModel.schema.registry)
        return ranges.map { p.double($0.name) }
    }

    /// Nelder–Mead (GSL) from `starts`; `log` gets a line every 10 evaluations.
    func fit(maxIterations: Int, tolerance: Double, log: ((String) -> Void)? = nil)
        -> (x: [Double], value: Double, iterations: Int, converged: Bool, atBound: [Bool], evaluations: Int) {
        let calibration = ranges.enumerated().map { i, r in CalibrationParameter(name: r.name, lo: r.lo, hi: r.hi, start: starts[i]) }
        var evaluations = 0
        let started = Date()
        let r = Experiments.calibrate(parameters: calibration, maxIterations: maxIterations, tolerance: tolerance) { x in
            evaluations += 1
            let v = evaluate(x).value
            if let log, evaluations % 10 == 0 {
                log("\(evaluations) evaluations, objective \(String(format: "%.3f", v)), \(formatDuration(Date().timeIntervalSince(started)))")
            }
            return v
        }
        return (r.x, r.value, r.iterations, r.converged, r.atBound, evaluations)
    }

    /// ABC-SMC (Experiments.abcSMC; `generations` 0: plain rejection) over the uniform
    /// priors on `ranges`, distance = the fit's objective.
    func posterior(candidates: Int, accept: Int, generations: Int, budget: Int,
                   log: ((String) -> Void)? = nil) throws -> (sample: ABCSample, generations: [ABCGeneration]) {
        let priors = ranges.map { r in CalibrationParameter(name: r.name, lo: r.lo, hi: r.hi, start: r.lo) }
        let started = Date()
        var runs = 0
        return try abcSMC(parameters: priors, population: accept, initial: candidates, generations: generations,
                          budget: budget, seed: seed, progress: { log?("\($0), \(formatDuration(Date().timeIntervalSince(started)))") }) { x in
            runs += 1
            if let log, runs % 50 == 0 { log("\(runs) model runs, \(formatDuration(Date().timeIntervalSince(started)))") }
            return evaluate(x).value
        }
    }
}

/// Load case scenarios; those without targets are left out (or refused with `requireTargets`).
func loadFitCases(_ files: [String], requireTargets: Bool) throws -> [FitCase] {
    try files.compactMap { f -> FitCase? in
        let s = try GovernanceModel.load(f)
        let t = try GovernanceModel.targets(of: s)
        if t.isEmpty {
            if requireTargets { throw ResultsFiles.WriteError(description: "\(f): declares no targets to fit") }
            return nil
        }
        return FitCase(file: f, scenario: s, targets: t)
    }
}
