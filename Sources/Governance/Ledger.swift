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
    public mutating func redeemPoints(_ p: Double, cost: Double) {
        precondition(p >= 0 && cost >= 0); pointsRedeemed += p; incentiveCost += cost; book(cost, .government, .incentives)
    }
    public mutating func spendOnIncentives(_ cost: Double) { precondition(cost >= 0); incentiveCost += cost; book(cost, .government, .incentives) }

    // MARK: Uses of money and costs (docs/ODD.md §7.14)

    /// Project money paid out at completion, and returned when a project is abandoned.
    public private(set) var projectsPaid = 0.0
    public private(set) var projectsRefunded = 0.0
    /// Property fees collected and spent on property services.
    public private(set) var feesIn = 0.0
    public private(set) var feesSpent = 0.0
    /// Micro-fund spending by rule: help for households in need, upkeep.
    public private(set) var microfundHelp = 0.0
    public private(set) var microfundUpkeep = 0.0
    /// Yuan spent (money, or staff and volunteer time valued) by payer × pillar since day 0,
    /// and the same on the day before the summary window opened.
    public private(set) var costs = [Double](repeating: 0, count: Payer.allCases.count * Pillar.allCases.count)
    public private(set) var costsAtWindowStart = [Double](repeating: 0, count: Payer.allCases.count * Pillar.allCases.count)
    public private(set) var incentiveCostAtWindowStart = 0.0
    public private(set) var feesAtWindowStart = 0.0
    /// Counters of staff and volunteer work already valued (`Accounts`).
    public var accountsSeen = AccountState()

    public var feeBalance: Double { feesIn - feesSpent }
    /// Money that came in: project money by source, the micro-fund's inflow, property fees.
    public var sources: Double { totalRaised + microfundIn + feesIn }
    /// Money that went out: projects paid or refunded, micro-fund spending, fees spent on services.
    public var uses: Double { projectsPaid + projectsRefunded + microfundOut + feesSpent }

    /// Book `yuan` spent by `payer` on `pillar`.
    public mutating func book(_ yuan: Double, _ payer: Payer, _ pillar: Pillar) {
        precondition(yuan >= 0 && yuan.isFinite, "a cost must be a finite amount ≥ 0")
        costs[payer.rawValue * Pillar.allCases.count + pillar.rawValue] += yuan
    }
    public func cost(_ payer: Payer, _ pillar: Pillar, sinceWindowStart: Bool = false) -> Double {
        let k = payer.rawValue * Pillar.allCases.count + pillar.rawValue
        return costs[k] - (sinceWindowStart ? costsAtWindowStart[k] : 0)
    }
    /// A completed project pays its money out: a construction cost of each source's payer.
    public mutating func payProject(_ raised: [Double]) {
        for src in Source.allCases { book(raised[src.rawValue], src.payer, .construction) }
        projectsPaid += raised.reduce(0, +)
    }
    /// An abandoned project returns its money (no cost).
    public mutating func refundProject(_ raised: [Double]) { projectsRefunded += raised.reduce(0, +) }
    public mutating func collectFees(_ yuan: Double) { precondition(yuan >= 0); feesIn += yuan }
    /// Property services spend up to `yuan` of the fees collected (residents pay, co-governance).
    public mutating func spendFees(_ yuan: Double) -> Double {
        let s = min(max(0, yuan), feeBalance)
        feesSpent += s
        book(s, .residents, .governance)
        return s
    }
    /// Micro-fund spending by rule; returns what was spent (community funds pay).
    public mutating func microfundSpend(_ x: Double, on use: MicrofundUse) -> Double {
        let s = microfundSpend(x)
        switch use {
        case .help: microfundHelp += s; book(s, .communityFunds, .sharing)
        case .upkeep: microfundUpkeep += s; book(s, .communityFunds, .construction)
        }
        return s
    }
    public enum MicrofundUse: Sendable { case help, upkeep }
    /// The summary window opens tomorrow: remember the costs so far.
    public mutating func markWindowStart() {
        costsAtWindowStart = costs
        incentiveCostAtWindowStart = incentiveCost
        feesAtWindowStart = feesIn
    }
}

/// Who bears a cost (docs/ODD.md §7.14).
public enum Payer: Int, CaseIterable, Sendable {
    case government, communityFunds, residents, enterprises
    public var name: String { ["government", "community_funds", "residents", "enterprises"][rawValue] }
}

/// The pillar (or the incentive schemes) a cost serves.
public enum Pillar: Int, CaseIterable, Sendable {
    case deliberation, construction, governance, sharing, evaluation, incentives
    public var name: String { ["deliberation", "construction", "governance", "sharing", "evaluation", "incentives"][rawValue] }
}

extension Ledger.Source {
    /// Who pays money from this source: fiscal → government; residents' shares, crowdfunding
    /// and time-bank hours → residents; sponsors and partners → enterprises; charity (the
    /// community foundation) → community funds.
    public var payer: Payer {
        switch self {
        case .fiscal: .government
        case .residents, .crowdfunding, .timebank: .residents
        case .enterprise, .partner: .enterprises
        case .charity: .communityFunds
        }
    }
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
