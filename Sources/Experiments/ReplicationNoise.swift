import SimCore
import SimConfig
/// How much of the variance of an analysed output is replication noise.
///
/// A sensitivity analysis evaluates each plan row as the mean of R replications; those
/// means still carry seed noise, which inflates total indices (ST > 1), pushes first-order
/// ones below 0 and widens every interval. Replication r of every row uses the same seed
/// (common random numbers), so part of the noise is common to all rows and cancels; what
/// is left is the row × replication interaction. From the table y[i][r] of the rows whose
/// R replications all measured the output (a two-way decomposition, rows × replications):
///
///     s²_w  = Σ_i Σ_r (y_ir − ȳ_i· − ȳ_·r + ȳ_··)² / ((n − 1)(R − 1))   (within-row variance)
///     V     = the sample variance of the row means ȳ_i (GSL)
///     share = (s²_w / R) / V, capped at 1
///
/// s²_w / R is the noise variance of a row mean and V what the analysis decomposes, so
/// `share` is the part of V that is noise; the rest, V − s²_w / R, is the signal the
/// parameters explain. `replications(forShare:)` is the R that brings the share under a
/// target.
public struct ReplicationNoise: Sendable, Equatable {
    /// Noise share of the row means' variance, in [0, 1]; NaN when it cannot be estimated.
    public let share: Double
    /// Within-row variance s²_w between replications (row × replication interaction).
    public let withinVariance: Double
    /// Variance V of the row means.
    public let variance: Double
    /// Replications per row R.
    public let replications: Int
    /// Why `share` is NaN, when it is.
    public let note: String?

    /// The noise of the rows `values` (one array of the R replications' outputs per plan
    /// row, NaN where a replication measured nothing).
    public init(values: [[Double]]) {
        let r = values.first?.count ?? 0
        replications = r
        let means = values.map { v -> Double in
            let f = v.filter(\.isFinite)
            return f.isEmpty ? .nan : GSL.mean(f)
        }.filter(\.isFinite)
        variance = means.count > 1 ? GSL.variance(means) : .nan
        let complete = values.filter { $0.count == r && $0.allSatisfy(\.isFinite) }
        let n = complete.count
        if r < 2 {
            (withinVariance, share, note) = (.nan, .nan, "one replication per row: the noise cannot be told from the signal (use --reps 2 or more)")
            return
        }
        guard n > 1, !variance.isNaN else {
            (withinVariance, share, note) = (.nan, .nan, "fewer than two rows with every replication measured")
            return
        }
        let rowMean = complete.map(GSL.mean)
        let repMean = (0..<r).map { j in GSL.mean(complete.map { $0[j] }) }
        let grand = GSL.mean(rowMean)
        var ss = 0.0
        for i in 0..<n {
            for j in 0..<r {
                let e = complete[i][j] - rowMean[i] - repMean[j] + grand
                ss += e * e
            }
        }
        withinVariance = ss / Double((n - 1) * (r - 1))
        note = nil
        if variance == 0 {
            share = withinVariance > 0 ? 1 : 0
        } else {
            share = min(1, withinVariance / Double(r) / variance)
        }
    }

    /// The replications per row that would bring the noise share to `target` (in (0, 1))
    /// or below, if the signal variance stays the same; nil when there is no signal to
    /// speak of (the row means vary no more than their noise) or the share is unknown.
    public func replications(forShare target: Double) -> Int? {
        guard share.isFinite, target > 0, target < 1 else { return nil }
        if share <= target { return replications }
        let signal = variance - withinVariance / Double(replications)
        guard signal > 0 else { return nil }
        let needed = withinVariance * (1 - target) / (target * signal)
        guard needed.isFinite, needed < 1e9 else { return nil }
        return max(replications, Int(needed.rounded(.up)))
    }
}
