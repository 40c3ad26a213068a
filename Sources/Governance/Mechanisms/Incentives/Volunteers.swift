import Foundation
import SimCore
import SimConfig

/// Active volunteers: the initial volunteers, monthly sessions, joining after repeated acts,
/// lapsing, recruitment, and their share of the mediation capacity.
extension Incentives {
    /// Initial volunteers (every mode): households drawn at random and accepted with their
    /// relative propensity σ(L − a₀), until the initial share holds the role.
    func seedVolunteers(_ c: inout Community, day: Int) {
        let n = c.hh.count
        let target = Int((c.settings.incentives.volunteers.initialShare * Double(n)).rounded())
        var have = 0, tries = 0
        while have < target, tries < 50 * max(1, target) {
            tries += 1
            let h = rng.int(below: n)
            if c.hh.roles[h] & Roles.volunteer.rawValue != 0 { continue }
            if rng.uniform() < Double(sigmoidF(Community.participationLogit(reading: &c, h, day: day) - c.anchorLogit)) {
                c.hh.roles[h] |= Roles.volunteer.rawValue
                have += 1
            }
        }
    }

    /// Volunteer sessions, joining after repeated acts, lapsing, and recruitment.
    func volunteerMonth(_ c: inout Community, day: Int, _ v: IncentiveSettings.Volunteers, _ tb: IncentiveSettings.TimeBank) {
        let n = c.hh.count
        let cutoff = Int32(day - c.settings.participation.windowDays)
        let session = Float(v.sessionLogit + (tb.enabled ? tb.volunteerLogit : 0))
        // With the time bank on, each session is an hour of service matched to a household in
        // need (elderly without a car, as the micro-fund's help), drawn at random.
        let needy = tb.enabled ? c.hh.inNeed() : []
        for h in 0..<n {
            if c.hh.roles[h] & Roles.volunteer.rawValue != 0 {
                if v.sessionsPerMonth > 0 {
                    let p = Double(sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .volunteer) + session))
                    for _ in 0..<v.sessionsPerMonth where rng.uniform() < p {
                        c.recordAct(h, .volunteer, day: day)
                        c.earnPoints(h, for: .volunteer)
                        c.incentives.volunteerSessions += 1
                        if tb.enabled {
                            c.hh.timeBankHours[h] += Float(tb.hoursPerSession)
                            if !needy.isEmpty { serveInNeed(&c, needy[rng.int(below: needy.count)], day: day) }
                        }
                    }
                }
                let quit = c.hh.lastAct[h] <= cutoff ? 1 - (1 - v.quitProbability) * (1 - v.attrition) : v.attrition
                if rng.bernoulli(quit) {
                    c.hh.roles[h] &= ~Roles.volunteer.rawValue
                }
            } else if Int(c.incentives.windowActs[h]) >= v.thresholdActs, rng.bernoulli(v.joinProbability * Double(c.hh.motivation[h])) {
                c.hh.roles[h] |= Roles.volunteer.rawValue
            }
        }
        let asks = rng.poisson(v.recruitPer100Month * Double(n) / 100)
        for _ in 0..<asks {
            let h = rng.int(below: n)
            guard c.hh.roles[h] & Roles.volunteer.rawValue == 0 else { continue }
            if rng.uniform() < Double(sigmoidF(Community.participationLogit(reading: &c, h, day: day) + Float(v.recruitLogit))) {
                c.hh.roles[h] |= Roles.volunteer.rawValue
            }
        }
    }

    /// Count volunteers and replace this mechanism's share of the mediation capacity.
    func countVolunteers(_ c: inout Community, day: Int) {
        let cutoff = Int32(day - c.settings.participation.windowDays)
        var all = 0, active = 0
        for h in 0..<c.hh.count where c.hh.roles[h] & Roles.volunteer.rawValue != 0 {
            all += 1
            if c.hh.lastAct[h] > cutoff { active += 1 }
        }
        c.incentives.volunteers = all
        c.incentives.volunteersActive = active
        let v = c.settings.incentives.volunteers
        let contribution = v.enabled ? v.mediationGain * Double(active) / (Double(max(1, c.hh.count)) / 100) : 0
        c.mediationCapacity += contribution - c.incentives.mediationContribution
        c.incentives.mediationContribution = contribution
    }
}
