import SimCore
import SimConfig
/// A paired comparison of one outcome between a baseline and an alternative run with the
/// same replication seeds (common random numbers). `difference` summarises
/// alternative − baseline replication by replication, so the noise the two runs share
/// cancels and its interval is usually much narrower than comparing the two summaries.
public struct PairedDifference: Sendable {
    /// The outcome's name.
    public let metric: String
    /// The baseline's outcome over replications.
    public let baseline: Summary
    /// The alternative's outcome over replications.
    public let alternative: Summary
    /// alternative − baseline, replication by replication: mean, sd and Student-t interval.
    public let difference: Summary

    /// True when the difference's interval excludes zero.
    public var isSignificant: Bool { difference.lo > 0 || difference.hi < 0 }
}

/// Compare `alternative` with `baseline`, where element r of each is replication r run with
/// the same seed. The difference's interval is mean ± t·sd/√n at the given confidence
/// (Student t from GSL, via `Summary`). Both arrays must have the same length (a
/// precondition: the replications must pair up). NaN outcomes propagate into the summaries.
public func pairedDifference(metric: String, baseline: [Double], alternative: [Double], confidence: Double = 0.95) -> PairedDifference {
    precondition(baseline.count == alternative.count,
                 "pairedDifference(\(metric)): \(baseline.count) baseline vs \(alternative.count) alternative replications")
    let d = zip(alternative, baseline).map { $0 - $1 }
    return PairedDifference(
        metric: metric,
        baseline: Summary(baseline, confidence: confidence),
        alternative: Summary(alternative, confidence: confidence),
        difference: Summary(d, confidence: confidence))
}
