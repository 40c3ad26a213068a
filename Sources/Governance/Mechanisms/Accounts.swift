import Foundation
import SimCore
import SimConfig

/// Costs by payer and by pillar (docs/ODD.md §7.14), daily bookkeeping, last in the process
/// order. Money is booked where it is spent (projects at completion, fees, the micro-fund,
/// incentives); here, once a month, staff time and volunteers' time are valued in yuan:
/// grid workers' hours (co-governance), council meetings (co-deliberation), survey interviews
/// and staff home visits (co-evaluation), the home-visit scheme's visits (staff) and volunteer
/// sessions (residents' time, incentives). The day before the summary window opens the costs
/// so far are remembered, so the cost outputs are yuan per year over the window.
public struct AccountSettings: ParameterGroup {
    public init() {}
    public var staffHourValue: Double = 40
    public var gridWorkerHours: Double = 174
    public var councilHours: Double = 8
    public var interviewHours: Double = 0.25
    public var visitHours: Double = 1
    public var volunteerSessionHours: Double = 2

    public static let parameters = ParameterTable<Self>("accounts", [
        .number(\.staffHourValue, "staff_hour_value", 0...10_000, unit: "yuan per hour",
                "Cost of an hour of a community worker's time, social insurance included.",
                source: "rough prior: about 7,000 yuan a month for 174 hours in a large city"),
        .number(\.gridWorkerHours, "grid_worker_hours", 0...720, unit: "hours per month", "Hours a grid worker works in a month.",
                source: "full time: 21.75 days × 8 hours"),
        .number(\.councilHours, "council_hours", 0...1000, unit: "staff hours per council",
                "Staff time of one council meeting: preparing, chairing, minutes.", source: "rough prior"),
        .number(\.interviewHours, "interview_hours", 0...100, unit: "staff hours per household drawn",
                "Staff time per household drawn in a survey.", source: "rough prior: a 15-minute interview"),
        .number(\.visitHours, "visit_hours", 0...100, unit: "staff hours per visit", "Staff time of one home visit.", source: "rough prior"),
        .number(\.volunteerSessionHours, "volunteer_session_hours", 0...24, unit: "hours per session",
                "Volunteer time of one session (valued at construction.volunteer_hour_value, paid in kind by residents).",
                source: "rough prior; the time bank stores 2 hours a session"),
    ])
}

/// Counters seen at the last monthly valuation (the deltas are this month's work).
public struct AccountState: Sendable, Equatable {
    public var staffVisits = 0
    public var schemeVisits = 0
    public var volunteerSessions = 0
    public init() {}
}

public struct Accounts: Mechanism {
    public typealias Parameters = AccountSettings
    public static let name = "accounts"
    public let cadence = Cadence.daily
    public init(streams: StreamSet) {}

    public mutating func step(_ c: inout Community, day: Int) {
        let sim = c.settings.simulation
        if day == 0 {
            c.ledger.accountsSeen = AccountState()
            c.ledger.accountsSeen.staffVisits = c.evaluation.visitsTotal
        }
        if Cadence.monthly.fires(on: day) { valueTime(&c, day: day) }
        if day == sim.days - sim.summaryDays - 1 { c.ledger.markWindowStart() }
    }

    /// This month's staff and volunteer time, valued.
    func valueTime(_ c: inout Community, day: Int) {
        let a = c.settings.accounts
        let wage = a.staffHourValue
        var seen = c.ledger.accountsSeen
        let workers = Double(c.settings.governance.gridWorkersPerGrid * c.settings.population.grids)
        c.ledger.book(workers * a.gridWorkerHours * wage, .government, .governance)
        let since = Int32(day - 30)
        let councils = c.deliberation.votes.reversed().prefix { $0.day > since }.count
        c.ledger.book(Double(councils) * a.councilHours * wage, .government, .deliberation)
        if c.evaluation.last.day == day { c.ledger.book(Double(c.evaluation.last.sampled) * a.interviewHours * wage, .government, .evaluation) }
        let staffVisits = max(0, c.evaluation.visitsTotal - seen.staffVisits)
        c.ledger.book(Double(staffVisits) * a.visitHours * wage, .government, .evaluation)
        let schemeVisits = max(0, c.incentives.homeVisits - seen.schemeVisits)
        c.ledger.book(Double(schemeVisits) * a.visitHours * wage, .government, .incentives)
        let sessions = max(0, c.incentives.volunteerSessions - seen.volunteerSessions)
        c.ledger.book(Double(sessions) * a.volunteerSessionHours * c.settings.construction.volunteerHourValue, .residents, .incentives)
        seen.staffVisits = c.evaluation.visitsTotal
        seen.schemeVisits = c.incentives.homeVisits
        seen.volunteerSessions = c.incentives.volunteerSessions
        c.ledger.accountsSeen = seen
    }
}

extension Community {
    /// Yuan per year from the start of the summary window (or of the run, before it opens) to
    /// `day`: `total` is the amount since day 0, `atStart` the amount when the window opened.
    func perYear(_ total: Double, atStart: Double, day: Int) -> Double {
        let sim = settings.simulation
        let start = max(0, sim.days - sim.summaryDays)
        let (amount, days) = day >= start ? (total - atStart, day - start + 1) : (total, day + 1)
        return amount / (Double(max(1, days)) / Double(Calendar360.daysPerYear))
    }

    func observeAccounts(day: Int, into out: inout OutputRow) {
        let l = ledger
        var byPayer = [Double](repeating: 0, count: Payer.allCases.count)
        var byPillar = [Double](repeating: 0, count: Pillar.allCases.count)
        for p in Payer.allCases {
            for q in Pillar.allCases {
                let total = l.cost(p, q), atStart = total - l.cost(p, q, sinceWindowStart: true)
                let y = perYear(total, atStart: atStart, day: day)
                byPayer[p.rawValue] += y
                byPillar[q.rawValue] += y
            }
        }
        for p in Payer.allCases { out[Output.costByPayer[p.rawValue]] = byPayer[p.rawValue] }
        for q in Pillar.allCases { out[Output.costByPillar[q.rawValue]] = byPillar[q.rawValue] }
        out[.costTotal] = byPayer.reduce(0, +)
        out[.incentiveCost] = perYear(l.incentiveCost, atStart: l.incentiveCostAtWindowStart, day: day)
        out[.feeRevenue] = perYear(l.feesIn, atStart: l.feesAtWindowStart, day: day)
    }
}

extension Accounts {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeAccounts(day: day, into: &out) }
}

extension Output {
    /// The cost outputs by payer (`Payer` order) and by pillar (`Pillar` order).
    public static let costByPayer: [Output] = [.costGovernment, .costCommunityFunds, .costResidents, .costEnterprises]
    public static let costByPillar: [Output] = [.costDeliberation, .costConstruction, .costGovernance, .costSharing, .costEvaluation, .costIncentives]

    /// Unit, definition and topic of the cost outputs (docs/ODD.md §7.14): yuan per year over
    /// the summary window (the last `simulation.summary_days`; before it opens, since day 0).
    static let costDictionary: [Output: (unit: String, definition: String, topic: String)] = [
        .costGovernment: ("yuan per year", "cost borne by the government (fiscal project money, staff time valued, incentives) per year over the summary window", "costs"),
        .costCommunityFunds: ("yuan per year", "cost borne by community funds (micro-fund help and upkeep, charity grants to projects) per year over the summary window", "costs"),
        .costResidents: ("yuan per year", "cost borne by residents (assessed shares, crowdfunding and time-bank hours paid into completed projects, property fees, volunteer time valued) per year over the summary window", "costs"),
        .costEnterprises: ("yuan per year", "cost borne by enterprises (sponsorship and pledges paid into completed projects) per year over the summary window", "costs"),
        .costDeliberation: ("yuan per year", "cost of co-deliberation (staff time of councils) per year over the summary window", "costs"),
        .costConstruction: ("yuan per year", "cost of co-construction (money paid into completed projects, micro-fund upkeep) per year over the summary window", "costs"),
        .costGovernance: ("yuan per year", "cost of co-governance (grid workers' time, property fees spent on services) per year over the summary window", "costs"),
        .costSharing: ("yuan per year", "cost of co-sharing (micro-fund help for households in need) per year over the summary window", "costs"),
        .costEvaluation: ("yuan per year", "cost of co-evaluation (staff time of survey interviews and home visits) per year over the summary window", "costs"),
        .costIncentives: ("yuan per year", "cost of the incentive schemes (money spent, home-visit scheme staff time, volunteer time) per year over the summary window", "costs"),
        .costTotal: ("yuan per year", "all costs per year over the summary window (the sum by payer = the sum by pillar)", "costs"),
        .feeRevenue: ("yuan per year", "property fees collected per year over the summary window (spent on property services)", "costs"),
    ]
}
