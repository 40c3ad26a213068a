/// Summary of one outcome over replications: mean, sample sd and a Student-t 95 % interval.
public struct Summary: Sendable, Equatable {
    public var mean: Double
    public var sd: Double
    public var lo: Double
    public var hi: Double
    public var n: Int

    /// Summarise `xs` with a two-sided interval of the given confidence (default 95 %),
    /// `mean ± t_{1-α/2, n-1} · sd/√n` (t quantile from GSL). NaN values are an error
    /// upstream; here they propagate so they are never hidden.
    public init(_ xs: [Double], confidence: Double = 0.95) {
        n = xs.count
        mean = GSL.mean(xs)
        sd = GSL.sd(xs)
        if n > 1 {
            let t = GSL.tQuantile(0.5 + confidence / 2, dof: Double(n - 1))
            let half = t * sd / Double(n).squareRoot()
            lo = mean - half
            hi = mean + half
        } else {
            lo = mean
            hi = mean
        }
    }
}

/// Empirical quantiles of a sample (sorted with GSL, interpolated).
public func quantiles(_ xs: [Double], _ qs: [Double]) -> [Double] {
    var s = xs.filter { !$0.isNaN }
    GSL.sort(&s)
    return qs.map { GSL.quantileSorted(s, $0) }
}
