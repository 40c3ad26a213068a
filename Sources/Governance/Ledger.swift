import SimCore
import SimConfig

/// The community's accounts. Every yuan raised is booked under exactly one source, so
/// money by source sums to the total raised; the micro-fund balance is inflows − outflows;
/// points outstanding are issued − redeemed (all tested invariants).
public struct Ledger: Sendable, Equatable {
    public enum Source: Int, CaseIterable, Sendable {
        case fiscal, residents, enterprise, crowdfunding, charity, partner, timebank
        public var name: String { ["fiscal", "residents", "enterprise", "crowdfunding", "charity", "partner", "timebank"][rawValue] }
    }
    /// Yuan raised by source since the start (time bank: volunteer hours valued in yuan).
    public private(set) var raised = [Double](repeating: 0, count: Source.allCases.count)
    public private(set) var microfundIn = 0.0
    public private(set) var microfundOut = 0.0
    public private(set) var pointsIssued = 0.0
    public private(set) var pointsRedeemed = 0.0
    /// Yuan spent on incentives (redeemed points, perks, honours).
    public private(set) var incentiveCost = 0.0

    public init() {}
    public var totalRaised: Double { raised.reduce(0, +) }
    public var microfundBalance: Double { microfundIn - microfundOut }
    public var pointsOutstanding: Double { pointsIssued - pointsRedeemed }
    public subscript(_ s: Source) -> Double { raised[s.rawValue] }

    public mutating func raise(_ amount: Double, from s: Source) {
        precondition(amount >= 0 && amount.isFinite, "money raised must be a finite amount ≥ 0")
        raised[s.rawValue] += amount
    }
    public mutating func microfundDeposit(_ x: Double) { precondition(x >= 0); microfundIn += x }
    /// Spend up to `x` from the micro-fund; returns what was spent (never below zero balance).
    public mutating func microfundSpend(_ x: Double) -> Double {
        let s = min(max(0, x), microfundBalance)
        microfundOut += s
        return s
    }
    public mutating func issuePoints(_ p: Double) { precondition(p >= 0); pointsIssued += p }
    public mutating func redeemPoints(_ p: Double, cost: Double) { precondition(p >= 0 && cost >= 0); pointsRedeemed += p; incentiveCost += cost }
    public mutating func spendOnIncentives(_ cost: Double) { precondition(cost >= 0); incentiveCost += cost }
}

/// Amenity categories (the Chaoyang case's four, plus safety).
public enum AmenityCategory: Int, CaseIterable, Sendable {
    case infrastructure, environment, parking, propertyService, safety
    public var name: String { ["infrastructure", "environment", "parking", "property_service", "safety"][rawValue] }
}

/// Amenity levels: what residents see of facilities and environment. Projects raise them;
/// they age slowly; satisfaction follows their change from the start.
public struct AmenitySettings: ParameterGroup {
    public init() {}
    /// Initial level by category (`AmenityCategory` order).
    public var initial: [Double] = [0.5, 0.5, 0.5, 0.5, 0.5]
    public var agingPerYear: Double = 0
    public var satisfactionWeight: Double = 0.4
    public static let parameters = ParameterTable<Self>("amenity", [
        .number(\.initial[AmenityCategory.infrastructure.rawValue], "infrastructure", 0...1, unit: "0–1", "Initial level of infrastructure (pipes, roofs, elevators, lighting).",
                source: "scale anchor: 0.5 = as the baseline survey found it; lower where a case names the deficit").fixedAtStart(),
        .number(\.initial[AmenityCategory.environment.rawValue], "environment", 0...1, unit: "0–1", "Initial level of the environment (waste, greenery, cleanliness).", source: "scale anchor 0.5").fixedAtStart(),
        .number(\.initial[AmenityCategory.parking.rawValue], "parking", 0...1, unit: "0–1", "Initial level of parking.", source: "scale anchor 0.5").fixedAtStart(),
        .number(\.initial[AmenityCategory.propertyService.rawValue], "property_service", 0...1, unit: "0–1", "Initial level of property and community services.", source: "scale anchor 0.5").fixedAtStart(),
        .number(\.initial[AmenityCategory.safety.rawValue], "safety", 0...1, unit: "0–1", "Initial level of safety (fire, security).", source: "scale anchor 0.5").fixedAtStart(),
        .number(\.agingPerYear, "aging_per_year", 0...0.5, unit: "per year", "Loss of amenity level per year beyond what routine upkeep replaces.",
                source: "default 0: routine property upkeep holds the baseline; set > 0 for a compound without upkeep"),
        .number(\.satisfactionWeight, "satisfaction_weight", 0...5, unit: "satisfaction per unit amenity",
                "Shift of every household's satisfaction per unit change of an amenity category's level, right after the change (b + c of the expectation–disconfirmation model, summed over categories); the share `satisfaction.disconfirmation_share` of it fades as expectations adapt.",
                source: "Van Ryzin 2006: performance raises satisfaction; calibrated on the Shanghai case"),
    ])
}

extension Community {
    /// Improve amenity `k`: it closes the share `gain` of the distance to the best level (1),
    /// so improvements show diminishing returns and levels stay in [0, 1].
    public mutating func improve(_ k: AmenityCategory, by gain: Double) {
        let a = amenity[k.rawValue]
        amenity[k.rawValue] = a + min(1, max(0, gain)) * (1 - a)
    }
    public var amenityMean: Double { amenity.reduce(0, +) / Double(amenity.count) }
}
