import Foundation
import SimCore
import SimConfig

/// Co-construction (共建), daily (docs/ODD.md §3): projects come from deliberation's
/// resolutions or from the scenario's `projects:` list, each with a cost, a duration and a
/// funding plan — fiscal share and cap, residents' share (optionally by floor coefficient),
/// enterprise sponsorship in cash or kind, crowdfunding, charity, volunteer hours from the
/// time bank. Households pay their assessed share when their willingness to pay covers it
/// (lognormal with protest zeros). The funding gap is the cost minus the money raised by the
/// deadline. Building disturbs residents; completion raises the amenity of the category.
public struct ConstructionSettings: ParameterGroup {
    public init() {}
    public var enabled: Bool = false
    public var costMedian: Double = 120_000
    public var costSigma: Double = 0.6
    public var durationDays: Int = 60
    public var fundingDays: Int = 60
    public var fiscalShare: Double = 0.5
    public var fiscalCap: Double = 500_000
    public var fiscalBudgetPerYear: Double = 1_000_000
    public var residentsShare: Double = 0.3
    public var byFloor: Bool = false
    public var sponsorCandidates: Int = 3
    public var sponsorPropensity: Double = 0.3
    public var sponsorshipMean: Double = 20_000
    public var crowdfunding: Bool = true
    public var crowdfundingIntercept: Double = -2.5
    public var crowdfundingMean: Double = 200
    public var charityProbability: Double = 0.3
    public var charityShare: Double = 0.05
    public var volunteerHourValue: Double = 25
    public var wtpMedian: Double = 400
    public var wtpSigma: Double = 1.0
    public var protestZero: Double = 0.3
    public var wtpTrustWeight: Double = 1.0
    public var voiceBoost: Double = 0.3
    public var gain: Double = 0.1
    public var gapTolerance: Double = 0.05
    public var minimumFunded: Double = 0.5
    public var disturbance: Double = 0.003
    public var phased: Bool = true

    public static let parameters = ParameterTable<Self>("construction", [
        .flag(\.enabled, "enabled", "Co-construction (共建): projects with mixed funding.", source: "five-pillars essay, co-construction"),
        .number(\.costMedian, "cost_median", 0...1e9, unit: "yuan", "Median cost of a project arising from a resolution (lognormal).",
                source: "rough prior: small works; elevators ~500k"),
        .number(\.costSigma, "cost_sigma", 0...3, unit: "log-sd", "Spread of project costs.", source: "rough prior"),
        .count(\.durationDays, "duration_days", 1...3600, unit: "days", "Construction time of a project from a resolution.", source: "rough prior"),
        .count(\.fundingDays, "funding_days", 1...3600, unit: "days", "Time to raise the money; the gap is measured at this deadline.", source: "rough prior"),
        .number(\.fiscalShare, "fiscal_share", 0...1, unit: "share", "Fiscal guidance money as a share of cost (财政补一点).",
                source: "国办发〔2020〕23号 tiers: basic works mainly fiscal"),
        .number(\.fiscalCap, "fiscal_cap", 0...1e10, unit: "yuan", "Most fiscal money one project can get.", source: "Shanghai elevator subsidy up to 240k; rough"),
        .number(\.fiscalBudgetPerYear, "fiscal_budget_per_year", 0...1e11, unit: "yuan per year",
                "The community's fiscal budget for projects, renewed every 360 days.", source: "rough prior"),
        .number(\.residentsShare, "residents_share", 0...1, unit: "share", "Residents' share of cost (居民出一点), assessed per household.",
                source: "Chaoyang case split 60/30/10"),
        .flag(\.byFloor, "by_floor", "Residents' share by floor coefficient: floors 1–2 pay nothing, floors 3… pay 0.7, 0.8, … up to 1.3.",
              source: "one published scheme"),
        .count(\.sponsorCandidates, "sponsor_candidates", 0...1000, unit: "enterprises", "Enterprises asked to sponsor each project (brand exposure).",
             source: "rough prior"),
        .number(\.sponsorPropensity, "sponsor_propensity", 0...1, unit: "probability", "Chance an asked enterprise sponsors (CSR).", source: "rough prior"),
        .number(\.sponsorshipMean, "sponsorship_mean", 0...1e9, unit: "yuan", "Mean sponsorship in cash or kind (exponential).", source: "rough prior"),
        .flag(\.crowdfunding, "crowdfunding", "Residents may crowd-fund beyond their assessed share.", source: "five-pillars essay, co-construction"),
        .number(\.crowdfundingIntercept, "crowdfunding_intercept", -10...10, unit: "logit", "Added to the participation logit for a voluntary contribution.",
                source: "conditional cooperation: ~50 % conditional cooperators (Fischbacher et al. 2001); rough"),
        .number(\.crowdfundingMean, "crowdfunding_mean", 0...1e7, unit: "yuan", "Mean voluntary contribution (exponential).", source: "rough prior"),
        .number(\.charityProbability, "charity_probability", 0...1, unit: "probability", "Chance a community foundation funds part of a project.",
                source: "rough prior"),
        .number(\.charityShare, "charity_share", 0...1, unit: "share", "Share of cost a foundation grant covers.", source: "rough prior"),
        .number(\.volunteerHourValue, "volunteer_hour_value", 0...10_000, unit: "yuan per hour",
                "Value of a volunteer hour from the time bank put into a project (booked as time-bank money).", source: "local minimum wage, rough"),
        .number(\.wtpMedian, "wtp_median", 0...1e8, unit: "yuan", "Median willingness to pay for a project among those not protesting.",
                source: "rough prior; WTP lognormal"),
        .number(\.wtpSigma, "wtp_sigma", 0...5, unit: "log-sd", "Spread of willingness to pay.", source: "rough prior"),
        .number(\.protestZero, "protest_zero", 0...1, unit: "share", "Share of households who pay nothing in protest.",
                source: "20–40 % protest zeros"),
        .number(\.wtpTrustWeight, "wtp_trust_weight", 0...10, unit: "per unit trust", "WTP × (1 + w · (T − ½)).", source: "rough prior"),
        .number(\.voiceBoost, "voice_boost", 0...5, unit: "relative", "WTP of households who took part in deliberation rises by this share.",
                source: "Mertins & Walter 2020: voice raises contributions"),
        .number(\.gain, "gain", 0...1, unit: "amenity level", "Share of the distance to the best amenity level the project closes in its category (× funded share).",
                source: "calibrated"),
        .number(\.gapTolerance, "gap_tolerance", 0...1, unit: "share of cost", "A gap up to this share is absorbed (contingency): full scope.",
                source: "rough prior"),
        .number(\.minimumFunded, "minimum_funded", 0...1, unit: "share of cost", "Below this funded share the project is abandoned; between, scope shrinks.",
                source: "rough prior"),
        .number(\.disturbance, "disturbance", 0...1, unit: "satisfaction per week", "Weekly satisfaction loss of the compound's households during building.",
                source: "Chaoyang case: construction disturbs; rough"),
        .flag(\.phased, "phased", "Phased, staggered work halves the disturbance.", source: "Chaoyang case"),
    ])

}

/// A project's specification and funding plan. Projects from resolutions take the plan from
/// the settings; the scenario's `projects:` list gives its own.
public struct ProjectPlan: Sendable, Equatable {
    public var name: String
    public var category: AmenityCategory
    public var cost: Double
    public var startDay: Int
    public var durationDays: Int
    public var fundingDays: Int
    public var fiscalShare: Double
    public var fiscalCap: Double
    public var residentsShare: Double
    public var byFloor: Bool
    /// Enterprise money in cash or kind pledged in the plan (yuan), beyond sponsorship drawn.
    public var enterprisePledge: Double
    public var gain: Double
    /// Projects from resolutions draw on the community's yearly fiscal budget; scenario
    /// projects come with their own allocation (their cap).
    public var fromResolution = false
}

public struct Project: Sendable {
    public enum Phase: Sendable, Equatable { case funding, building, done, abandoned }
    public var id: Int
    public var plan: ProjectPlan
    public var phase: Phase = .funding
    public var raised = [Double](repeating: 0, count: Ledger.Source.allCases.count)
    public var gap: Double = .nan
    public var fundedShare: Double = 0
    public var finishDay = -1
    public var totalRaised: Double { raised.reduce(0, +) }
}

/// Co-construction state of one community.
public struct ConstructionState: Sendable {
    public var projects: [Project] = []
    /// Scenario projects not started yet.
    public var scheduled: [ProjectPlan] = []
    public var fiscalSpentThisYear = 0.0
    public var yearStart = 0
    /// Households assessed a residents' share in the funding rounds so far, and those who paid it.
    public var assessed = 0
    public var paid = 0
    public init() {}
}

extension Community {
    /// A resolution asks for a project; returns its id.
    mutating func proposeProject(category: AmenityCategory, day: Int) -> Int {
        let s = settings.construction
        let id = construction.projects.count
        let plan = ProjectPlan(name: "resolution-\(id)", category: category, cost: .nan, startDay: day, durationDays: s.durationDays,
                               fundingDays: s.fundingDays, fiscalShare: s.fiscalShare, fiscalCap: s.fiscalCap,
                               residentsShare: s.residentsShare, byFloor: s.byFloor, enterprisePledge: 0, gain: s.gain,
                               fromResolution: true)
        construction.projects.append(Project(id: id, plan: plan))
        return id
    }
    /// When project `id` has finished or been abandoned: the day and whether it was completed.
    func projectFinished(_ id: Int) -> (day: Int, completed: Bool)? {
        guard id < construction.projects.count else { return nil }
        let p = construction.projects[id]
        switch p.phase {
        case .done: return (p.finishDay, true)
        case .abandoned: return (p.finishDay, false)
        default: return nil
        }
    }
}

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
            for h in 0..<n {
                let f = Int(c.hh.floor[h])
                coef[h] = f <= 2 ? 0 : min(1.3, 0.7 + 0.1 * Double(f - 3))
            }
        }
        let coefSum = coef.reduce(0, +)
        let residentsDue = plan.residentsShare * plan.cost
        let since = Int32(day - c.settings.participation.windowDays)
        for h in 0..<n {
            let assessed = coefSum > 0 ? residentsDue * coef[h] / coefSum : 0
            let protest = rng.bernoulli(s.protestZero)
            var wtp = protest ? 0 : s.wtpMedian * exp(s.wtpSigma * rng.gaussian(1))
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
                let p = sigmoidF(c.participationLogit(h, day: day) + Float(s.crowdfundingIntercept))
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
        }
        c.construction.projects[i] = p
    }
}

extension Community {
    /// Outputs of co-construction, over every project whose funding deadline has passed.
    func observeConstruction(day: Int, into out: inout OutputRow) {
        let closed = construction.projects.filter { !$0.gap.isNaN }
        if !closed.isEmpty {
            out[.fundingGap] = closed.map(\.gap).reduce(0, +) / Double(closed.count)
            out[.fundingGapProbability] = Double(closed.filter { $0.gap > 0 }.count) / Double(closed.count)
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

extension ProjectPlan {
    /// Decode the scenario's `projects:` list, with errors naming `projects[i].key`.
    public static func decode(_ node: ConfigNode?, defaults s: ConstructionSettings, file: String) throws -> [ProjectPlan] {
        guard let node else { return [] }
        let keys: Set<String> = ["name", "category", "cost", "start_day", "duration_days", "funding_days", "fiscal_share",
                                 "fiscal_cap", "residents_share", "by_floor", "enterprise_pledge", "gain"]
        return try node.records("projects", keys: keys, entry: "a project").enumerated().map { i, item in
            guard let cost = try item.number("cost", in: 0...1e11) else {
                throw ConfigError(at: item.origin, path: "\(item.path).cost", "missing; expected the project's cost in yuan")
            }
            let cat = try item.text("category") ?? "infrastructure"
            guard let category = AmenityCategory.allCases.first(where: { $0.name == cat }) else {
                throw ConfigError(at: item["category"]?.origin ?? item.origin, path: "\(item.path).category",
                                  "expected one of \(AmenityCategory.allCases.map(\.name).joined(separator: ", ")), got '\(cat)'")
            }
            return ProjectPlan(
                name: try item.text("name") ?? "project-\(i)", category: category, cost: cost,
                startDay: Int(try item.number("start_day", in: 0...36_000, whole: true) ?? 0),
                durationDays: Int(try item.number("duration_days", in: 1...3600, whole: true) ?? Double(s.durationDays)),
                fundingDays: Int(try item.number("funding_days", in: 1...3600, whole: true) ?? Double(s.fundingDays)),
                fiscalShare: try item.number("fiscal_share", in: 0...1) ?? s.fiscalShare,
                fiscalCap: try item.number("fiscal_cap", in: 0...1e11) ?? s.fiscalCap,
                residentsShare: try item.number("residents_share", in: 0...1) ?? s.residentsShare,
                byFloor: try item.bool("by_floor") ?? s.byFloor,
                enterprisePledge: try item.number("enterprise_pledge", in: 0...1e11) ?? 0,
                gain: try item.number("gain", in: 0...1) ?? s.gain)
        }.sorted { $0.startDay < $1.startDay }
    }
}

/// One project as it stands at the end of a replication (`projects.csv`).
public struct ProjectRecord: Sendable {
    public var community: Int
    public var name: String
    public var category: String
    public var cost: Double
    public var startDay: Int
    /// Yuan raised by source (`Ledger.Source` order).
    public var raised: [Double]
    /// NaN while the funding deadline has not passed.
    public var gap: Double
    public var fundedShare: Double
    public var phase: String
    /// Day it was completed or abandoned, or nil.
    public var finishDay: Int?

    public static let header = ["project", "category", "cost", "start_day"]
        + Ledger.Source.allCases.map { "funding_\($0.name)" } + ["raised_total", "gap", "funded_share", "phase", "finish_day"]
    /// The row after the replication and community columns (numbers in CSV form; NaN empty).
    public var fields: [String] {
        [name, category, csvNumber(cost), String(startDay)] + raised.map(csvNumber)
            + [csvNumber(raised.reduce(0, +)), csvNumber(gap), csvNumber(fundedShare), phase, finishDay.map(String.init) ?? ""]
    }
}

extension Community {
    /// Every project of this community (community index `index` in a district, else 0).
    func projectRecords(community index: Int = 0) -> [ProjectRecord] {
        construction.projects.map { p in
            let phase: String
            switch p.phase {
            case .funding: phase = "funding"
            case .building: phase = "building"
            case .done: phase = "done"
            case .abandoned: phase = "abandoned"
            }
            return ProjectRecord(community: index, name: p.plan.name, category: p.plan.category.name, cost: p.plan.cost,
                                 startDay: p.plan.startDay, raised: p.raised, gap: p.gap, fundedShare: p.fundedShare,
                                 phase: phase, finishDay: p.finishDay >= 0 ? p.finishDay : nil)
        }
    }
}

extension Construction {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeConstruction(day: day, into: &out) }
}
