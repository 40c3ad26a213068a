import Foundation
import SimCore
import SimConfig

/// Incentive schemes and active volunteers (docs/ODD.md §3).
/// Each scheme has its own switch and books its cost in the ledger (`incentive_cost`).
///
/// - **Points** (积分): every act of a household in the targeted group that the scheme prices
///   earns points (by kind: providing a sharing exchange or time-bank hours, a volunteer
///   session, any other civic act; booking a room and receiving help earn none); each month a
///   holder redeems its balance with a probability, at `yuan_per_point` (ledger.redeemPoints).
///   Points change only the choice of the acts they pay for (Community.rewardLogit): the value
///   of an act's points to a household is what it expects to redeem, v = points × yuan per
///   point × (1 − (1 − redeem probability)^horizon), and a household that responds to
///   material rewards adds R(v) = R_max · v / (v + v½) to that choice — rising with value,
///   less than proportionally, never above R_max. A share of households does not respond to
///   material rewards at all. Crowding-out (Deci, Koestner & Ryan 1999): for a targeted
///   household with motivation above the threshold, the rewarded choices lose β_m · d · σ_m
///   (the meta-analysis's effect size d in units of the motivation spread); motivation itself
///   is not changed, so the effect ends with the scheme.
/// - **Time bank** (时间银行): volunteer sessions (and skill/service exchanges, Sharing.swift)
///   store hours in `hh.timeBankHours`; holders withdraw hours for services they receive.
///   The hours are valued in yuan and booked as `funding_timebank` (ledger.raise(_, from:
///   .timebank)) when they are used for community work — by co-construction, which draws
///   stored hours into projects at `construction.volunteer_hour_value`. This file does not
///   book them again when they are earned (no double counting).
/// - **Honours** ("good neighbour" titles, 社区好人): the most active volunteers receive a
///   title; recognition raises their intrinsic motivation (positive feedback, Deci et al.
///   1999 d = +0.33) and has no crowding-out.
/// - **Perks for the young** (parking discounts, fitness classes): young households that
///   respond to material rewards add R(perk value) to their civic choices; each month every
///   young household with a civic act costs a perk.
/// - **Home visits for the elderly** (上门): staff visit a share of elderly households each
///   month; a visit is a chance to take part at home (an `.agenda` act: voicing needs), whose
///   choice alone gets the channel's logit term (the mobility barrier removed); each visit has a cost.
/// - **Awards for enterprises** (社区贡献奖, procurement priority): exposes
///   `c.incentives.enterpriseAwardBoost`, the relative rise of enterprises' sponsorship
///   propensity that co-construction and partners read; a yearly cost.
/// - **Tenant seats** (租户代表): declared here, applied by co-deliberation.
/// - **Active volunteers**: households take the volunteer role after repeated acts (≥ k acts
///   in the window) or when recruited (Civic Voluntarism Model: "nobody asked"); volunteers
///   serve in monthly sessions (`.volunteer` acts), lapse when inactive, and raise
///   `c.mediationCapacity` (dispute mediation).
public struct IncentiveSettings: ParameterGroup {
    public init() {}
    public struct Points: Sendable {
        public var enabled: Bool = false
        public var target: PointsTarget = .all
        public var perAct: Double = 10
        public var perSharing: Double = 10
        public var perVolunteer: Double = 20
        public var yuanPerPoint: Double = 0.5
        public var redeemProbability: Double = 0.3
        public var horizonMonths: Int = 12
        public var crowdingOut: Double = 0.34
        public var crowdingThreshold: Float = 0.6
        /// R(v) of the three priced kinds of act for responsive targeted households (derived).
        public var actLogit: Float = 0, sharingLogit: Float = 0, volunteerLogit: Float = 0
        /// Points earned for an act of `kind` (none for booking a room or receiving help).
        @inlinable public func rate(_ kind: ActKind) -> Double {
            switch kind {
            case .sharing, .timebank: perSharing
            case .volunteer: perVolunteer
            case .use, .receive: 0
            default: perAct
            }
        }
        /// The material term of an act of `kind` for a responsive targeted household.
        @inlinable public func materialLogit(_ kind: ActKind) -> Float {
            switch kind {
            case .sharing, .timebank: sharingLogit
            case .volunteer: volunteerLogit
            case .use, .receive: 0
            default: actLogit
            }
        }
        /// Share of a balance a household expects to redeem within its horizon.
        public var expectedRedeemedShare: Double { 1 - pow(1 - redeemProbability, Double(horizonMonths)) }
    }
    public struct Perks: Sendable {
        public var enabled: Bool = false; public var costPerParticipant: Double = 30
        /// R(perk value) for responsive young households (derived).
        public var materialLogit: Float = 0
    }
    public struct HomeVisits: Sendable {
        public var enabled: Bool = false; public var logit: Float = 0.5; public var coverage: Double = 0.25
        public var costPerVisit: Double = 40; public var satisfactionGain: Double = 0.02
    }
    public struct Honours: Sendable {
        public var enabled: Bool = false; public var per100Year: Double = 2; public var motivationGain: Double = 0.066; public var costPerTitle: Double = 100
    }
    public struct EnterpriseAwards: Sendable { public var enabled: Bool = false; public var boost: Double = 0.25; public var costPerYear: Double = 2_000 }
    public struct TimeBank: Sendable {
        public var enabled: Bool = false; public var hoursPerSession: Double = 2; public var volunteerLogit: Double = 0.3
        public var withdrawProbability: Double = 0.05; public var withdrawHours: Double = 2; public var satisfactionGain: Double = 0.02
    }
    public struct Volunteers: Sendable {
        public var enabled: Bool = false; public var initialShare: Double = 0.02; public var thresholdActs: Int = 6; public var joinProbability: Double = 0.1
        public var recruitPer100Month: Double = 1; public var recruitLogit: Double = 0; public var sessionsPerMonth: Int = 2
        public var sessionLogit: Double = 2.0; public var quitProbability: Double = 0.3; public var attrition: Double = 0.02; public var mediationGain: Double = 0.05
    }
    public struct TenantSeats: Sendable { public var enabled: Bool = false; public var share: Double = 0.2; public var signupLogit: Double = 1 }

    public var points = Points()
    public var perks = Perks()
    public var homeVisits = HomeVisits()
    public var honours = Honours()
    public var enterpriseAwards = EnterpriseAwards()
    public var timebank = TimeBank()
    public var volunteers = Volunteers()
    public var tenantSeats = TenantSeats()
    public var rewardMaxLogit: Double = 0.5
    public var rewardHalfValue: Double = 35
    public var unresponsiveShare: Double = 0.5
    /// Some scheme adds a term to a choice (fast path of `rewardLogit`).
    public var hasLogitTerm = false
    /// β_m · d · σ_m: the logit crowded-out households lose on rewarded choices.
    public var crowdingSlope: Float = 0

    public static let parameters = ParameterTable<Self>("incentives", [
        // Points
        .flag(\.points.enabled, "points.enabled", "Points (积分): acts earn points redeemable for goods or services (points supermarket).",
              source: "five-pillars essay, co-sharing and incentive schemes; Chaoyang case: points for active residents"),
        .choice(\.points.target, "points.target",
                "Group the points scheme targets: only its households earn points and get the extrinsic term.",
                source: "docs/ODD.md §4 (the incentive's value to that group)"),
        .number(\.points.perAct, "points.per_act", 0...10_000, unit: "points per act",
                "Points for any act not priced below (activities, reports, agenda, deliberation, contributions, home-visit consultations).",
                source: "rough prior: community points schemes award ~5–20 points per activity"),
        .number(\.points.perSharing, "points.per_sharing", 0...10_000, unit: "points per exchange",
                "Points for providing an item, skill session or service to a neighbour (the requester and room bookings earn none).",
                source: "five-pillars essay, co-sharing: offering a service or item earns points; rough prior"),
        .number(\.points.perVolunteer, "points.per_volunteer", 0...10_000, unit: "points per session",
                "Points for a volunteer session.", source: "rough prior: ~10 points per volunteer hour, sessions of ~2 h"),
        .number(\.points.yuanPerPoint, "points.yuan_per_point", 0...1_000, unit: "yuan per point",
                "Value of a point at redemption (the cost booked as incentive_cost).",
                source: "rough prior: points supermarkets value a point at ~0.1–1 yuan of goods"),
        .number(\.points.redeemProbability, "points.redeem_probability", 0...1, unit: "probability per month",
                "Chance a household with points redeems its whole balance in a month; with the horizon it sets the share of a point's value a household expects to get, 1 − (1 − p)^horizon (0: points are worth nothing and change no choice).",
                source: "rough prior"),
        .count(\.points.horizonMonths, "points.horizon_months", 1...120, unit: "months",
             "Months ahead over which a household counts on redeeming the points an act earns.",
             source: "rough prior: a year, the span of a points supermarket's annual cycle"),
        .number(\.points.crowdingOut, "points.crowding_out", 0...2, unit: "effect size d",
                "Crowding-out: for targeted households with motivation above the threshold, each rewarded choice loses β_m · d · σ_m (motivation_weight × d × population.motivation_sd) on the logit.",
                source: "Deci, Koestner & Ryan 1999 meta-analysis: tangible expected rewards lower free-choice intrinsic motivation by d ≈ −0.34 (−0.28 to −0.40 by contingency)"),
        .number(\.points.crowdingThreshold, "points.crowding_threshold", 0...1, unit: "motivation m",
                "Motivation above which points crowd out intrinsic motivation (highly motivated households).",
                source: "δ applies to highly motivated agents; rough prior"),
        // The response to material rewards (points, perks)
        .number(\.rewardMaxLogit, "reward_max_logit", 0...10, unit: "logit",
                "R_max: the most a material reward adds to a responsive household's choice, R(v) = R_max · v / (v + v½).",
                source: "Lacetera, Macis & Slonim 2012/2014: gift cards of $5–15 raised blood-drive turnout by 15–20 % (≈ +0.15–0.2 logit at low turnout) across all offered, about half responding; Ashraf, Bandiera & Jack 2014: financial rewards not significantly different from zero"),
        .number(\.rewardHalfValue, "reward_half_value", 0.01...100_000, unit: "yuan",
                "v½: the reward at which a responsive household gets half of R_max.",
                source: "Lacetera, Macis & Slonim 2014: the effect rose from $5 to $10 and $15 gift cards (not saturated at $5 ≈ 35 yuan)"),
        .number(\.unresponsiveShare, "unresponsive_share", 0...1, unit: "share",
                "Share of households that do not respond to material rewards at all (drawn once per household).",
                source: "Ashraf, Bandiera & Jack 2014: financial rewards moved only the poorest agents; Lacetera, Macis & Slonim 2014: \"dramatic heterogeneity\"; Conrads et al. 2016: paying 1–10 € an hour raised no applications above the unpaid ask; rough prior 0.5"),
        // Perks for the young
        .flag(\.perks.enabled, "perks.enabled", "Perks for the young (parking discounts, fitness classes) for taking part.",
              source: "five-pillars essay, incentive schemes"),
        .number(\.perks.costPerParticipant, "perks.cost_per_participant", 0...100_000, unit: "yuan per month",
                "Value of the perk, and its cost, for each young household with a civic act in the month; responsive young households add R(value) to their civic choices.",
                source: "rough prior: a monthly parking discount or a fitness class"),
        // Home visits for the elderly
        .flag(\.homeVisits.enabled, "home_visits.enabled", "Home visits for the elderly (上门): a channel to take part without going out.",
              source: "five-pillars essay, incentive schemes; Shenzhen case (home visits)"),
        .number(\.homeVisits.logit, "home_visits.logit", 0...10, unit: "logit",
                "Added to a visited elderly household's choice of voicing its needs at home (mobility barrier removed); no other choice.", source: "rough prior"),
        .number(\.homeVisits.coverage, "home_visits.coverage", 0...1, unit: "share per month",
                "Share of elderly households visited each month; a visit is a chance to voice needs (an agenda act).", source: "rough prior"),
        .number(\.homeVisits.costPerVisit, "home_visits.cost_per_visit", 0...100_000, unit: "yuan", "Cost of one visit (≈ 1.5 h of staff time).",
                source: "rough prior"),
        .number(\.homeVisits.satisfactionGain, "home_visits.satisfaction_gain", 0...1, unit: "satisfaction",
                "Satisfaction shock of a visited household (staff contact).", source: "docs/ODD.md §3 (staff contact); rough prior"),
        // Honours
        .flag(\.honours.enabled, "honours.enabled", "Honours: \"good neighbour\" titles (社区好人) for the most active volunteers.",
              source: "five-pillars essay, incentive schemes; Chaoyang case"),
        .number(\.honours.per100Year, "honours.titles_per_100hh_year", 0...100, unit: "titles per 100 households per year",
                "Titles awarded (monthly, stochastic rounding) to the volunteers with the most acts in the window.", source: "rough prior"),
        .number(\.honours.motivationGain, "honours.motivation_gain", 0...1, unit: "motivation",
                "Rise of an awarded volunteer's intrinsic motivation (recognition; no crowding-out).",
                source: "Deci, Koestner & Ryan 1999: positive feedback d = +0.33 × motivation SD 0.2"),
        .number(\.honours.costPerTitle, "honours.cost_per_title", 0...100_000, unit: "yuan", "Cost of a title (certificate, ceremony).",
                source: "rough prior"),
        // Awards for enterprises
        .flag(\.enterpriseAwards.enabled, "enterprise_awards.enabled", "Awards for enterprises (社区贡献奖, with procurement priority).",
              source: "five-pillars essay, incentive schemes"),
        .number(\.enterpriseAwards.boost, "enterprise_awards.boost", 0...10, unit: "relative",
                "Relative rise of enterprises' sponsorship propensity (c.incentives.enterpriseAwardBoost, read by co-construction and partners).",
                source: "rough prior"),
        .number(\.enterpriseAwards.costPerYear, "enterprise_awards.cost_per_year", 0...1e7, unit: "yuan per year", "Cost of the award scheme (booked monthly).",
                source: "rough prior"),
        // Time bank
        .flag(\.timebank.enabled, "timebank.enabled", "Time bank (时间银行): volunteer sessions and skill/service exchanges store hours.",
              source: "five-pillars essay, co-construction; NSW 2015; Yang & Cao 2019"),
        .number(\.timebank.hoursPerSession, "timebank.hours_per_session", 0...24, unit: "hours", "Hours stored for a volunteer session.", source: "rough prior"),
        .number(\.timebank.volunteerLogit, "timebank.volunteer_logit", 0...10, unit: "logit",
                "Added to volunteers' session choice: credits redeemable later (reciprocity).",
                source: "Yang & Cao 2019: credits redeemable anywhere drive time-bank use; rough prior"),
        .number(\.timebank.withdrawProbability, "timebank.withdraw_probability", 0...1, unit: "probability per month",
                "Chance a household with stored hours uses some for a service it receives.",
                source: "NSW 2015: only ~7 % of members ever traded; rough prior"),
        .number(\.timebank.withdrawHours, "timebank.withdraw_hours", 0...100, unit: "hours", "Hours used per withdrawal (at most the balance).",
                source: "rough prior"),
        .number(\.timebank.satisfactionGain, "timebank.satisfaction_gain", 0...1, unit: "satisfaction", "Satisfaction shock of a household served by the time bank.",
                source: "rough prior"),
        // Active volunteers
        .flag(\.volunteers.enabled, "volunteers.enabled",
              "Active-volunteer programme: volunteers join after repeated acts or when recruited, serve monthly and help mediate disputes.",
              source: "five-pillars essay, co-governance (execution layer: volunteers serve); Chengdu case: volunteers 15 → 89"),
        .number(\.volunteers.initialShare, "volunteers.initial_share", 0...1, unit: "share",
                "Share of households holding the volunteer role at the start (every mode), drawn by relative propensity to take part.",
                source: "Chaoyang case: 2 volunteers per grid, 6 grids, 600 households"),
        .count(\.volunteers.thresholdActs, "volunteers.threshold_acts", 1...1_000, unit: "acts in the window",
             "Acts in the participation window after which a household may become a volunteer (6 in 90 days: about one every two weeks).",
             source: "rough prior"),
        .number(\.volunteers.joinProbability, "volunteers.join_probability", 0...1, unit: "probability per month",
                "Chance an eligible (repeatedly active) household with motivation m takes the volunteer role in a month, × m.",
                source: "rough prior; with sharing on, active volunteers grow ~×8 in two years (Chengdu case: 15 → 89, ×6)"),
        .number(\.volunteers.recruitPer100Month, "volunteers.recruit_per_100hh_month", 0...100, unit: "asks per 100 households per month",
                "Households asked by staff and building leaders to volunteer.",
                source: "Civic Voluntarism Model: recruitment (Brady, Verba & Schlozman 1995); rough prior"),
        .number(\.volunteers.recruitLogit, "volunteers.recruit_logit", -20...20, unit: "logit",
                "Added to the participation logit of an asked household to accept.", source: "rough prior"),
        .count(\.volunteers.sessionsPerMonth, "volunteers.sessions_per_month", 0...31, unit: "sessions", "Volunteer sessions offered to each volunteer per month.",
             source: "rough prior"),
        .number(\.volunteers.sessionLogit, "volunteers.session_logit", -20...20, unit: "logit",
                "Added to a volunteer's participation logit for serving in a session.", source: "rough prior: volunteers serve most sessions"),
        .number(\.volunteers.quitProbability, "volunteers.quit_probability", 0...1, unit: "probability per month",
                "Chance a volunteer without any act in the window gives the role up.", source: "rough prior"),
        .number(\.volunteers.attrition, "volunteers.attrition", 0...1, unit: "probability per month",
                "Chance any volunteer gives the role up in a month (moving, burnout, health).",
                source: "rough prior (~22 % a year)"),
        .number(\.volunteers.mediationGain, "volunteers.mediation_gain", 0...10, unit: "per active volunteer per 100 households",
                "Rise of the dispute-mediation capacity multiplier per active volunteer per 100 households.", source: "rough prior"),
        // Tenant seats (applied by co-deliberation)
        .flag(\.tenantSeats.enabled, "tenant_seats.enabled", "Reserved tenant seats (租户代表) among resident representatives (applied by co-deliberation).",
              source: "five-pillars essay, co-deliberation (explicit rights and seats for tenants)"),
        .number(\.tenantSeats.share, "tenant_seats.share", 0...1, unit: "share of seats", "Share of representative seats reserved for tenants.",
                source: "rough prior (≈ the tenant share of an old compound)"),
        .number(\.tenantSeats.signupLogit, "tenant_seats.signup_logit", 0...10, unit: "logit",
                "Staff ask tenants to stand for the reserved seats: added to a tenant's logit of signing up to the council.",
                source: "rough prior; being asked is one of the three reasons people take part (Brady, Verba & Schlozman 1995, the Civic Voluntarism Model)"),
    ])

    /// R(v) = R_max · v / (v + v½): the material term of a reward worth v yuan to a responsive household.
    public func materialResponse(_ v: Double) -> Double { v > 0 ? rewardMaxLogit * v / (v + rewardHalfValue) : 0 }

    /// Terms derived from the declared parameters (and participation's motivation weight and
    /// the population's motivation spread): the material terms of points by kind and of perks,
    /// the fast-path switch and the crowding slope.
    public mutating func derive(motivationWeight: Double, motivationSD: Double) {
        let redeemed = points.yuanPerPoint * points.expectedRedeemedShare
        points.actLogit = Float(materialResponse(points.perAct * redeemed))
        points.sharingLogit = Float(materialResponse(points.perSharing * redeemed))
        points.volunteerLogit = Float(materialResponse(points.perVolunteer * redeemed))
        perks.materialLogit = Float(materialResponse(perks.costPerParticipant))
        hasLogitTerm = points.enabled || perks.enabled
        // Crowding-out comes with a reward of some value: points worth nothing crowd out nothing.
        crowdingSlope = redeemed > 0 ? Float(motivationWeight * points.crowdingOut * motivationSD) : 0
    }
}

/// The group a points scheme targets.
public enum PointsTarget: String, CaseIterable, Sendable {
    case all, young, middle, elderly, owner, tenant
    @inlinable public func includes(tenure: UInt8, age: UInt8) -> Bool {
        switch self {
        case .all: true
        case .young: age == AgeGroup.young.rawValue
        case .middle: age == AgeGroup.middle.rawValue
        case .elderly: age == AgeGroup.elderly.rawValue
        case .owner: tenure == Tenure.owner.rawValue
        case .tenant: tenure == Tenure.tenant.rawValue
        }
    }
}
