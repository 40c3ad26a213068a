import Foundation
import SimCore
import SimConfig

/// Co-construction (共建), daily (docs/ODD.md §3): projects come from deliberation's
/// resolutions or from the scenario's `projects:` list, each with a cost, a duration and a
/// funding plan — fiscal share and cap, residents' share (optionally by floor coefficient),
/// enterprise sponsorship in cash or kind, crowdfunding, charity, volunteer hours from the
/// time bank. Households pay their assessed share when their willingness to pay covers it.
/// WTP comes from what the project gains the household and from its means, not from the bill:
/// a median in yuan for the amenity level the project adds to its category, × floor (by-floor
/// projects), tenure and expected stay, income proxies (car, age), lognormal, × trust and
/// voice, with protest zeros — so the share paying falls as the bill rises. The funding gap is
/// the cost minus the money raised by the deadline; a gap above `gap_tolerance` of the cost
/// counts as a gap. Building disturbs residents; completion raises the amenity of the category.
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
    public var assessLowFloors: Double = 0
    public var assessFloor3: Double = 0.7
    public var assessPerFloor: Double = 0.1
    public var assessMax: Double = 1.3
    public var sponsorCandidates: Int = 3
    public var sponsorPropensity: Double = 0.3
    public var sponsorshipMean: Double = 20_000
    public var crowdfunding: Bool = true
    public var crowdfundingIntercept: Double = -2.5
    public var crowdfundingMean: Double = 200
    public var charityProbability: Double = 0.3
    public var charityShare: Double = 0.05
    public var volunteerHourValue: Double = 12
    public var wtpMedian: Double = 1000
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
        .flag(\.byFloor, "by_floor", "Residents' share by floor coefficient (`assessment.*`): floors 1–2 pay their coefficient, floors 3… pay 0.7, 0.8, … up to 1.3, × the household's share of the sum of coefficients.",
              source: "Guangzhou Dongpu Lijiang New Village cost-sharing scheme (zjtcn.com/zhishi/dcjzdtfa): floors 1–2 pay nothing, coefficients 0.7 at floor 3 to 1.3 at floor 9"),
        .number(\.assessLowFloors, "assessment.low_floors", 0...5, unit: "coefficient",
                "By-floor projects: assessment coefficient of floors 1–2.",
                source: "Dongpu Lijiang scheme: floors 1–2 pay nothing (they gain little and lose light); Hongkou resales (n = 2,133): floor 3 is the break-even floor (Zhou, Liu & Yang)"),
        .number(\.assessFloor3, "assessment.floor3", 0...5, unit: "coefficient",
                "By-floor projects: assessment coefficient of floor 3.", source: "Dongpu Lijiang scheme: 0.7"),
        .number(\.assessPerFloor, "assessment.per_floor", 0...5, unit: "coefficient per floor",
                "By-floor projects: rise of the coefficient per floor above 3.", source: "Dongpu Lijiang scheme: 0.1 per floor (0.7 … 1.3 over floors 3–9)"),
        .number(\.assessMax, "assessment.max", 0...10, unit: "coefficient",
                "By-floor projects: the highest coefficient (floors above the one that reaches it pay it).", source: "Dongpu Lijiang scheme: 1.3 (floor 9)"),
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
        .number(\.wtpMedian, "wtp_median", 0...1e7, unit: "yuan",
                "Median willingness to pay of a household not protesting for a project that adds 0.05 to its category's amenity level (the default gain 0.1 at level 0.5): owner, no car, not elderly, floor 3 on a by-floor project, trust ½, not heard. WTP × (level added / 0.05): it follows what the project gains, not what it costs.",
                source: "rough prior, 1,000 yuan: about 1 % of an urban household's yearly disposable income (51,821 yuan per urban resident in 2023, NBS; about 2.6 residents per household), the payment-card median of contingent valuation in China (1 % of income; 8 % with a referendum format: Xu, Loomis et al. 2006); no contingent-valuation study with a yuan WTP for old-compound renovation or elevator retrofits was found. Hedonic evidence of the gain: an elevator raises the resale price of a Beijing old-compound flat by about 11 % at the median (Ma, Li & Yang 2022, doi:10.1155/2022/7949252: DID 0.108), more the higher the floor, and lowers it on floors 1–2; to be calibrated"),
        .number(\.wtpSigma, "wtp_sigma", 0...5, unit: "log-sd", "Spread of willingness to pay (lognormal).", source: "rough prior"),
        .number(\.protestZero, "protest_zero", 0...1, unit: "share",
                "Share of households who refuse to pay in protest (without vetoing the project).",
                source: "CV protest responses 2.2–6.7 % (Xu, Loomis et al. 2006); refusing to pay without vetoing (Shanghai elevator case)"),
        .number(\.floorGain, "floor_gain", 0...1, unit: "per floor above 3",
                "By-floor projects (elevators): WTP × (1 + g (floor − 3)) from floor 3 up — upper floors gain most.",
                source: "Hongkou hedonic study (Zhou, Liu & Yang): floor 3 breaks even, gains rise with the floor; Beijing DID (Ma, Li & Yang 2022): the higher the floor, the larger the price gain; rough prior 0.1"),
        .number(\.lowFloorFactor, "low_floor_factor", 0...10, unit: "relative", "By-floor projects: WTP × this on floors 1–2, who gain little or lose.",
                source: "low floors lose value after installation (doi:10.1155/2022/7949252); rough"),
        .number(\.tenantFactor, "tenant_factor", 0...10, unit: "relative",
                "Tenants' WTP relative to owners': a tenant expects to stay a few years and the gain is capitalised in the owner's dwelling, not its own.",
                source: "owners more willing than renters to renovate (Jinan TPB study); tenants more willing to move than owners (Chen & Yang 2018, Sustainability 10:4183, Suzhou Pingjiang); rough prior"),
        .number(\.carFactor, "car_factor", 0...10, unit: "relative", "Income proxy: WTP of car-owning households relative to the others.",
                source: "rough prior: car ownership as an income proxy"),
        .number(\.elderlyFactor, "elderly_factor", 0...10, unit: "relative", "Income proxy: WTP of elderly households (pensions) relative to the others.",
                source: "rough prior"),
        .number(\.wtpTrustWeight, "wtp_trust_weight", 0...10, unit: "per unit trust", "WTP × (1 + w · (T − ½)).", source: "rough prior"),
        .number(\.voiceBoost, "voice_boost", 0...5, unit: "relative", "WTP of households who took part in deliberation rises by this share.",
                source: "Mertins & Walter 2020: voice raises contributions"),
        .number(\.gain, "gain", 0...1, unit: "amenity level", "Share of the distance to the best amenity level the project closes in its category (× funded share).",
                source: "calibrated"),
        .number(\.gapTolerance, "gap_tolerance", 0...1, unit: "share of cost",
                "A gap up to this share of the cost is absorbed (contingency): full scope, and it does not count as a gap in `funding_gap_probability`.",
                source: "rough prior: a works contingency of 5 %"),
        .number(\.minimumFunded, "minimum_funded", 0...1, unit: "share of cost", "Below this funded share the project is abandoned; between, scope shrinks.",
                source: "rough prior"),
        .number(\.disturbance, "disturbance", 0...1, unit: "satisfaction per week", "Weekly satisfaction loss of the compound's households during building.",
                source: "Chaoyang case: construction disturbs; rough"),
        .flag(\.phased, "phased", "Phased, staggered work halves the disturbance.", source: "Chaoyang case"),
    ])

    /// The amenity level added that `wtp_median` is for: the default gain 0.1 at level 0.5.
    public static let referenceLevelAdded = 0.05

    /// Assessment coefficient of a household on `floor` in a by-floor project: `assessment.low_floors`
    /// on floors 1–2, then `assessment.floor3` + `assessment.per_floor` · (floor − 3), at most `assessment.max`.
    public func assessmentCoefficient(floor f: Int) -> Double {
        f <= 2 ? assessLowFloors : min(assessMax, assessFloor3 + assessPerFloor * Double(f - 3))
    }
}
