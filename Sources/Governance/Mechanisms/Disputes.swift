import Foundation
import SimCore
import SimConfig

/// Neighbour disputes and their mediation (co-governance, docs/ODD.md §3). Candidate
/// disputes arise between tied neighbours; social capital (both sides active in community
/// life, and the social capital built by sharing exchanges, `hh.socialCapital`) defuses some;
/// building leaders, volunteers and grid workers mediate the rest. An unmediated dispute hurts
/// both sides, and the side that raised it complains with `governance.complaint_probability`.
public struct DisputeSettings: ParameterGroup {
    public init() {}
    public var ratePer100Month: Double = 1.5
    public var socialProtection: Double = 2.5
    public var mediation: Double = 0.5
    public static let parameters = ParameterTable<Self>("disputes", [
        .number(\.ratePer100Month, "rate_per_100hh_month", 0...100, unit: "disputes per 100 households per month",
                "Rate of candidate neighbour disputes (noise, leaks, parking, shared space).", source: "rough prior; calibrated per case"),
        .number(\.socialProtection, "social_protection", 0...20, unit: "per unit",
                "A candidate dispute happens with probability exp(−κ · a), a = mean over the two sides of (share of ties active in the window + social capital from sharing) / 2, in [0, 1].",
                source: "reasoning: neighbours who meet in community life settle frictions informally; calibrated on the Hangzhou case (disputes −55 % in one year of sharing)"),
        .number(\.mediation, "mediation_probability", 0...1, unit: "probability",
                "Chance a dispute is mediated without lasting harm (building leader, grid worker).", source: "rough prior"),
    ])
}

public struct Disputes: Mechanism {
    public typealias Parameters = DisputeSettings
    public static let name = "disputes"
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.disputes
        let n = c.hh.count
        let k = rng.poisson(s.ratePer100Month * Double(n) / 100 / 30)
        for _ in 0..<k {
            let h = rng.int(below: n)
            let t0 = Int(c.hh.tieStart[h]), t1 = Int(c.hh.tieStart[h + 1])
            guard t1 > t0 else { continue }
            let j = Int(c.hh.tieTarget[t0 + rng.int(below: t1 - t0)])
            // Protection a: mean over the two sides of (share of ties active + social capital) / 2.
            let a = (c.activeTieShare(h, day: day) + c.activeTieShare(j, day: day) + c.hh.socialCapital[h] + c.hh.socialCapital[j]) / 4
            guard rng.bernoulli(exp(-s.socialProtection * Double(a))) else { continue }
            c.disputes.add()
            let mediated = rng.bernoulli(min(1, s.mediation * c.mediationCapacity))
            if !mediated {
                let w = -Float(c.settings.satisfaction.disputeWeight)
                c.shock(h, satisfaction: w, trust: -0.01)
                c.shock(j, satisfaction: w, trust: -0.01)
                // The side that raised it takes it to the residents' committee or the hotline
                // with the same chance as a household whose problem is overdue.
                if rng.bernoulli(c.settings.governance.complaintProbability) { c.complain(h) }
            }
        }
    }
}
