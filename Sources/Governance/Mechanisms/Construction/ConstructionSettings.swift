import Foundation
import SimCore
import SimConfig

/// Co-construction (共建), daily (docs/ODD.md §3): projects come from deliberation's
/// resolutions or from the scenario's `projects:` list, each with a cost, a duration and a
/// funding plan — fiscal share and cap, residents' share (optionally by floor coefficient),
/// enterprise sponsorship in cash or kind, crowdfunding, charity, volunteer hours from the
/// time bank. Households pay their assessed share when their willingness to pay covers it:
/// WTP scales with the share and with what the household gains (floor, tenure, an income
/// proxy), lognormal, with protest zeros. The funding gap is the cost minus the money raised by the
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
    public var volunteerHourValue: Double = 12
    public var wtpRatio: Double = 1.5
    public var wtpSigma: Double = 0.8
    public var protestZero: Double = 0.05
    public var floorGain: Double = 0.1
    public var lowFloorFactor: Double = 0.5
    public var tenantFactor: Double = 0.5
    public var carFactor: Double = 1.3
    public var elderlyFactor: Double = 0.8
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
                "Value of a volunteer hour: time-bank hours put into a project (booked as time-bank money) and volunteers' time in the costs.",
                source: "Nanjing time bank: 1 h = 12 yuan"),
        .number(\.wtpRatio, "wtp_ratio", 0...1000, unit: "× assessed share",
                "Median willingness to pay of a household not protesting, as a multiple of its assessed share (owner, no car, not elderly, middle floor, trust ½).",
                source: "rough prior: no published WTP for old-compound renovation; CV medians near a few % of income (Xu, Loomis et al. 2006), the size of a renovation share"),
        .number(\.wtpSigma, "wtp_sigma", 0...5, unit: "log-sd", "Spread of willingness to pay (lognormal).", source: "rough prior"),
        .number(\.protestZero, "protest_zero", 0...1, unit: "share",
                "Share of households who refuse to pay in protest (without vetoing the project).",
                source: "CV protest responses 2.2–6.7 % (Xu, Loomis et al. 2006); refusing to pay without vetoing (Shanghai elevator case)"),
        .number(\.floorGain, "floor_gain", 0...1, unit: "per floor above 3",
                "By-floor projects (elevators): WTP × (1 + g (floor − 3)) from floor 3 up — upper floors gain most.",
                source: "Hongkou hedonic study (Zhou, Liu & Yang): floor 3 breaks even, gains rise with the floor"),
        .number(\.lowFloorFactor, "low_floor_factor", 0...10, unit: "relative", "By-floor projects: WTP × this on floors 1–2, who gain little or lose.",
                source: "low floors lose value after installation (doi:10.1155/2022/7949252); rough"),
        .number(\.tenantFactor, "tenant_factor", 0...10, unit: "relative", "Tenants' WTP relative to owners'.",
                source: "owners more willing than renters to renovate (Jinan TPB study); rough"),
        .number(\.carFactor, "car_factor", 0...10, unit: "relative", "Income proxy: WTP of car-owning households relative to the others.",
                source: "rough prior: car ownership as an income proxy"),
        .number(\.elderlyFactor, "elderly_factor", 0...10, unit: "relative", "Income proxy: WTP of elderly households (pensions) relative to the others.",
                source: "rough prior"),
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
