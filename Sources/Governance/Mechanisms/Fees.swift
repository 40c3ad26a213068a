import Foundation
import SimCore
import SimConfig

/// Property fees (docs/ODD.md §7.13): who pays follows satisfaction, and the money pays for
/// property services — "pay less, serve less". Each quarter the fees collected are spent on
/// the property service; revenue above the baseline's (the baseline collection rate × every
/// household × the fee) raises the property-service amenity, revenue below it lets it decay.
public struct FeeSettings: ParameterGroup {
    public init() {}
    public var perMonth: Double = 20
    public var serviceWeight: Double = 0.1

    public static let parameters = ParameterTable<Self>("fees", [
        .number(\.perMonth, "per_month", 0...10_000, unit: "yuan per household per month",
                "Property fee a paying household pays.",
                source: "old Shanghai compounds under 10 yuan a month (China Daily 2018); Chongqing 2024 caps 0.6–1.35 yuan/m²/month (≈ 36–80 for 60 m²); rough prior between"),
        .number(\.serviceWeight, "service_weight", 0...10, unit: "amenity level per year per unit relative revenue",
                "Yearly change of the property-service amenity per unit of (fee revenue / baseline revenue − 1): pay less, serve less.",
                source: "rough prior; the 'pay less, serve less' spiral of property fees (reported in Chinese compounds, 2022)"),
    ])
}

/// Property-fee payment (quarterly): P(pay) = σ(logit f₀ + β (S − S₀)), f₀ the baseline collection rate.
public struct FeePayment: Mechanism {
    public typealias Parameters = FeeSettings
    public static let name = "fees"
    public let cadence = Cadence.quarterly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let a = Float(logit(c.settings.baseline.feeCollectionRate))
        let b = Float(c.settings.satisfaction.feeSensitivity)
        var payers = 0
        for h in 0..<c.hh.count {
            let ds = c.satisfaction(h) - c.hh.satisfactionBase[h] - c.satisfactionShift
            c.hh.feePaid[h] = rng.uniform() < Double(sigmoidF(a + b * ds))
            if c.hh.feePaid[h] { payers += 1 }
        }
        c.payForPropertyServices(payers: payers, day: day)
    }
}

extension Community {
    /// A quarter's fees are collected and spent on property services; the service level
    /// follows the revenue relative to the baseline's (from day 0: the warm-up is the
    /// traditional steady state the baseline describes).
    mutating func payForPropertyServices(payers: Int, day: Int) {
        let f = settings.fees
        let revenue = Double(payers) * f.perMonth * 3
        ledger.collectFees(revenue)
        _ = ledger.spendFees(revenue)
        let expected = settings.baseline.feeCollectionRate * Double(hh.count) * f.perMonth * 3
        guard expected > 0, day >= 0 else { return }
        let k = AmenityCategory.propertyService.rawValue
        amenity[k] = min(1, max(0, amenity[k] + f.serviceWeight / 4 * (revenue / expected - 1)))
    }
}
