import Foundation
import SimCore

/// Incentive schemes and active volunteers (MODEL.md §3.6, BEHAVIOUR.md "Incentives").
/// Each scheme has its own switch and books its cost in the ledger (`incentive_cost`).
///
/// - **Points** (积分): every act of a household in the targeted group earns points (by kind:
///   providing a sharing exchange, a volunteer session, any other act); each month a holder
///   redeems its balance with a probability, at `yuan_per_point` (ledger.redeemPoints).
///   Targeted households get an extrinsic term in the participation logit, β_v × (yuan per
///   act). Crowding-out (Deci, Koestner & Ryan 1999; Gneezy & Rustichini 2000): for a targeted
///   household with intrinsic motivation m > threshold the motivation term of the logit uses
///   m (1 − δ), i.e. the logit falls by β_m δ m — so small rewards lower the participation of
///   the most motivated (the U-shape of BEHAVIOUR.md). Motivation itself is not changed, so
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
    public struct TenantSeats: Sendable { public var enabled: Bool = false; public var share: Double = 0.2 }

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
              source: "FIVE-PILLARS.md §4 and incentive schemes; Chaoyang case: points for active residents"),
        .choice(\.points.target, "points.target",
                "Group the points scheme targets: only its households earn points and get the extrinsic term.",
                source: "MODEL.md §4 (the incentive's value to that group)"),
        .number(\.points.perAct, "points.per_act", 0...10_000, unit: "points per act",
                "Points for any act not priced below (activities, reports, agenda, deliberation, contributions, home-visit consultations).",
                source: "rough prior: community points schemes award ~5–20 points per activity"),
        .number(\.points.perSharing, "points.per_sharing", 0...10_000, unit: "points per exchange",
                "Points for providing an item, skill session or service to a neighbour (the requester and room bookings earn none).",
                source: "FIVE-PILLARS.md §4: offering a service or item earns points; rough prior"),
        .number(\.points.perVolunteer, "points.per_volunteer", 0...10_000, unit: "points per session",
                "Points for a volunteer session.", source: "rough prior: ~10 points per volunteer hour, sessions of ~2 h"),
        .number(\.points.yuanPerPoint, "points.yuan_per_point", 0...1_000, unit: "yuan per point",
                "Value of a point at redemption (the cost booked as incentive_cost).",
                source: "rough prior: points supermarkets value a point at ~0.1–1 yuan of goods"),
        .number(\.points.valueWeight, "points.value_weight", 0...10, unit: "logit per yuan per act",
                "β_v: extrinsic term of targeted households = β_v × per_act × yuan_per_point.",
                source: "BEHAVIOUR.md: the extrinsic term rises with value; rough prior (+0.75 logit at 5 yuan per act), swept"),
        .number(\.points.redeemProbability, "points.redeem_probability", 0...1, unit: "probability per month",
                "Chance a household with points redeems its whole balance in a month.", source: "rough prior"),
        .number(\.points.crowdingOut, "points.crowding_out", 0...1, unit: "share δ",
                "Crowding-out: for targeted households with motivation above the threshold, the motivation term uses m (1 − δ).",
                source: "Deci, Koestner & Ryan 1999 (d = −0.28…−0.40); Gneezy & Rustichini 2000; BEHAVIOUR.md δ ≈ 0.2–0.35"),
        .number(\.points.crowdingThreshold, "points.crowding_threshold", 0...1, unit: "motivation m",
                "Motivation above which points crowd out intrinsic motivation (highly motivated households).",
                source: "BEHAVIOUR.md: δ applies to highly motivated agents; rough prior"),
        // Perks for the young
        .flag(\.perks.enabled, "perks.enabled", "Perks for the young (parking discounts, fitness classes) for taking part.",
              source: "FIVE-PILLARS.md, incentive schemes"),
        .number(\.perks.logit, "perks.logit", 0...10, unit: "logit", "Added to the participation logit of young households.",
                source: "rough prior (about twice the odds of taking part)"),
        .number(\.perks.costPerParticipant, "perks.cost_per_participant", 0...100_000, unit: "yuan per month",
                "Cost of the perk for each young household that took part in the month.",
                source: "rough prior: a monthly parking discount or a fitness class"),
        // Home visits for the elderly
        .flag(\.homeVisits.enabled, "home_visits.enabled", "Home visits for the elderly (上门): a channel to take part without going out.",
              source: "FIVE-PILLARS.md, incentive schemes; Shenzhen case (home visits)"),
        .number(\.homeVisits.logit, "home_visits.logit", 0...10, unit: "logit",
                "Added to the participation logit of elderly households (mobility barrier removed).", source: "rough prior"),
        .number(\.homeVisits.coverage, "home_visits.coverage", 0...1, unit: "share per month",
                "Share of elderly households visited each month; a visit is a chance to voice needs (an agenda act).", source: "rough prior"),
        .number(\.homeVisits.costPerVisit, "home_visits.cost_per_visit", 0...100_000, unit: "yuan", "Cost of one visit (≈ 1.5 h of staff time).",
                source: "rough prior"),
        .number(\.homeVisits.satisfactionGain, "home_visits.satisfaction_gain", 0...1, unit: "satisfaction",
                "Satisfaction shock of a visited household (staff contact).", source: "MODEL.md §3.8 (staff contact); rough prior"),
        // Honours
        .flag(\.honours.enabled, "honours.enabled", "Honours: \"good neighbour\" titles (社区好人) for the most active volunteers.",
              source: "FIVE-PILLARS.md, incentive schemes; Chaoyang case"),
        .number(\.honours.per100Year, "honours.titles_per_100hh_year", 0...100, unit: "titles per 100 households per year",
                "Titles awarded (monthly, stochastic rounding) to the volunteers with the most acts in the window.", source: "rough prior"),
        .number(\.honours.motivationGain, "honours.motivation_gain", 0...1, unit: "motivation",
                "Rise of an awarded volunteer's intrinsic motivation (recognition; no crowding-out).",
                source: "Deci, Koestner & Ryan 1999: positive feedback d = +0.33 × motivation SD 0.2"),
        .number(\.honours.costPerTitle, "honours.cost_per_title", 0...100_000, unit: "yuan", "Cost of a title (certificate, ceremony).",
                source: "rough prior"),
        // Awards for enterprises
        .flag(\.enterpriseAwards.enabled, "enterprise_awards.enabled", "Awards for enterprises (社区贡献奖, with procurement priority).",
              source: "FIVE-PILLARS.md, incentive schemes"),
        .number(\.enterpriseAwards.boost, "enterprise_awards.boost", 0...10, unit: "relative",
                "Relative rise of enterprises' sponsorship propensity (c.incentives.enterpriseAwardBoost, read by co-construction and partners).",
                source: "rough prior"),
        .number(\.enterpriseAwards.costPerYear, "enterprise_awards.cost_per_year", 0...1e7, unit: "yuan per year", "Cost of the award scheme (booked monthly).",
                source: "rough prior"),
        // Time bank
        .flag(\.timebank.enabled, "timebank.enabled", "Time bank (时间银行): volunteer sessions and skill/service exchanges store hours.",
              source: "FIVE-PILLARS.md §2; BEHAVIOUR.md (NSW 2015; Yang & Cao 2019)"),
        .number(\.timebank.hoursPerSession, "timebank.hours_per_session", 0...24, unit: "hours", "Hours stored for a volunteer session.", source: "rough prior"),
        .number(\.timebank.volunteerLogit, "timebank.volunteer_logit", 0...10, unit: "logit",
                "Added to volunteers' session choice: credits redeemable later (reciprocity).",
                source: "Yang & Cao 2019: credits redeemable anywhere drive time-bank use; rough prior"),
        .number(\.timebank.withdrawProbability, "timebank.withdraw_probability", 0...1, unit: "probability per month",
                "Chance a household with stored hours uses some for a service it receives.",
                source: "NSW 2015: only ~7 % of members ever traded (BEHAVIOUR.md); rough prior"),
        .number(\.timebank.withdrawHours, "timebank.withdraw_hours", 0...100, unit: "hours", "Hours used per withdrawal (at most the balance).",
                source: "rough prior"),
        .number(\.timebank.satisfactionGain, "timebank.satisfaction_gain", 0...1, unit: "satisfaction", "Satisfaction shock of a household served by the time bank.",
                source: "rough prior"),
        // Active volunteers
        .flag(\.volunteers.enabled, "volunteers.enabled",
              "Active-volunteer programme: volunteers join after repeated acts or when recruited, serve monthly and help mediate disputes.",
              source: "FIVE-PILLARS.md §3 (execution layer: volunteers serve); Chengdu case: volunteers 15 → 89"),
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
              source: "FIVE-PILLARS.md §1 (explicit rights and seats for tenants)"),
        .number(\.tenantSeats.share, "tenant_seats.share", 0...1, unit: "share of seats", "Share of representative seats reserved for tenants.",
                source: "rough prior (≈ the tenant share of an old compound)"),
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

/// State of the incentive schemes and volunteers within one community.
public struct IncentiveState: Sendable {
    /// Relative rise of enterprises' sponsorship propensity from awards for enterprises
    /// (0 when the scheme is off); follows the settings daily. Read by co-construction and partners.
    public var enterpriseAwardBoost = 0.0
    /// Volunteers with an act in the window, and all role holders, at the last month end.
    public var volunteersActive = 0
    public var volunteers = 0
    /// Counters since the start.
    public var titlesAwarded = 0
    public var homeVisits = 0
    public var volunteerSessions = 0
    public var timeBankHoursWithdrawn = 0.0
    /// Yuan spent by scheme since the start (points, perks, home visits, honours, enterprise awards).
    public var cost = [Double](repeating: 0, count: 5)
    /// This mechanism's current contribution to `c.mediationCapacity` (replaced each month).
    var mediationContribution = 0.0
    var started = false
    /// Per household: acts at the last monthly crediting, acts credited since by `earnPoints`.
    var actsSeen: [Int32] = []
    var credited: [Int32] = []
    /// Ring of monthly snapshots of the act counts (acts in the window) and the acts in the window.
    var snapshots: [Int32] = []
    var snapshotMonths = 0
    var snapshotHead = 0
    var windowActs: [Int32] = []
    /// Day of the household's last title (Int32.min / 2 if none).
    var honouredDay: [Int32] = []
    public init() {}

    /// Forget acts and costs counted so far (the start of the run proper, after the warm-up).
    mutating func resetCounters() {
        for h in actsSeen.indices { actsSeen[h] = 0; credited[h] = 0; windowActs[h] = 0 }
        for k in snapshots.indices { snapshots[k] = 0 }
        titlesAwarded = 0; homeVisits = 0; volunteerSessions = 0; timeBankHoursWithdrawn = 0
        for k in cost.indices { cost[k] = 0 }
    }

    mutating func ensureSized(_ n: Int) {
        guard actsSeen.count != n else { return }
        actsSeen = .init(repeating: 0, count: n)
        credited = .init(repeating: 0, count: n)
        windowActs = .init(repeating: 0, count: n)
        honouredDay = .init(repeating: Int32.min / 2, count: n)
        snapshots = []
        snapshotMonths = 0
    }
}

extension Community {
    /// Incentive term of household h's participation logit (added by `participationLogit`):
    /// the points' extrinsic term minus crowding-out for targeted households, and the perks
    /// (young) and home-visit (elderly) terms.
    @inlinable public func incentiveLogit(_ h: Int) -> Float {
        // Fields are read in place: copying the settings struct here would cost a memcpy per call.
        guard settings.incentives.hasLogitTerm else { return 0 }
        var x: Float = 0
        let age = hh.age[h]
        if settings.incentives.points.enabled, settings.incentives.points.target.includes(tenure: hh.tenure[h], age: age) {
            x += settings.incentives.points.extrinsicLogit
            let m = hh.motivation[h]
            if m > settings.incentives.points.crowdingThreshold { x -= settings.incentives.crowdingSlope * m }
        }
        if settings.incentives.perks.enabled, age == AgeGroup.young.rawValue { x += settings.incentives.perks.logit }
        if settings.incentives.homeVisits.enabled, age == AgeGroup.elderly.rawValue { x += settings.incentives.homeVisits.logit }
        return x
    }

    /// Whether household h earns points under the current settings.
    @inlinable public func earnsPoints(_ h: Int) -> Bool {
        let p = settings.incentives.points
        return p.enabled && p.target.includes(tenure: hh.tenure[h], age: hh.age[h])
    }

    /// Credit the act of `kind` just recorded for h with that kind's points (when h earns
    /// points). Mechanisms call it after `recordAct` for acts priced by kind; acts not credited
    /// this way earn `per_act` at the month end.
    public mutating func earnPoints(_ h: Int, for kind: ActKind) {
        incentives.ensureSized(hh.count)
        incentives.credited[h] &+= 1
        guard earnsPoints(h) else { return }
        let p = settings.incentives.points.rate(kind)
        guard p > 0 else { return }
        let before = hh.points[h]
        hh.points[h] += Float(p)
        // Book what the (Float) balance gained, so issued − redeemed is exactly what households
        // hold (booking p itself let rounding make points_outstanding negative).
        ledger.issuePoints(Double(hh.points[h]) - Double(before))
    }

    /// Mark the act just recorded for h as one that earns no points (using a shared room,
    /// receiving an exchange).
    public mutating func creditWithoutPoints(_ h: Int) {
        incentives.ensureSized(hh.count)
        incentives.credited[h] &+= 1
    }
}

public struct Incentives: Mechanism {
    public typealias Parameters = IncentiveSettings
    public static let name = "incentives"
    /// The schemes run at month ends; the step runs daily only to keep the fields other
    /// mechanisms read (`enterpriseAwardBoost`) in step with timeline changes, to draw the
    /// initial volunteers at the first step (the start of the warm-up) and to restart the
    /// counters on day 0.
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        // Daily part reads single fields: copying the whole settings every day shows in profiles.
        c.incentives.enterpriseAwardBoost = c.settings.incentives.enterpriseAwards.enabled ? c.settings.incentives.enterpriseAwards.boost : 0
        c.incentives.ensureSized(c.hh.count)
        if !c.incentives.started {
            c.incentives.started = true
            seedVolunteers(&c, day: day)
        }
        // Day 0 follows the warm-up, whose acts and money are not counted (hh.acts and the
        // ledger are reset): count acts, points and costs from here too. Volunteers stay.
        if day == 0 { c.incentives.resetCounters() }
        guard Cadence.monthly.fires(on: day) else { return }
        let s = c.settings.incentives
        updateWindowActs(&c)
        if s.volunteers.enabled { volunteerMonth(&c, day: day, s.volunteers, s.timebank) }
        countVolunteers(&c, day: day)
        if s.honours.enabled { awardHonours(&c, day: day, s.honours) }
        if s.homeVisits.enabled { visitElderly(&c, day: day, s.homeVisits) }
        if s.perks.enabled {
            // Young households with an act since the last month end (act counter moved).
            var k = 0
            for h in 0..<c.hh.count where c.hh.age[h] == AgeGroup.young.rawValue && c.hh.acts[h] != c.incentives.actsSeen[h] { k += 1 }
            book(&c, scheme: 1, Double(k) * s.perks.costPerParticipant)
        }
        if s.enterpriseAwards.enabled { book(&c, scheme: 4, s.enterpriseAwards.costPerYear / 12) }
        creditAndRedeemPoints(&c, s.points)
        if s.timebank.enabled { withdrawHours(&c, s.timebank) }
    }

    func book(_ c: inout Community, scheme: Int, _ yuan: Double) {
        guard yuan > 0 else { return }
        c.ledger.spendOnIncentives(yuan)
        c.incentives.cost[scheme] += yuan
    }

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
            if rng.uniform() < Double(sigmoidF(Sharing.logit(c, h, day: day) - c.anchorLogit)) {
                c.hh.roles[h] |= Roles.volunteer.rawValue
                have += 1
            }
        }
    }

    /// Acts of each household in the participation window, from a ring of monthly snapshots
    /// of the act counters (acts since the start during the first months).
    func updateWindowActs(_ c: inout Community) {
        let n = c.hh.count
        let months = max(1, (c.settings.participation.windowDays + 29) / 30)
        if c.incentives.snapshotMonths != months {
            c.incentives.snapshotMonths = months
            c.incentives.snapshotHead = 0
            c.incentives.snapshots = .init(repeating: 0, count: months * n)
        }
        let base = c.incentives.snapshotHead * n
        for h in 0..<n {
            let a = c.hh.acts[h]
            c.incentives.windowActs[h] = a &- c.incentives.snapshots[base + h]
            c.incentives.snapshots[base + h] = a
        }
        c.incentives.snapshotHead = (c.incentives.snapshotHead + 1) % months
    }

    /// Volunteer sessions, joining after repeated acts, lapsing, and recruitment.
    func volunteerMonth(_ c: inout Community, day: Int, _ v: IncentiveSettings.Volunteers, _ tb: IncentiveSettings.TimeBank) {
        let n = c.hh.count
        let cutoff = Int32(day - c.settings.participation.windowDays)
        let session = Float(v.sessionLogit + (tb.enabled ? tb.volunteerLogit : 0))
        for h in 0..<n {
            if c.hh.roles[h] & Roles.volunteer.rawValue != 0 {
                if v.sessionsPerMonth > 0 {
                    let p = Double(sigmoidF(Sharing.logit(c, h, day: day) + session))
                    for _ in 0..<v.sessionsPerMonth where rng.uniform() < p {
                        c.recordAct(h, .volunteer, day: day)
                        c.earnPoints(h, for: .volunteer)
                        c.incentives.volunteerSessions += 1
                        if tb.enabled { c.hh.timeBankHours[h] += Float(tb.hoursPerSession) }
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
            if rng.uniform() < Double(sigmoidF(Sharing.logit(c, h, day: day) + Float(v.recruitLogit))) {
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

    /// "Good neighbour" titles to the volunteers with the most acts in the window (not honoured
    /// within a year); recognition raises intrinsic motivation.
    func awardHonours(_ c: inout Community, day: Int, _ o: IncentiveSettings.Honours) {
        let expected = o.per100Year * Double(c.hh.count) / 100 / 12
        var titles = Int(expected)
        if rng.uniform() < expected - Double(titles) { titles += 1 }
        let lastEligible = Int32(day - 360)
        for _ in 0..<titles {
            var best = -1, bestActs: Int32 = 0
            for h in 0..<c.hh.count where c.hh.roles[h] & Roles.volunteer.rawValue != 0 {
                let a = c.incentives.windowActs[h]
                if a > bestActs, c.incentives.honouredDay[h] <= lastEligible { best = h; bestActs = a }
            }
            guard best >= 0 else { break }
            c.incentives.honouredDay[best] = Int32(day)
            c.hh.motivation[best] = min(1, c.hh.motivation[best] + Float(o.motivationGain))
            c.incentives.titlesAwarded += 1
            book(&c, scheme: 3, o.costPerTitle)
        }
    }

    /// Staff visit a share of elderly households; a visit is a chance to take part at home.
    func visitElderly(_ c: inout Community, day: Int, _ v: IncentiveSettings.HomeVisits) {
        var visits = 0
        let ds = Float(v.satisfactionGain)
        for h in 0..<c.hh.count where c.hh.age[h] == AgeGroup.elderly.rawValue {
            guard rng.uniform() < v.coverage else { continue }
            visits += 1
            if ds > 0 { c.shock(h, satisfaction: ds) }
            if rng.uniform() < Double(sigmoidF(Sharing.logit(c, h, day: day))) {
                c.recordAct(h, .agenda, day: day)
            }
        }
        c.incentives.homeVisits += visits
        book(&c, scheme: 2, Double(visits) * v.costPerVisit)
    }

    /// Month end: acts not credited by kind earn `per_act` points (targeted households, scheme
    /// on); then holders redeem their balance with the redemption probability (also after the
    /// scheme is switched off: points already issued stay redeemable).
    func creditAndRedeemPoints(_ c: inout Community, _ p: IncentiveSettings.Points) {
        var issued = 0.0, redeemed = 0.0
        for h in 0..<c.hh.count {
            let a = c.hh.acts[h]
            if p.enabled, p.perAct > 0, c.earnsPoints(h) {
                let uncredited = Int(a &- c.incentives.actsSeen[h]) - Int(c.incentives.credited[h])
                if uncredited > 0 {
                    let pts = Double(uncredited) * p.perAct
                    let before = c.hh.points[h]
                    c.hh.points[h] += Float(pts)
                    issued += Double(c.hh.points[h]) - Double(before)  // what the balance gained (see earnPoints)
                }
            }
            c.incentives.actsSeen[h] = a
            c.incentives.credited[h] = 0
            let balance = c.hh.points[h]
            if balance > 0, rng.uniform() < p.redeemProbability {
                redeemed += Double(balance)
                c.hh.points[h] = 0
            }
        }
        if issued > 0 { c.ledger.issuePoints(issued) }
        if redeemed > 0 {
            let cost = redeemed * p.yuanPerPoint
            c.ledger.redeemPoints(redeemed, cost: cost)
            c.incentives.cost[0] += cost
        }
    }

    /// Households with stored hours use some for services they receive.
    func withdrawHours(_ c: inout Community, _ t: IncentiveSettings.TimeBank) {
        let ds = Float(t.satisfactionGain)
        for h in 0..<c.hh.count where c.hh.timeBankHours[h] > 0 {
            guard rng.uniform() < t.withdrawProbability else { continue }
            let x = min(c.hh.timeBankHours[h], Float(t.withdrawHours))
            c.hh.timeBankHours[h] -= x
            c.incentives.timeBankHoursWithdrawn += Double(x)
            if ds > 0 { c.shock(h, satisfaction: ds) }
        }
    }
}

extension Community {
    /// Outputs of the incentive schemes: active volunteers now (role holders with an act in the
    /// window). Points outstanding and the incentive cost come from the ledger (Outputs.swift).
    func observeIncentives(day: Int, into out: inout OutputRow) {
        let cutoff = Int32(day - settings.participation.windowDays)
        var active = 0
        for h in 0..<hh.count where hh.roles[h] & Roles.volunteer.rawValue != 0 && hh.lastAct[h] > cutoff { active += 1 }
        out[.volunteersActive] = Double(active)
    }
}

extension Incentives {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeIncentives(day: day, into: &out) }
}
