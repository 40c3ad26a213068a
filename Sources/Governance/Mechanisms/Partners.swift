import Foundation
import SimCore
import SimConfig

/// Community partners (社区合伙人, Chengdu Wuhou), monthly (docs/ODD.md §3): the community
/// offers idle space; candidate partners (enterprises, social organisations, shops, skilled
/// residents) arrive, estimate their profit and enter when the expected return on their
/// fit-out investment clears a hurdle. A partner invests capex, runs a business, pays the
/// community its revenue share (default 30 %) into the micro-fund, owes public-benefit hours
/// (e.g. a free morning slot for the elderly), and exits after sustained losses (the
/// micro-fund's spending rules are in `Microfund.swift`). Its services
/// raise the amenity of property and community services.
public struct PartnerSettings: ParameterGroup {
    public init() {}
    public var enabled: Bool = false
    public var idleSpace: Double = 800
    public var unitSize: Double = 65
    public var candidatesPerMonth: Double = 0.8
    public var capexMedian: Double = 150_000
    public var capexSigma: Double = 0.4
    public var revenuePerM2: Double = 140
    public var revenueSigma: Double = 0.5
    public var operatingCostShare: Double = 0.35
    public var revenueShare: Double = 0.3
    public var hurdle: Double = 0.08
    public var paybackYears: Double = 10
    public var publicHoursPerMonth: Double = 9
    public var servedPerHour: Double = 0.3
    public var estimateSigma: Double = 0.4
    public var unitSigma: Double = 0.5
    public var publicServiceWeight: Double = 0.03
    public var amenityGain: Double = 0.02
    public var exitMonths: Int = 6

    public static let parameters = ParameterTable<Self>("partners", [
        .flag(\.enabled, "enabled", "Community partner model (社区合伙人): idle space for partners who share revenue and serve the public.",
              source: "Chengdu Wuhou case"),
        .number(\.idleSpace, "idle_space_m2", 0...1e6, unit: "m²", "Idle space the community can offer.", source: "Chengdu case: 800 m² revived"),
        .number(\.unitSize, "unit_m2", 1...1e5, unit: "m²", "Median space a partner asks for (lognormal with log-sd unit_sigma; it takes what is free when that is at least half of it).", source: "derived from Chengdu's outcomes (800 m² for 12 partners), not fitted: a known limitation (docs/CALIBRATION.md)"),
        .number(\.unitSigma, "unit_sigma", 0...3, unit: "log-sd", "Spread of the space partners ask for: a café needs more than a tailor.",
                source: "rough prior"),
        .number(\.estimateSigma, "estimate_sigma", 0...3, unit: "log-sd",
                "Error of a candidate's estimate of its own revenue (it enters on the estimate, earns the real revenue, and leaves after exit_months of losses).",
                source: "new ventures misjudge demand: 66 % of new US establishments survive two years and 44 % four (Knaup 2005, Monthly Labor Review, 212,182 births of 1998); rough prior"),
        .number(\.candidatesPerMonth, "candidates_per_month", 0...100, unit: "candidates per month", "Candidate partners looking at the community each month.",
                source: "rough prior (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md), informed by Chengdu's 12 partners in two years"),
        .number(\.capexMedian, "capex_median", 0...1e9, unit: "yuan", "Median fit-out investment of a partner (lognormal).",
                source: "Chengdu case: the café partner invested 150,000 yuan"),
        .number(\.capexSigma, "capex_sigma", 0...3, unit: "log-sd", "Spread of partners' investments.", source: "rough prior"),
        .number(\.revenuePerM2, "revenue_per_m2_month", 0...1e6, unit: "yuan per m² per month", "Median monthly revenue per m² of a partner's business.",
                source: "rough prior (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md), informed by Chengdu's micro-fund of 250,000 yuan in two years at 30 %"),
        .number(\.revenueSigma, "revenue_sigma", 0...3, unit: "log-sd", "Spread of partners' revenue (business quality, drawn once) — and month-to-month noise is a third of it.",
                source: "rough prior"),
        .number(\.operatingCostShare, "operating_cost_share", 0...1, unit: "share of revenue", "Operating costs (staff, goods) as a share of revenue; the space itself is free.",
                source: "rough prior for small services without rent"),
        .number(\.revenueShare, "revenue_share", 0...1, unit: "share", "Share of revenue paid to the community's micro-fund.",
                source: "Chengdu case: 30 % to the community, 70 % to the partner"),
        .number(\.hurdle, "hurdle", -1...10, unit: "return per year", "A candidate enters when its expected yearly return on capex clears this.",
                source: "Beijing Jinsong model: 8–10 % cash yield"),
        .number(\.paybackYears, "payback_years", 0.5...50, unit: "years", "Years over which a partner recovers its capex in its return estimate.",
                source: "Jinsong: recovered over ~10 years"),
        .number(\.publicHoursPerMonth, "public_hours_per_month", 0...720, unit: "hours per month", "Public-benefit service each partner owes per month.",
                source: "Chengdu case: free 9–11 am slot (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md), informed by Chengdu's 2,000+ hours in two years"),
        .number(\.servedPerHour, "served_per_hour", 0...100, unit: "households per hour",
                "Elderly households served per hour of a partner's public-benefit service (a free morning slot): each month the hours owed serve this many, drawn among the elderly.",
                source: "rough prior: a two-hour free slot serves a few older residents"),
        .number(\.publicServiceWeight, "public_service_weight", 0...1, unit: "satisfaction", "Satisfaction shock for a household using a public-benefit service.",
                source: "rough prior"),
        .number(\.amenityGain, "amenity_gain", 0...1, unit: "amenity level", "Gain of the property-service amenity when a partner opens (lost when it leaves).",
                source: "rough prior (default); fitted jointly on every case (Scenarios/calibrated.yaml, docs/CALIBRATION.md), informed by Chengdu's satisfaction +35 points"),
        .count(\.exitMonths, "exit_months", 1...120, unit: "months", "A partner exits after this many months in a row of losses.", source: "rough prior"),
    ])

}

/// One partner in a space.
public struct Partner: Sendable {
    public var space: Double
    public var capex: Double
    /// Median monthly revenue of this business (its quality).
    public var revenue: Double
    public var lossMonths = 0
}

/// Partner state of one community.
public struct PartnerState: Sendable {
    public var active: [Partner] = []
    public var entered = 0
    public var exited = 0
    public var publicHours = 0.0
    /// Fit-out capex the partners who entered have invested in their own ventures (yuan).
    public var investment = 0.0
    public init() {}
    public var spaceUsed: Double { active.reduce(0) { $0 + $1.space } }
}

public struct Partners: Mechanism {
    public typealias Parameters = PartnerSettings
    public static let name = "partners"
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.partners
        guard s.enabled else { return }
        // Operations: revenue, the community's share to the micro-fund, public-benefit hours, exits.
        var i = 0
        while i < c.partners.active.count {
            var p = c.partners.active[i]
            let revenue = p.revenue * exp(s.revenueSigma / 3 * rng.gaussian(1))
            let share = s.revenueShare * revenue
            c.ledger.microfundDeposit(share)
            c.partners.publicHours += s.publicHoursPerMonth
            let profit = revenue - share - s.operatingCostShare * revenue - p.capex / (s.paybackYears * 12)
            p.lossMonths = profit < 0 ? p.lossMonths + 1 : 0
            if p.lossMonths >= s.exitMonths {
                c.partners.active.remove(at: i)
                c.partners.exited += 1
                c.amenity[AmenityCategory.propertyService.rawValue] = max(0, c.amenity[AmenityCategory.propertyService.rawValue] - s.amenityGain)
            } else {
                c.partners.active[i] = p
                i += 1
            }
        }
        // Public-benefit hours serve elderly households: hours × households per hour, drawn among the elderly.
        let served = s.servedPerHour * s.publicHoursPerMonth * Double(c.partners.active.count)
        if served > 0 {
            let elderly = c.hh.age.lazy.filter { $0 == AgeGroup.elderly.rawValue }.count
            let uptake = elderly > 0 ? min(1, served / Double(elderly)) : 0
            for h in 0..<c.hh.count where c.hh.age[h] == AgeGroup.elderly.rawValue && rng.bernoulli(uptake) {
                c.shock(h, satisfaction: Float(s.publicServiceWeight))
                c.recordAct(h, .receive, day: day)   // a service used (service_use_rate), not a civic act
            }
        }
        // Entry: candidates (more under the enterprise awards' recognition and procurement
        // priority) estimate their return and enter when the estimate clears the hurdle.
        let candidates = rng.poisson(s.candidatesPerMonth * (1 + c.incentives.enterpriseAwardBoost))
        for _ in 0..<candidates {
            let free = s.idleSpace - c.partners.spaceUsed
            let wanted = s.unitSize * exp(s.unitSigma * rng.gaussian(1))
            guard free >= wanted * 0.5 else { continue }
            let space = min(wanted, free)
            let capex = s.capexMedian * exp(s.capexSigma * rng.gaussian(1))
            let revenue = s.revenuePerM2 * space * exp(s.revenueSigma * rng.gaussian(1))
            let estimate = revenue * exp(s.estimateSigma * rng.gaussian(1))
            let yearly = 12 * estimate * (1 - s.revenueShare - s.operatingCostShare)
            let expectedReturn = yearly / capex - 1 / s.paybackYears
            guard expectedReturn >= s.hurdle else { continue }
            c.partners.active.append(Partner(space: space, capex: capex, revenue: revenue))
            c.partners.entered += 1
            // The partner's own venture: reported as partner_investment, not as money raised
            // for the community's projects (the funding_* outputs are the projects' money).
            c.partners.investment += capex
            c.improve(.propertyService, by: s.amenityGain)
        }
    }
}

extension Community {
    func observePartners(day: Int, into out: inout OutputRow) {
        out[.partnersActive] = Double(partners.active.count)
        out[.partnersExited] = Double(partners.exited)
        out[.spaceRevived] = partners.spaceUsed
        out[.publicBenefitHours] = partners.publicHours
        out[.partnerInvestment] = partners.investment
    }
}

extension Partners {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observePartners(day: day, into: &out) }
}
