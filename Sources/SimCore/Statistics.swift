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

/// A number as written in tidy tables, reproducibly and without loss:
/// - integral values with magnitude below 10^15 are written as integers ("3", "-12"; −0 as "0");
/// - other finite values use Swift's shortest round-trip representation ("0.1", "1e-05",
///   "1e+20"), which parses back to the identical Double;
/// - NaN is written "nan" and infinities "inf" / "-inf". These appear only if the caller
///   passes them: nothing here produces them, so a "nan" in a table always means the model
///   computed one (e.g. a ratio with an empty denominator), never a formatting default.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// A number for a CSV cell: empty for NaN (nothing to measure), shortest round-trip otherwise.
public func csvNumber(_ x: Double) -> String { x.isNaN ? "" : formatNumber(x) }

/// A CSV field, quoted (with inner quotes doubled) when it contains a comma, a quote,
/// a carriage return or a newline; otherwise unchanged.
public func csvField(_ s: String) -> String {
    let needsQuotes = s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    guard needsQuotes else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
