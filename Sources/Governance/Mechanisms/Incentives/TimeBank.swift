import Foundation
import SimCore
import SimConfig

/// Time bank (时间银行): holders withdraw stored hours for services they receive.
extension Incentives {
    /// Households with stored hours use some for services they receive.
    func withdrawHours(_ c: inout Community, _ t: IncentiveSettings.TimeBank) {
        let ds = Float(t.satisfactionGain)
        for h in 0..<c.hh.count where c.hh.timeBankHours[h] > 0 {
            guard rng.uniform() < t.withdrawProbability else { continue }
            let x = min(c.hh.timeBankHours[h], Float(t.withdrawHours))
            c.hh.timeBankHours[h] -= x
            c.incentives.timeBankHoursWithdrawn += Double(x)
            if ds > 0 { c.shock(h, satisfaction: ds) }
        }
    }
}
