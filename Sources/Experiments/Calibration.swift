import SimCore
import SimConfig
import Foundation

/// One parameter to calibrate: its path, the range it must stay in, and where to start.
public struct CalibrationParameter: Sendable {
    /// The parameter's path.
    public let name: String
    /// Lower bound (inclusive).
    public let lo: Double
    /// Upper bound (inclusive).
    public let hi: Double
    /// Starting value, in [lo, hi].
    public let start: Double

    /// A parameter with finite lo < hi and lo ≤ start ≤ hi (a precondition).
    public init(name: String, lo: Double, hi: Double, start: Double) {
        precondition(lo.isFinite && hi.isFinite && lo < hi, "calibration parameter \(name): need finite lo < hi, got [\(lo), \(hi)]")
        precondition(start >= lo && start <= hi, "calibration parameter \(name): start \(start) outside [\(lo), \(hi)]")
        self.name = name
        self.lo = lo
        self.hi = hi
        self.start = start
    }
}

/// Minimise `objective` over the box of `parameters` with GSL's Nelder–Mead simplex.
///
/// The search runs on unconstrained z ∈ ℝ^k mapped onto each range by the smooth periodic
/// transform x = lo + (hi − lo)·(1 + sin z)/2, so the objective is only ever evaluated
/// inside [lo, hi]. (A logistic transform was tried first; its saturated tails are flat,
/// which stalls the simplex when an optimum sits on a bound. The sine reaches each bound at
/// an isolated z, so an optimum pinned at a bound converges like an interior one.) The
/// initial simplex steps are 0.5 in z (a quarter of the range around the middle).
///
/// `tolerance` is the simplex size in z at which a search stops (x moves by at most about
/// `tolerance`·(hi − lo)/2). Values much below 1e-6 may be unreachable: near the optimum
/// the objective stops resolving differences in double precision, the simplex stalls, and
/// the search runs out of iterations with `converged` false (x is still the best found). After a search converges
/// it is restarted once from its best point with a fresh simplex (Nelder–Mead can stall on
/// a degenerate simplex); restarts continue while they improve the value by more than
/// `tolerance`·(1 + |value|), within `maxIterations` iterations in all. `converged` is true
/// when the last search converged and its restart brought no such improvement.
///
/// Returns the best point `x` in parameter units, its objective `value`, the iterations
/// used, and `atBound[i]`, true when x_i ended within 1 % of the range from lo or hi — a
/// sign the optimum may lie outside the documented range.
public func calibrate(
    parameters: [CalibrationParameter], maxIterations: Int, tolerance: Double,
    objective: @escaping ([Double]) -> Double
) -> (x: [Double], value: Double, iterations: Int, converged: Bool, atBound: [Bool]) {
    precondition(!parameters.isEmpty, "calibrate: no parameters")
    func toX(_ z: [Double]) -> [Double] {
        zip(parameters, z).map { p, z in
            min(max(p.lo + (p.hi - p.lo) * (1 + sin(z)) / 2, p.lo), p.hi)
        }
    }
    var z = parameters.map { p in asin(min(max(2 * (p.start - p.lo) / (p.hi - p.lo) - 1, -1), 1)) }
    let step = [Double](repeating: 0.5, count: parameters.count)
    var best = Double.infinity
    var iterations = 0
    var converged = false
    var searches = 0
    while iterations < maxIterations {
        let r = NelderMead.minimize(start: z, step: step, tolerance: tolerance, maxIterations: maxIterations - iterations) { z in
            objective(toX(z))
        }
        iterations += r.iterations
        searches += 1
        let improvement = best - r.value
        if r.value < best {
            best = r.value
            z = r.x
        }
        guard r.converged else { converged = false; break }
        // The first search always gets one restart; later ones only while they still improve.
        if searches > 1, !(improvement > tolerance * (1 + abs(best))) { converged = true; break }
    }
    let x = toX(z)
    let atBound = zip(parameters, x).map { p, x in
        let margin = 0.01 * (p.hi - p.lo)
        return x - p.lo <= margin || p.hi - x <= margin
    }
    return (x, best, iterations, converged, atBound)
}
