import Foundation
import SimCore
import SimConfig

/// Time bank (时间银行): volunteers' sessions serve households in need, and holders withdraw
/// stored hours for services they receive.
extension Incentives {
    /// A volunteer session of the time bank serves household h (meals, shopping, cleaning, an
    /// escort down the stairs): the day is remembered, and while it lies in the participation
    /// window the household's stairs grievance is eased (`satisfaction.grievance.help_relief`,
    /// Expectations.swift). Chinese time banks match volunteers' hours to registered elderly
    /// residents' requests (Nanjing, Shanghai, Hangzhou; Collom 2008; Seyfang 2003).
    func serveInNeed(_ c: inout Community, _ h: Int, day: Int) {
        c.incentives.helpedDay[h] = Int32(day)
        c.incentives.timeBankHelps += 1
    }

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
