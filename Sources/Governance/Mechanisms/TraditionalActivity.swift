import SimCore
import SimConfig

/// The traditional mode's channel (政府干、居民看): once a month the residents' committee
/// organises an activity or meeting, and each household takes part with the probability of
/// the participation choice. Its intercept is anchored so that this channel alone gives the
/// baseline participation rate; the five-pillar mechanisms add channels on top of it.
public struct TraditionalActivity: Mechanism {
    public static let name = "activity"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        guard c.settings.participation.traditionalActivity else { return }
        for h in 0..<c.hh.count {
            let p = sigmoidF(c.participationLogit(h, day: day, for: .activity))
            if rng.uniform() < Double(p) { c.recordAct(h, .activity, day: day) }
        }
    }
}
