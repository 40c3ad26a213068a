import SimCore
import Foundation

/// The outcome of an ABC rejection sample.
public struct ABCSample: Sendable {
    /// The accepted parameter sets, nearest first (parameter units, `parameters` order).
    public var draws: [[Double]]
    /// Their distances, ascending.
    public var distances: [Double]
    /// The acceptance threshold ε: the largest accepted distance.
    public var threshold: Double
    /// Candidates evaluated.
    public var evaluated: Int
}

/// Approximate Bayesian computation by rejection (Pritchard et al. 1999; the quantile
/// form of Beaumont, Zhang & Balding 2002): `candidates` parameter sets are drawn from the
/// prior — uniform on each parameter's box [lo, hi], laid out as the first points of GSL's
/// Sobol sequence (quasi-Monte Carlo ABC, Buchholz & Chopin 2019: the prior is covered more
/// evenly than by pseudo-random draws, so fewer candidates give the same acceptance
/// region) — their `distance` to the data is computed, and the `accept` nearest are kept:
/// ε is the accept/candidates quantile of the distances. The kept sets are a sample of the
/// approximate posterior π(θ | d(θ) ≤ ε).
///
/// The first point of the sequence (every coordinate 0, a corner of the box) is skipped. A
/// NaN distance counts as infinitely far. `distance` is called once per candidate, in order,
/// with `progress(done)` after each (the caller parallelises inside a distance).
/// Deterministic: the same arguments give the same sample.
public func abcRejection(
    parameters: [CalibrationParameter], candidates: Int, accept: Int,
    progress: (Int) -> Void = { _ in },
    distance: ([Double]) -> Double
) throws -> ABCSample {
    guard !parameters.isEmpty else { throw ExperimentError("abc: no parameters") }
    guard accept >= 1, candidates >= accept else {
        throw ExperimentError("abc: need 1 ≤ accept ≤ candidates, got accept \(accept), candidates \(candidates)")
    }
    guard let sobol = SobolSequence(dimensions: parameters.count) else {
        throw ExperimentError("abc: at most 40 parameters (a Sobol sequence), got \(parameters.count)")
    }
    _ = sobol.next()
    var scored: [(d: Double, x: [Double], i: Int)] = []
    scored.reserveCapacity(candidates)
    for i in 0..<candidates {
        let u = sobol.next()
        let x = zip(parameters, u).map { p, u in p.lo + (p.hi - p.lo) * u }
        let d = distance(x)
        scored.append((d.isNaN ? .infinity : d, x, i))
        progress(i + 1)
    }
    // Ties broken by the candidate's index, so the sample does not depend on the sort.
    scored.sort { $0.d != $1.d ? $0.d < $1.d : $0.i < $1.i }
    let kept = scored.prefix(accept)
    return ABCSample(draws: kept.map(\.x), distances: kept.map(\.d), threshold: kept.last?.d ?? .nan, evaluated: candidates)
}
