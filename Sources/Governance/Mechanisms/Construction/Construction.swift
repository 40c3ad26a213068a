import Foundation
import SimCore
import SimConfig

public struct Construction: Mechanism {
    public typealias Parameters = ConstructionSettings
    public static let name = "construction"
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        if day - c.construction.yearStart >= Calendar360.daysPerYear {
            c.construction.yearStart = day
            c.construction.fiscalSpentThisYear = 0
        }
        // Scenario projects start on their day whether or not resolutions make projects.
        while let next = c.construction.scheduled.first, next.startDay <= day {
            c.construction.scheduled.removeFirst()
            let id = c.construction.projects.count
            c.construction.projects.append(Project(id: id, plan: next))
        }
        let weekly = Cadence.weekly.fires(on: day)
        var building = false
        for i in c.construction.projects.indices {
            let p = c.construction.projects[i]
            switch p.phase {
            case .funding where p.plan.startDay == day:
                raiseMoney(i, &c, day: day)
            case .funding where day >= p.plan.startDay + p.plan.fundingDays:
                closeFunding(i, &c, day: day)
            case .building:
                building = true
                if day >= p.plan.startDay + p.plan.fundingDays + p.plan.durationDays {
                    c.construction.projects[i].phase = .done
                    c.construction.projects[i].finishDay = day
                    c.ledger.payProject(p.raised)
                    c.improve(p.plan.category, by: p.plan.gain * p.fundedShare)
                }
            default: break
            }
        }
        if building, weekly {
            let s = c.settings.construction
            let loss = Float(s.disturbance * (s.phased ? 0.5 : 1))
            for h in 0..<c.hh.count { c.hh.experience[h] -= loss }
        }
    }

    /// Pledges at the start of the funding period: fiscal money, assessed shares, sponsorship,
    /// crowdfunding, charity and volunteer hours. Booked in the ledger as raised.
    func raiseMoney(_ i: Int, _ c: inout Community, day: Int) {
        let s = c.settings.construction
        var plan = c.construction.projects[i].plan
        if plan.cost.isNaN { plan.cost = s.costMedian * exp(s.costSigma * rng.gaussian(1)) }
        c.construction.projects[i].plan = plan
        var raised = [Double](repeating: 0, count: Ledger.Source.allCases.count)
        // Fiscal guidance money within the project cap and what is left of the year's budget
        // (communities ranked first by the evaluation get theirs in full first — district mode).
        let budgetLeft = plan.fromResolution
            ? max(0, s.fiscalBudgetPerYear * c.fiscalPriority - c.construction.fiscalSpentThisYear) : Double.infinity
        let fiscal = min(plan.fiscalShare * plan.cost, plan.fiscalCap, budgetLeft)
        if plan.fromResolution { c.construction.fiscalSpentThisYear += fiscal }
        raised[Ledger.Source.fiscal.rawValue] = fiscal
        // Residents' assessed shares, paid when willingness to pay covers them.
        let n = c.hh.count
        var coef = [Double](repeating: 1, count: n)
        if plan.byFloor {
            for h in 0..<n { coef[h] = s.assessmentCoefficient(floor: Int(c.hh.floor[h])) }
        }
        let coefSum = coef.reduce(0, +)
        let residentsDue = plan.residentsShare * plan.cost
        let since = Int32(day - c.settings.participation.windowDays)
        // What the project gains a household: the amenity level it adds to its category
        // (`improve`), relative to the reference 0.05 of `wtp_median`.
        let level = c.amenity[plan.category.rawValue]
        let benefit = min(1, max(0, plan.gain)) * (1 - level) / ConstructionSettings.referenceLevelAdded
        for h in 0..<n {
            let assessed = coefSum > 0 ? residentsDue * coef[h] / coefSum : 0
            let protest = rng.bernoulli(s.protestZero)
            var wtp = protest ? 0 : s.wtpMedian * benefit * exp(s.wtpSigma * rng.gaussian(1)) * c.wtpFactor(h, s, byFloor: plan.byFloor)
            wtp *= max(0, 1 + s.wtpTrustWeight * (Double(c.hh.trust[h]) - 0.5))
            let voiced = c.deliberation.lastAttended.count == n && c.deliberation.lastAttended[h] > since
            if voiced { wtp *= 1 + s.voiceBoost }
            // Paying an assessed share is a contribution, not a voluntary act: it is counted by
            // `contribution_share`, not by participation (crowdfunding beyond the share is an act).
            if assessed > 0 {
                c.construction.assessed += 1
                if wtp >= assessed {
                    raised[Ledger.Source.residents.rawValue] += assessed
                    c.construction.paid += 1
                }
            }
            if s.crowdfunding, !protest {
                let p = sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .contribution) + Float(s.crowdfundingIntercept))
                if rng.uniform() < Double(p) {
                    raised[Ledger.Source.crowdfunding.rawValue] += rng.exponential(mean: s.crowdfundingMean)
                    c.recordAct(h, .contribution, day: day)
                }
            }
        }
        // Enterprise sponsorship in cash or kind (awards for enterprises raise the propensity).
        let propensity = min(1, s.sponsorPropensity * c.enterpriseAwardMultiplier)
        for _ in 0..<s.sponsorCandidates where rng.bernoulli(propensity) {
            raised[Ledger.Source.enterprise.rawValue] += rng.exponential(mean: s.sponsorshipMean)
        }
        raised[Ledger.Source.enterprise.rawValue] += plan.enterprisePledge
        if rng.bernoulli(s.charityProbability) { raised[Ledger.Source.charity.rawValue] += s.charityShare * plan.cost }
        // Volunteer hours from the time bank, valued in yuan.
        var hours = 0.0
        for h in 0..<n where c.hh.timeBankHours[h] >= 1 {
            let give = Double(min(c.hh.timeBankHours[h], 4))
            c.hh.timeBankHours[h] -= Float(give)
            hours += give
        }
        raised[Ledger.Source.timebank.rawValue] = hours * s.volunteerHourValue
        // Nothing beyond the cost is taken: over-subscription is returned, last sources first.
        var excess = raised.reduce(0, +) - plan.cost
        for src in Ledger.Source.allCases.reversed() where excess > 0 {
            let cut = min(excess, raised[src.rawValue])
            raised[src.rawValue] -= cut
            excess -= cut
        }
        c.construction.projects[i].raised = raised
    }

    /// At the deadline: book the money, measure the gap, and start building (full scope when
    /// the gap is within tolerance, reduced scope above the minimum, abandoned below it).
    func closeFunding(_ i: Int, _ c: inout Community, day: Int) {
        let s = c.settings.construction
        var p = c.construction.projects[i]
        for src in Ledger.Source.allCases { c.ledger.raise(p.raised[src.rawValue], from: src) }
        let total = p.totalRaised
        p.gap = max(0, p.plan.cost - total)
        let funded = p.plan.cost > 0 ? min(1, total / p.plan.cost) : 1
        if p.gap <= s.gapTolerance * p.plan.cost {
            p.fundedShare = 1
            p.phase = .building
        } else if funded >= s.minimumFunded {
            p.fundedShare = funded
            p.phase = .building
        } else {
            p.fundedShare = 0
            p.phase = .abandoned
            p.finishDay = day
            c.ledger.refundProject(p.raised)
        }
        c.construction.projects[i] = p
    }
}

extension Community {
    /// Household `h`'s WTP relative to the reference household's (owner, no car, not elderly,
    /// floor 3): what it gains — floor on by-floor projects (floors 1–2 gain little or lose,
    /// upper floors gain most), tenure and the time it expects to stay — and its means (car
    /// ownership and age as income proxies).
    func wtpFactor(_ h: Int, _ s: ConstructionSettings, byFloor: Bool) -> Double {
        var f = 1.0
        if byFloor {
            let floor = Int(hh.floor[h])
            f *= floor <= 2 ? s.lowFloorFactor : 1 + s.floorGain * Double(floor - 3)
        }
        if hh.tenure[h] == Tenure.tenant.rawValue { f *= s.tenantFactor }
        if hh.car[h] { f *= s.carFactor }
        if hh.age[h] == AgeGroup.elderly.rawValue { f *= s.elderlyFactor }
        return f
    }

    /// Outputs of co-construction, over every project whose funding deadline has passed.
    func observeConstruction(day: Int, into out: inout OutputRow) {
        let closed = construction.projects.filter { !$0.gap.isNaN }
        if !closed.isEmpty {
            out[.fundingGap] = closed.map(\.gap).reduce(0, +) / Double(closed.count)
            let tolerance = settings.construction.gapTolerance
            out[.fundingGapProbability] = Double(closed.filter { $0.gap > tolerance * $0.plan.cost }.count) / Double(closed.count)
        }
        out[.projectsCompleted] = Double(construction.projects.filter { $0.phase == .done }.count)
        if construction.assessed > 0 { out[.contributionShare] = Double(construction.paid) / Double(construction.assessed) }
    }

    /// Share of the yearly fiscal budget this community may use (1; district mode raises it
    /// for the communities the evaluation ranks first and lowers it for the rest).
    var fiscalPriority: Double { evaluation.fiscalMultiplier }
    /// Multiplier on enterprises' sponsorship propensity (awards for enterprises raise it).
    var enterpriseAwardMultiplier: Double { 1 + incentives.enterpriseAwardBoost }
}
