import SimCore
import SimConfig
/// The sample plan of a Saltelli variance-based (Sobol) sensitivity analysis.
///
/// Built from the first `n` points of GSL's Sobol sequence in 2k dimensions (k = number of
/// parameters, so k ≤ 20), skipping none: matrix A is the first k coordinates, matrix B the
/// last k. `samples` holds, in this order, the n rows of A, the n rows of B, then for each
/// parameter i in 0..<k the n rows of AB_i (A with column i taken from B): n·(k + 2) rows
/// in all, mapped to parameter units with `ParameterRange.scaled(_:)`. Evaluate the model
/// on every row, in order, and pass the outputs to `sobolIndices`. A power of two for n
/// keeps the Sobol points balanced.
public struct SaltelliPlan: Sendable {
    /// The parameters, one per column.
    public let parameters: [ParameterRange]
    /// Rows per matrix (base sample size).
    public let n: Int
    /// The n·(k + 2) rows: A, B, AB_0, …, AB_{k−1}.
    public let samples: [[Double]]

    /// A plan of base size `n` (≥ 2) over 1…20 parameters.
    public init(parameters: [ParameterRange], n: Int) throws {
        let k = parameters.count
        guard k >= 1 else { throw ExperimentError("sensitivity: no parameters to vary (expected at least one --param path=...)") }
        guard 2 * k <= 40, let sequence = SobolSequence(dimensions: 2 * k) else {
            throw ExperimentError("sensitivity: at most 20 parameters are supported (a 2k-dimensional Sobol sequence, k ≤ 20), got \(k)")
        }
        guard n >= 2 else { throw ExperimentError("sensitivity: the base sample size must be ≥ 2, got \(n)") }
        var a = [[Double]](), b = [[Double]]()
        a.reserveCapacity(n)
        b.reserveCapacity(n)
        for _ in 0..<n {
            let u = sequence.next()
            a.append(Array(u[0..<k]))
            b.append(Array(u[k..<(2 * k)]))
        }
        var unit = a + b
        unit.reserveCapacity(n * (k + 2))
        for i in 0..<k {
            for r in 0..<n {
                var row = a[r]
                row[i] = b[r][i]
                unit.append(row)
            }
        }
        self.parameters = parameters
        self.n = n
        self.samples = unit.map { u in (0..<k).map { parameters[$0].scaled(u[$0]) } }
    }
}

/// First-order and total Sobol indices of one parameter, with percentile bootstrap intervals.
public struct SobolIndices: Sendable {
    /// The parameter's path.
    public let parameter: String
    /// First-order index S1 (share of variance due to this parameter alone).
    public let s1: Double
    /// Lower end of S1's bootstrap interval.
    public let s1Lo: Double
    /// Upper end of S1's bootstrap interval.
    public let s1Hi: Double
    /// Total-order index ST (share of variance involving this parameter).
    public let st: Double
    /// Lower end of ST's bootstrap interval.
    public let stLo: Double
    /// Upper end of ST's bootstrap interval.
    public let stHi: Double
    /// Why the indices are degenerate (e.g. constant output), when they are; else nil.
    public let note: String?
}

/// Sobol indices from the model outputs `y` on `plan.samples` (same order, n·(k + 2) values).
///
/// With V the sample variance of f(A) ∪ f(B):
/// - first order (Saltelli 2010): S1_i = mean_j f(B)_j · (f(AB_i)_j − f(A)_j) / V;
/// - total order (Jansen 1999): ST_i = mean_j (f(A)_j − f(AB_i)_j)² / 2 / V.
///
/// Intervals are percentile bootstrap intervals at `confidence`: `bootstrap` resamples of
/// the n base rows with replacement (the same resample for every parameter, V recomputed),
/// drawn from a `RandomStream` seeded with `Seeds.purpose("sobol.bootstrap", replicationSeed:
/// seed)`; with `bootstrap` 0 the intervals collapse to the estimates. If V is 0 (constant
/// output) every index is 0 with a `note`, never NaN; a resample with V = 0 is skipped.
/// Non-finite outputs make the indices NaN, with a note saying so.
public func sobolIndices(plan: SaltelliPlan, outputs y: [Double], bootstrap: Int = 500, confidence: Double = 0.95, seed: UInt64) -> [SobolIndices] {
    let k = plan.parameters.count, n = plan.n
    precondition(y.count == n * (k + 2), "sobolIndices: \(y.count) outputs for a plan of \(n * (k + 2)) rows")
    let names = plan.parameters.map(\.name)
    if let bad = y.first(where: { !$0.isFinite }) {
        return names.map {
            SobolIndices(parameter: $0, s1: .nan, s1Lo: .nan, s1Hi: .nan, st: .nan, stLo: .nan, stHi: .nan,
                         note: "the outputs contain \(bad); indices are undefined")
        }
    }
    let fA = Array(y[0..<n]), fB = Array(y[n..<(2 * n)])
    // Per-row terms of each estimator, so a bootstrap resample only re-averages them.
    var first = [[Double]](), total = [[Double]]()
    for i in 0..<k {
        let fAB = y[((2 + i) * n)..<((3 + i) * n)]
        first.append((0..<n).map { fB[$0] * (fAB[fAB.startIndex + $0] - fA[$0]) })
        total.append((0..<n).map { let d = fA[$0] - fAB[fAB.startIndex + $0]; return d * d / 2 })
    }
    let v = GSL.variance(fA + fB)
    guard v > 0 else {
        return names.map {
            SobolIndices(parameter: $0, s1: 0, s1Lo: 0, s1Hi: 0, st: 0, stLo: 0, stHi: 0,
                         note: "the output is constant (variance 0); indices set to 0")
        }
    }
    let s1 = first.map { GSL.mean($0) / v }
    let st = total.map { GSL.mean($0) / v }

    var s1Boot = [[Double]](repeating: [], count: k), stBoot = [[Double]](repeating: [], count: k)
    if bootstrap > 0 {
        let rng = RandomStream(seed: Seeds.purpose("sobol.bootstrap", replicationSeed: seed))
        var index = [Int](repeating: 0, count: n)
        for _ in 0..<bootstrap {
            for j in 0..<n { index[j] = rng.int(below: n) }
            guard let vb = resampledVariance(fA, fB, index), vb > 0 else { continue }
            for i in 0..<k {
                s1Boot[i].append(resampledMean(first[i], index) / vb)
                stBoot[i].append(resampledMean(total[i], index) / vb)
            }
        }
    }
    let lower = (1 - confidence) / 2, upper = (1 + confidence) / 2
    return (0..<k).map { i in
        let (s1Lo, s1Hi) = interval(s1Boot[i], s1[i], lower, upper)
        let (stLo, stHi) = interval(stBoot[i], st[i], lower, upper)
        return SobolIndices(parameter: names[i], s1: s1[i], s1Lo: s1Lo, s1Hi: s1Hi,
                            st: st[i], stLo: stLo, stHi: stHi, note: nil)
    }
}

/// The percentile interval [lower, upper] of bootstrap estimates; the estimate itself when there are none.
func interval(_ boot: [Double], _ estimate: Double, _ lower: Double, _ upper: Double) -> (Double, Double) {
    guard !boot.isEmpty, !estimate.isNaN else { return (estimate, estimate) }
    let q = quantiles(boot, [lower, upper])
    return (q[0], q[1])
}

private func resampledMean(_ xs: [Double], _ index: [Int]) -> Double {
    xs.withUnsafeBufferPointer { x in
        index.withUnsafeBufferPointer { idx in
            var s = 0.0
            for j in idx { s += x[j] }
            return s / Double(idx.count)
        }
    }
}

/// Sample variance of the resampled f(A) ∪ f(B) (two-pass); nil for fewer than 2 values.
private func resampledVariance(_ fA: [Double], _ fB: [Double], _ index: [Int]) -> Double? {
    let m = 2 * index.count
    guard m >= 2 else { return nil }
    return fA.withUnsafeBufferPointer { a in
        fB.withUnsafeBufferPointer { b in
            index.withUnsafeBufferPointer { idx in
                var s = 0.0
                for j in idx { s += a[j] + b[j] }
                let mean = s / Double(m)
                var ss = 0.0
                for j in idx {
                    let da = a[j] - mean, db = b[j] - mean
                    ss += da * da + db * db
                }
                return ss / Double(m - 1)
            }
        }
    }
}
