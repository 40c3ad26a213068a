import Foundation
import SimCore
import SimConfig

/// Home visits for the elderly (上门): a monthly chance to take part at home.
extension Incentives {
    /// Staff visit a share of elderly households; a visit is a chance to take part at home.
    func visitElderly(_ c: inout Community, day: Int, _ v: IncentiveSettings.HomeVisits) {
        var visits = 0
        let ds = Float(v.satisfactionGain)
        for h in 0..<c.hh.count where c.hh.age[h] == AgeGroup.elderly.rawValue {
            guard rng.uniform() < v.coverage else { continue }
            visits += 1
            if ds > 0 { c.shock(h, satisfaction: ds) }
            // The channel's term acts on this choice only: voicing needs without going out.
            if rng.uniform() < Double(sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .agenda) + v.logit)) {
                c.recordAct(h, .agenda, day: day)
            }
        }
        c.incentives.homeVisits += visits
        c.incentives.homeVisitsRound = (day, visits)
        book(&c, scheme: 2, Double(visits) * v.costPerVisit)
    }
}
