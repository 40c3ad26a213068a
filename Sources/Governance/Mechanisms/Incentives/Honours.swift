import Foundation
import SimCore
import SimConfig

/// Honours ("good neighbour" titles, 社区好人) for the most active volunteers.
extension Incentives {
    /// "Good neighbour" titles to the volunteers with the most acts in the window (not honoured
    /// within a year); recognition raises intrinsic motivation.
    func awardHonours(_ c: inout Community, day: Int, _ o: IncentiveSettings.Honours) {
        let expected = o.per100Year * Double(c.hh.count) / 100 / 12
        var titles = Int(expected)
        if rng.uniform() < expected - Double(titles) { titles += 1 }
        let lastEligible = Int32(day - 360)
        for _ in 0..<titles {
            var best = -1, bestActs: Int32 = 0
            for h in 0..<c.hh.count where c.hh.roles[h] & Roles.volunteer.rawValue != 0 {
                let a = c.incentives.windowActs[h]
                if a > bestActs, c.incentives.honouredDay[h] <= lastEligible { best = h; bestActs = a }
            }
            guard best >= 0 else { break }
            c.incentives.honouredDay[best] = Int32(day)
            c.hh.motivation[best] = min(1, c.hh.motivation[best] + Float(o.motivationGain))
            c.incentives.titlesAwarded += 1
            book(&c, scheme: 3, o.costPerTitle)
        }
    }
}
