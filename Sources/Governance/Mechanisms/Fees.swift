import Foundation
import SimCore
import SimConfig

/// Property-fee payment (quarterly): P(pay) = σ(logit f₀ + β (S − S₀)), f₀ the baseline collection rate.
public struct FeePayment: Mechanism {
    public static let name = "fees"
    public let cadence = Cadence.quarterly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let a = Float(logit(c.settings.baseline.feeCollectionRate))
        let b = Float(c.settings.satisfaction.feeSensitivity)
        for h in 0..<c.hh.count {
            let ds = c.satisfaction(h) - c.hh.satisfactionBase[h] - c.satisfactionShift
            c.hh.feePaid[h] = rng.uniform() < Double(sigmoidF(a + b * ds))
        }
    }
}
