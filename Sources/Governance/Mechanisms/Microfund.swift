import Foundation
import SimCore
import SimConfig

/// The micro-fund's spending rules (docs/ODD.md §7.8), monthly: the fund (fed by partners'
/// revenue share) spends a share of its balance on help for households in need — elderly
/// households without a car, the model's low-income proxy — and a share on upkeep, small
/// repairs that raise the environment amenity. Community funds pay; help counts as co-sharing,
/// upkeep as co-construction.
public struct MicrofundSettings: ParameterGroup {
    public init() {}
    public var helpShare: Double = 0.1
    public var upkeepShare: Double = 0.1
    public var helpGrant: Double = 200
    public var helpWeight: Double = 0.05
    public var upkeepCost: Double = 25_000

    public static let parameters = ParameterTable<Self>("microfund", [
        .number(\.helpShare, "help_share", 0...1, unit: "share of balance per month",
                "Share of the micro-fund balance spent each month on help for households in need (elderly without a car).",
                source: "Chengdu case: the micro-fund serves needy residents; rough prior"),
        .number(\.upkeepShare, "upkeep_share", 0...1, unit: "share of balance per month",
                "Share of the micro-fund balance spent each month on upkeep and small repairs (environment amenity).",
                source: "Chengdu case: the micro-fund pays for public facilities; rough prior"),
        .number(\.helpGrant, "help_grant", 1...1e6, unit: "yuan per household",
                "Help one household in need receives in a month it is helped.", source: "rough prior"),
        .number(\.helpWeight, "help_weight", 0...1, unit: "satisfaction", "Satisfaction shock of a household helped.",
                source: "rough prior (the size of a partner's public-benefit service)"),
        .number(\.upkeepCost, "upkeep_cost", 1...1e9, unit: "yuan per household per amenity level",
                "Upkeep that closes the whole distance to the best environment level, per household; spending s closes s / (cost × households) of it.",
                source: "the Chaoyang renovation's price: 8 M yuan for 600 households closing half the distance ≈ 26,700; rough"),
    ])
}

public struct Microfund: Mechanism {
    public typealias Parameters = MicrofundSettings
    public static let name = "microfund"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.microfund
        let balance = c.ledger.microfundBalance
        guard balance > 0 else { return }
        // Help: grants to households in need drawn at random, as far as the budget goes.
        let grants = Int(s.helpShare * balance / s.helpGrant)
        if grants > 0 {
            var needy = c.hh.inNeed()
            let m = min(grants, needy.count)
            for i in 0..<m {
                needy.swapAt(i, i + rng.int(below: needy.count - i))
                c.shock(needy[i], satisfaction: Float(s.helpWeight))
            }
            _ = c.ledger.microfundSpend(Double(m) * s.helpGrant, on: .help)
        }
        let upkeep = c.ledger.microfundSpend(s.upkeepShare * balance, on: .upkeep)
        if upkeep > 0 { c.improve(.environment, by: upkeep / (s.upkeepCost * Double(max(1, c.hh.count)))) }
    }
}

extension Households {
    /// Households in need, in household order: elderly households without a car, the model's
    /// low-income proxy — whom the micro-fund's help and the time bank's services reach.
    func inNeed() -> [Int] { (0..<count).filter { age[$0] == AgeGroup.elderly.rawValue && !car[$0] } }
}
