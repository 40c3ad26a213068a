import Foundation
import SimCore
import SimConfig

/// Satisfaction and trust update (docs/ODD.md §3), following expectation–disconfirmation
/// (Van Ryzin 2004, 2006): each household's satisfaction is S = S₀ + z + C, where S₀ is the
/// surveyed baseline, z the household's own recent experience (shocks from its problems,
/// disputes, being heard, activities — decaying with a memory half-life) and C the
/// community-level term (amenities). Expectations of resolution time adapt to experience.
/// Property fees follow satisfaction.
public struct SatisfactionSettings: ParameterGroup {
    public init() {}
    public var memoryDays: Double = 120
    public var serviceWeight: Double = 0.25
    public var complaintWeight: Double = 0.10
    public var disputeWeight: Double = 0.10
    public var expectationAdaptation: Double = 0.05
    public var feeSensitivity: Double = 4

    public static let parameters = ParameterTable<Self>("satisfaction", [
        .number(\.memoryDays, "memory_days", 7...3600, unit: "days",
                "Half-life of a household's experiences in its satisfaction.", source: "rough prior; recency in hotline satisfaction (Zhang et al. 2022)"),
        .number(\.serviceWeight, "service_weight", 0...2, unit: "satisfaction per unit disconfirmation",
                "Shock to S when the household's problem is fixed, × disconfirmation (expected − actual)/max in [−1, 1].",
                source: "Van Ryzin 2006; Zhang et al. 2022 (timeliness drives satisfaction); calibrated"),
        .number(\.complaintWeight, "complaint_weight", 0...2, unit: "satisfaction",
                "Extra fall of S when a household complains about an overdue problem.", source: "rough prior"),
        .number(\.disputeWeight, "dispute_weight", 0...2, unit: "satisfaction",
                "Fall of S for both sides of an unmediated neighbour dispute.", source: "rough prior"),
        .number(\.expectationAdaptation, "expectation_adaptation", 0...1, unit: "share per month",
                "Each month expectations of resolution time move this share of the way to the observed mean.",
                source: "Van Ryzin 2004: expectations adapt (rough prior)"),
        .number(\.feeSensitivity, "fee_sensitivity", 0...50, unit: "logit per unit satisfaction",
                "How strongly a household's fee payment follows its satisfaction relative to baseline.",
                source: "reasoning: fee refusal as voice of dissatisfaction; calibrated (Chaoyang baseline 65 %)"),
    ])
}

public struct SatisfactionUpdate: Mechanism {
    public typealias Parameters = SatisfactionSettings
    public static let name = "satisfaction"
    public let cadence = Cadence.weekly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.satisfaction
        // Weekly decay of experience with the memory half-life.
        let decay = Float(pow(0.5, 7 / s.memoryDays))
        c.hh.experience.withUnsafeMutableBufferPointer { z in
            for h in z.indices { z[h] *= decay }
        }
        // Amenities age; everyone's satisfaction follows the change of amenities from the start.
        let a = c.settings.amenity
        var change = 0.0
        for k in c.amenity.indices {
            c.amenity[k] = max(0, c.amenity[k] - a.agingPerYear * 7 / 360)
            change += c.amenity[k] - c.amenity0[k]
        }
        c.communityTerm = Float(a.satisfactionWeight * change)
    }
}

/// Monthly: the expected resolution time moves toward the mean of the last month's resolutions.
public struct ExpectationAdaptation: Mechanism {
    public static let name = "expectations"
    public let cadence = Cadence.monthly
    public init(streams: StreamSet) {}

    public mutating func step(_ c: inout Community, day: Int) {
        let since = Int32(day - 30)
        var sum = 0.0, n = 0
        for r in c.resolvedLog.reversed() {
            if r.day <= since { break }
            sum += Double(r.days); n += 1
        }
        guard n > 0 else { return }
        let rho = c.settings.satisfaction.expectationAdaptation
        c.expectedDays += rho * (sum / Double(n) - c.expectedDays)
    }
}
