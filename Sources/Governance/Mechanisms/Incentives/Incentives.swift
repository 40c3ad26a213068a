import Foundation
import SimCore
import SimConfig

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
    /// The home-visits scheme's visits in its last monthly round, and that round's day (−1 before
    /// the first); co-evaluation logs them beside the staff's own visits.
    public var homeVisitsRound = (day: -1, visits: 0)
    public var volunteerSessions = 0
    public var timeBankHoursWithdrawn = 0.0
    /// Time-bank services delivered to households in need since the start (one per volunteer session).
    public var timeBankHelps = 0
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
    /// Day the household last received a time-bank service from a volunteer (Int32.min / 2 if
    /// never); read by the grievances (Expectations.swift: help relief of the stairs).
    public var helpedDay: [Int32] = []
    public init() {}

    /// Forget acts and costs counted so far (the start of the run proper, after the warm-up).
    mutating func resetCounters() {
        for h in actsSeen.indices { actsSeen[h] = 0; credited[h] = 0; windowActs[h] = 0 }
        for k in snapshots.indices { snapshots[k] = 0 }
        titlesAwarded = 0; homeVisits = 0; volunteerSessions = 0; timeBankHoursWithdrawn = 0; timeBankHelps = 0
        for k in cost.indices { cost[k] = 0 }
    }

    mutating func ensureSized(_ n: Int) {
        guard actsSeen.count != n else { return }
        actsSeen = .init(repeating: 0, count: n)
        credited = .init(repeating: 0, count: n)
        windowActs = .init(repeating: 0, count: n)
        honouredDay = .init(repeating: Int32.min / 2, count: n)
        helpedDay = .init(repeating: Int32.min / 2, count: n)
        snapshots = []
        snapshotMonths = 0
    }
}

extension Community {
    /// The rewards the schemes attach to h's choice of an act of `kind` (added by
    /// `participationLogit(_:day:for:)`; docs/ODD.md §7.10). Each scheme acts on the choice it
    /// rewards, and only there:
    /// - points, for households of the targeted group and acts that earn points: the material
    ///   term R(v) of the act's expected redeemed value v (`IncentiveSettings.derive`) for
    ///   households that respond to material rewards, and for every targeted household with
    ///   motivation above the threshold the crowding-out term (Deci, Koestner & Ryan 1999);
    /// - perks, for young households that respond to material rewards: R(perk value) on civic acts.
    /// Home visits act on the consultation at home (HomeVisits.swift), honours on the awarded
    /// volunteers' motivation (Honours.swift), the time bank on volunteer sessions (Volunteers.swift).
    @inlinable @inline(__always) public func rewardLogit(_ h: Int, _ kind: ActKind) -> Float {
        // Fields are read in place: copying the settings struct here would cost a memcpy per call.
        guard settings.incentives.hasLogitTerm else { return 0 }
        var x: Float = 0
        let age = hh.age[h]
        if settings.incentives.points.enabled, settings.incentives.points.target.includes(tenure: hh.tenure[h], age: age) {
            let r = settings.incentives.points.materialLogit(kind)
            if r > 0 {
                if hh.rewardResponsive[h] { x += r }
                if hh.motivation[h] > settings.incentives.points.crowdingThreshold { x -= settings.incentives.crowdingSlope }
            }
        }
        if settings.incentives.perks.enabled, age == AgeGroup.young.rawValue, kind.isCivic, hh.rewardResponsive[h] {
            x += settings.incentives.perks.materialLogit
        }
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

/// The incentive schemes and active volunteers (the schemes are described with their settings,
/// IncentiveSettings.swift; each scheme's monthly work is in its own file here).
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
            // Young households whose last civic act (what the perk rewards) fell in the month
            // [day − 30, day): each day belongs to one month, whatever order the monthly
            // mechanisms run in on the month-end day.
            var k = 0
            let from = Int32(day - 30), to = Int32(day)
            for h in 0..<c.hh.count where c.hh.age[h] == AgeGroup.young.rawValue && c.hh.lastCivic[h] >= from && c.hh.lastCivic[h] < to { k += 1 }
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
