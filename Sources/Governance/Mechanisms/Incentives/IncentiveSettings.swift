import Foundation
import SimCore
import SimConfig

/// Incentive schemes and active volunteers (docs/ODD.md §3).
/// Each scheme has its own switch and books its cost in the ledger (`incentive_cost`).
///
/// - **Points** (积分): every act of a household in the targeted group earns points (by kind:
///   providing a sharing exchange, a volunteer session, any other act); each month a holder
///   redeems its balance with a probability, at `yuan_per_point` (ledger.redeemPoints).
///   Targeted households get an extrinsic term in the participation logit, β_v × (yuan per
///   act). Crowding-out (Deci, Koestner & Ryan 1999; Gneezy & Rustichini 2000): for a targeted
///   household with intrinsic motivation m > threshold the motivation term of the logit uses
///   m (1 − δ), i.e. the logit falls by β_m δ m — so small rewards lower the participation of
///   the most motivated (a U-shape in the net effect). Motivation itself is not changed, so
///   the effect ends with the scheme.
/// - **Time bank** (时间银行): volunteer sessions (and skill/service exchanges, Sharing.swift)
///   store hours in `hh.timeBankHours`; holders withdraw hours for services they receive.
///   The hours are valued in yuan and booked as `funding_timebank` (ledger.raise(_, from:
///   .timebank)) when they are used for community work — by co-construction, which draws
///   stored hours into projects at `construction.volunteer_hour_value`. This file does not
///   book them again when they are earned (no double counting).
/// - **Honours** ("good neighbour" titles, 社区好人): the most active volunteers receive a
///   title; recognition raises their intrinsic motivation (positive feedback, Deci et al.
///   1999 d = +0.33) and has no crowding-out.
/// - **Perks for the young** (parking discounts, fitness classes): a logit term for young
///   households; each month every young household that took part costs a perk.
/// - **Home visits for the elderly** (上门): staff visit a share of elderly households each
///   month; a visit is a chance to take part at home (an `.agenda` act: voicing needs), and the
///   channel adds a logit term for the elderly; each visit has a cost.
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
        public var valueWeight: Double = 0.15
        public var redeemProbability: Double = 0.3
        public var crowdingOut: Double = 0.25
        public var crowdingThreshold: Float = 0.6
        /// β_v × yuan per act: the extrinsic term of targeted households.
        public var extrinsicLogit: Float = 0
        /// Points earned for an act of `kind`.
        @inlinable public func rate(_ kind: ActKind) -> Double {
            kind == .sharing ? perSharing : (kind == .volunteer ? perVolunteer : perAct)
        }
    }
    public struct Perks: Sendable { public var enabled: Bool = false; public var logit: Float = 0.7; public var costPerParticipant: Double = 30 }
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
    /// Some scheme adds a term to the participation logit (fast path of `incentiveLogit`).
    public var hasLogitTerm = false
    /// β_m δ: the logit lost per unit of motivation by crowded-out households.
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
        .number(\.points.valueWeight, "points.value_weight", 0...10, unit: "logit per yuan per act",
                "β_v: extrinsic term of targeted households = β_v × per_act × yuan_per_point.",
                source: "the extrinsic term rises with value; rough prior (+0.75 logit at 5 yuan per act), swept"),
        .number(\.points.redeemProbability, "points.redeem_probability", 0...1, unit: "probability per month",
                "Chance a household with points redeems its whole balance in a month.", source: "rough prior"),
        .number(\.points.crowdingOut, "points.crowding_out", 0...1, unit: "share δ",
                "Crowding-out: for targeted households with motivation above the threshold, the motivation term uses m (1 − δ).",
                source: "Deci, Koestner & Ryan 1999 (d = −0.28…−0.40); Gneezy & Rustichini 2000; rough δ ≈ 0.2–0.35"),
        .number(\.points.crowdingThreshold, "points.crowding_threshold", 0...1, unit: "motivation m",
                "Motivation above which points crowd out intrinsic motivation (highly motivated households).",
                source: "δ applies to highly motivated agents; rough prior"),
        // Perks for the young
        .flag(\.perks.enabled, "perks.enabled", "Perks for the young (parking discounts, fitness classes) for taking part.",
              source: "five-pillars essay, incentive schemes"),
        .number(\.perks.logit, "perks.logit", 0...10, unit: "logit", "Added to the participation logit of young households.",
                source: "rough prior (about twice the odds of taking part)"),
        .number(\.perks.costPerParticipant, "perks.cost_per_participant", 0...100_000, unit: "yuan per month",
                "Cost of the perk for each young household that took part in the month.",
                source: "rough prior: a monthly parking discount or a fitness class"),
        // Home visits for the elderly
        .flag(\.homeVisits.enabled, "home_visits.enabled", "Home visits for the elderly (上门): a channel to take part without going out.",
              source: "five-pillars essay, incentive schemes; Shenzhen case (home visits)"),
        .number(\.homeVisits.logit, "home_visits.logit", 0...10, unit: "logit",
                "Added to the participation logit of elderly households (mobility barrier removed).", source: "rough prior"),
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

    /// Terms derived from the declared parameters (and participation's motivation weight):
    /// the extrinsic term of targeted households, the fast-path switch and the crowding slope.
    public mutating func derive(motivationWeight: Double) {
        points.extrinsicLogit = Float(points.valueWeight * (points.perAct * points.yuanPerPoint))
        hasLogitTerm = points.enabled || perks.enabled || homeVisits.enabled
        crowdingSlope = Float(motivationWeight * points.crowdingOut)
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
