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

/// One generation of an ABC-SMC run: its threshold, the model runs it took and what it kept.
public struct ABCGeneration: Sendable {
    public var epsilon: Double
    public var evaluated: Int
    public var accepted: Int
}

/// ABC sequential Monte Carlo — population Monte Carlo ABC (Toni et al. 2009; Beaumont,
/// Cornuet, Marin & Robert 2009), with thresholds set adaptively from the last population.
///
/// Generation 0 is `abcRejection` with `initial` Sobol candidates, keeping `population`. Each
/// later generation t sets ε_t to the `quantile` of the previous population's distances,
/// then proposes until `population` candidates have d ≤ ε_t: a particle drawn by weight,
/// moved by a Gaussian kernel with twice the population's weighted variance per parameter
/// (Beaumont et al. 2009), proposals outside the prior box redrawn without a model run. A kept
/// θ has weight π(θ) / Σ_j w_j K(θ | θ_j), π uniform on the box. It stops after `generations`
/// generations, or earlier when the next generation could exceed `budget` model runs in all
/// (that generation is abandoned and the last complete one returned).
///
/// The returned draws are `population` rows resampled by weight (systematic resampling) from
/// the last complete generation, so they can be used unweighted (`Scenarios/posterior.csv`);
/// `distances` are theirs, `threshold` that generation's ε. Randomness: GSL's taus2 stream
/// seeded with `seed`; the same arguments give the same sample.
public func abcSMC(
    parameters: [CalibrationParameter], population: Int, initial: Int, generations: Int,
    quantile: Double = 0.5, budget: Int, seed: UInt64,
    progress: (String) -> Void = { _ in },
    distance: ([Double]) -> Double
) throws -> (sample: ABCSample, generations: [ABCGeneration]) {
    guard quantile > 0, quantile < 1 else { throw ExperimentError("abc-smc: the quantile must be in (0, 1), got \(quantile)") }
    guard budget >= initial else { throw ExperimentError("abc-smc: the budget (\(budget)) must cover the first \(initial) candidates") }
    let k = parameters.count
    let first = try abcRejection(parameters: parameters, candidates: initial, accept: population, distance: distance)
    var xs = first.draws, ds = first.distances
    var ws = [Double](repeating: 1 / Double(population), count: population)
    var used = initial
    var log = [ABCGeneration(epsilon: first.threshold, evaluated: initial, accepted: population)]
    progress("generation 0: ε \(first.threshold), \(initial) runs")
    let rng = RandomStream(seed: seed)
    func pick(_ w: [Double]) -> Int {
        var u = rng.uniform(), i = 0
        while i < w.count - 1 { u -= w[i]; if u < 0 { break }; i += 1 }
        return i
    }
    for g in stride(from: 1, through: generations, by: 1) {
        let epsilon = GSL.quantileSorted(ds.sorted(), quantile)
        // Kernel sd per parameter: √(2 × weighted variance), at least 1e-9 of the range.
        let sd: [Double] = (0..<k).map { j in
            let m = zip(xs, ws).reduce(0) { $0 + $1.0[j] * $1.1 }
            let v = zip(xs, ws).reduce(0) { $0 + $1.1 * ($1.0[j] - m) * ($1.0[j] - m) }
            return max((2 * v).squareRoot(), 1e-9 * (parameters[j].hi - parameters[j].lo))
        }
        var nx: [[Double]] = [], nd: [Double] = [], nw: [Double] = []
        var runs = 0
        while nx.count < population {
            guard used + runs < budget else {
                progress("generation \(g): budget of \(budget) runs reached with \(nx.count) of \(population) kept; stopping at generation \(g - 1)")
                let sample = resample(xs, ds, ws, population, rng)
                return (ABCSample(draws: sample.0, distances: sample.1, threshold: log.last!.epsilon, evaluated: used + runs), log)
            }
            let parent = xs[pick(ws)]
            var theta = parent
            var inside = false
            for _ in 0..<1000 {
                theta = (0..<k).map { j in parent[j] + rng.gaussian(sd[j]) }
                inside = zip(theta, parameters).allSatisfy { $0 >= $1.lo && $0 <= $1.hi }
                if inside { break }
            }
            guard inside else { continue }
            runs += 1
            let d = distance(theta)
            guard !d.isNaN, d <= epsilon else { continue }
            var denominator = 0.0
            for (x, w) in zip(xs, ws) {
                var e = 0.0
                for j in 0..<k { let z = (theta[j] - x[j]) / sd[j]; e += z * z }
                denominator += w * exp(-0.5 * e)
            }
            nx.append(theta); nd.append(d); nw.append(1 / max(denominator, .leastNormalMagnitude))
        }
        used += runs
        let total = nw.reduce(0, +)
        xs = nx; ds = nd; ws = nw.map { $0 / total }
        log.append(ABCGeneration(epsilon: epsilon, evaluated: runs, accepted: population))
        progress("generation \(g): ε \(epsilon), \(runs) runs (\(used) in all)")
    }
    let sample = resample(xs, ds, ws, population, rng)
    return (ABCSample(draws: sample.0, distances: sample.1, threshold: log.last!.epsilon, evaluated: used), log)
}

/// Systematic resampling of `n` particles by weight, nearest first.
private func resample(_ xs: [[Double]], _ ds: [Double], _ ws: [Double], _ n: Int, _ rng: RandomStream) -> ([[Double]], [Double]) {
    let u0 = rng.uniform() / Double(n)
    var out: [(Double, [Double])] = []
    var c = ws[0], i = 0
    for m in 0..<n {
        let u = u0 + Double(m) / Double(n)
        while u > c, i < ws.count - 1 { i += 1; c += ws[i] }
        out.append((ds[i], xs[i]))
    }
    out.sort { $0.0 < $1.0 }
    return (out.map(\.1), out.map(\.0))
}
