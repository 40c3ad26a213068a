import SimCore
import SimConfig

/// The traditional mode's channel (政府干、居民看): once a month the residents' committee
/// organises an activity or meeting, and each household takes part with the probability of
/// the participation choice with the activity's own intercept, solved so that this channel
/// alone gives the baseline share of households with a civic act over the year
/// (Community.solveAnchor); the five-pillar mechanisms add channels on top of it.
public struct TraditionalActivity: Mechanism {
    public static let name = "activity"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.participation.traditionalActivity else { return }
        for h in 0..<c.hh.count {
            let p = sigmoidF(c.participationLogit(h, day: day, for: .activity) + c.activityLogit)
            if rng.uniform() < Double(p) { c.recordAct(h, .activity, day: day) }
        }
    }
}
