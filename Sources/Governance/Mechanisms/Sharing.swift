import Foundation
import SimCore
import SimConfig

/// Co-sharing (共享), weekly (docs/ODD.md §3).
///
/// **Space sharing.** The community's shared rooms offer bookable slots each week, of three
/// types: weekday daytime (preferred by the elderly — the elderly room on weekdays), evenings
/// (the young — the youth salon) and weekends (families and the middle-aged — the family room).
/// Staff-organised activities take the share `traditional_use` of the slots in every mode
/// (top-down management, the traditional mode's only use of the rooms). With co-sharing on,
/// each household also has one booking choice a week, a multinomial logit over
/// {no booking, weekday, evening, weekend} with utilities
/// `v_t = participationLogit + a_book + channel + pref·[t is the group's preferred type]`
/// (channel: 0 for app users, `offline_logit` for households that book through the building
/// leader). Requests beyond the free slots of a type are drawn at random (without
/// replacement). A booking is a `.sharing` act, a small satisfaction shock (culture/activity)
/// and a gain of social capital. Utilisation = slots used / slots available in the trailing
/// window (`space_utilization`), measured in both modes.
///
/// **Items, skills and services.** Each week a household needs a tool, a skill session or a
/// service with probability σ(participationLogit + a_request). Under complex contagion
/// (Centola 2010) a household takes the exchange up only when at least k of its tied
/// neighbours in the same building were active in the window. Elderly households' requests are
/// services (a car owner driving them) with probability `service_share`; otherwise skill
/// sessions with probability `skill_share`, else item lending. Up to `match_attempts`
/// candidate providers are asked, tied neighbours first, then random households of the same
/// building; a candidate agrees with σ(participationLogit_j + a_offer [+ stranger term]).
/// An exchange records a `.sharing` act for both sides, earns the provider points (when the
/// points scheme is on, `Community.earnPoints`) and time-bank hours for skills and services
/// (time bank on), and raises both sides' social capital. Ties themselves are fixed: social
/// capital stands for the strengthened tie. Social capital decays with a half-life and, since
/// this mechanism, enters the dispute model (Disputes.swift).
public struct SharingSettings: ParameterGroup {
    public init() {}
    public var enabled: Bool = false
    public var rooms: Int = 2
    public var slots: (weekday: Int, evening: Int, weekend: Int) = (10, 7, 4)
    public var traditionalUse: Double = 0.15
    public var bookingLogit: Double = -4.25
    public var preferenceLogit: Double = 1.5
    public var offlineLogit: Double = -0.5
    public var bookingSatisfaction: Double = 0.02
    public var requestLogit: Double = -1.5
    public var offerLogit: Double = 2.0
    public var strangerLogit: Double = -1.0
    public var matchAttempts: Int = 3
    public var contagionNeighbours: Int = 2
    public var serviceShare: Double = 0.4
    public var skillShare: Double = 0.3
    public var sessionHours: Double = 1.5
    public var exchangeSatisfaction: Double = 0.01
    public var exchangeCapital: Double = 0.20
    public var bookingCapital: Double = 0.10
    public var capitalHalfLife: Double = 180

    public static let parameters = ParameterTable<Self>("sharing", [
        .flag(\.enabled, "enabled", "Co-sharing (共享): open booking of shared rooms; item, skill and service exchanges between neighbours.",
              source: "five-pillars essay, co-sharing; Hangzhou Xihu sharing community"),
        .count(\.rooms, "spaces.rooms", 0...10_000, unit: "rooms",
             "Shared rooms (activity room, family room, …); each offers the weekly slots below.",
             source: "Chaoyang case: shared activity room (+ garden, canteen); rough prior for 600 households"),
        .count(\.slots.weekday, "spaces.weekday_slots", 0...100, unit: "slots per room per week",
             "Weekday daytime slots (Mon–Fri, morning and afternoon) — preferred by the elderly.",
             source: "five-pillars essay, co-sharing: elderly room on weekdays; half-day slots"),
        .count(\.slots.evening, "spaces.evening_slots", 0...100, unit: "slots per room per week",
             "Evening slots (every evening) — preferred by the young.", source: "five-pillars essay, co-sharing: youth salon in the evening"),
        .count(\.slots.weekend, "spaces.weekend_slots", 0...100, unit: "slots per room per week",
             "Weekend daytime slots (Sat, Sun, morning and afternoon) — preferred by families (middle-aged).",
             source: "five-pillars essay, co-sharing: family room at weekends"),
        .number(\.traditionalUse, "spaces.traditional_use", 0...1, unit: "share of slots",
                "Share of slots used by staff-organised activities (top-down management) — the rooms' only use in the traditional mode; kept under co-sharing.",
                source: "Hangzhou case: utilisation +300 % (×4) with sharing, so the traditional use is ~¼ of the shared level (~0.6); rough prior"),
        .number(\.bookingLogit, "spaces.booking_logit", -20...20, unit: "logit",
                "a_book: intercept of the weekly booking choice, added to the participation logit.",
                source: "calibrated with request_logit on Scenarios/cases/hangzhou-sharing-community.yaml (sharing + points, one year): utilisation ×4 (+300 %), participation 18 % → 67 %"),
        .number(\.preferenceLogit, "spaces.preference_logit", 0...10, unit: "logit",
                "Added to the utility of the slot type the household's age group prefers (elderly: weekday; young: evening; middle: weekend).",
                source: "five-pillars essay, co-sharing (differentiated allocation); rough prior: ~4.5× the odds of a preferred slot"),
        .number(\.offlineLogit, "spaces.offline_logit", -10...10, unit: "logit",
                "Channel term for households without the app, who book through the building leader (app users: 0).",
                source: "five-pillars essay, co-deliberation (online and offline channels); rough prior"),
        .number(\.bookingSatisfaction, "spaces.satisfaction_gain", 0...1, unit: "satisfaction",
                "Satisfaction shock for a household using a booked slot (cultural and activity indicator; decays with the memory half-life).",
                source: "docs/ODD.md §3 (cultural and sharing activity); rough prior"),
        .number(\.requestLogit, "exchange.request_logit", -20...20, unit: "logit",
                "a_request: intercept of a household's weekly need for a tool, a skill session or a service, added to the participation logit.",
                source: "calibrated with booking_logit on Scenarios/cases/hangzhou-sharing-community.yaml (participation 18 % → 67 % in one year)"),
        .number(\.offerLogit, "exchange.offer_logit", -20...20, unit: "logit",
                "a_offer: intercept of an asked neighbour's agreement to lend, teach or help, added to the provider's participation logit.",
                source: "reciprocity among neighbours (conditional cooperation, Fischbacher, Gächter & Fehr 2001); rough prior"),
        .number(\.strangerLogit, "exchange.stranger_logit", -20...0, unit: "logit",
                "Added to the agreement of a same-building household that is not a tied neighbour.",
                source: "reasoning: exchanges prefer tied neighbours; rough prior"),
        .count(\.matchAttempts, "exchange.match_attempts", 1...50, unit: "candidates",
             "Candidate providers asked per request: tied neighbours first, then random households of the same building.",
             source: "rough prior"),
        .count(\.contagionNeighbours, "exchange.contagion_neighbours", 0...50, unit: "neighbours",
             "Complex contagion: a household takes up exchanges only when at least k tied neighbours in its building were active in the window (0 = off).",
             source: "Centola 2010 (Science 329:1194): ≥ 2 active neighbours"),
        .number(\.serviceShare, "exchange.service_share", 0...1, unit: "share",
                "Share of elderly households' requests that are services (a car owner driving them); the provider must own a car.",
                source: "five-pillars essay, co-sharing (car owners driving elderly neighbours to hospital); rough prior"),
        .number(\.skillShare, "exchange.skill_share", 0...1, unit: "share",
                "Share of the other requests that are skill sessions (the rest: item lending from neighbours or the tool house).",
                source: "five-pillars essay, co-sharing (skill sharing, tool house); rough prior"),
        .number(\.sessionHours, "exchange.session_hours", 0...24, unit: "hours",
                "Hours of a skill session or service; credited to the provider's time-bank account when the time bank is on (item lending: 0).",
                source: "rough prior"),
        .number(\.exchangeSatisfaction, "exchange.satisfaction_gain", 0...1, unit: "satisfaction",
                "Satisfaction shock for the household whose need an exchange met.", source: "rough prior"),
        .number(\.exchangeCapital, "social_capital.exchange_gain", 0...1, unit: "share of the gap to 1",
                "Social capital of both sides of an exchange: sc ← sc + g (1 − sc).",
                source: "reasoning: an exchange creates or strengthens a tie (docs/ODD.md §3); rough prior"),
        .number(\.bookingCapital, "social_capital.booking_gain", 0...1, unit: "share of the gap to 1",
                "Social capital gained by using a shared room (meeting neighbours).", source: "half the exchange gain; rough prior"),
        .number(\.capitalHalfLife, "social_capital.half_life_days", 7...3600, unit: "days",
                "Half-life of social capital without new exchanges (decayed weekly, in every mode).", source: "rough prior"),
    ])

    /// Slots per week of slot type t (0 weekday, 1 evening, 2 weekend) over all rooms.
    @inlinable public func available(_ t: Int) -> Int {
        rooms * (t == 0 ? slots.weekday : (t == 1 ? slots.evening : slots.weekend))
    }
}

/// Slot types of the shared rooms; the age group that prefers each.
public enum SlotType: Int, Sendable, CaseIterable {
    case weekday, evening, weekend
    /// Preferred slot type of an age group (young → evening, middle → weekend, elderly → weekday).
    @inlinable public static func preferred(age: UInt8) -> Int { age == 0 ? 1 : (age == 1 ? 2 : 0) }
}

/// Kinds of exchange between households.
public enum ExchangeKind: Int, Sendable, CaseIterable { case item, skill, service }

/// State of co-sharing within one community.
public struct SharingState: Sendable {
    /// One record per week: the week's last day, slots used and available, exchanges.
    public struct Week: Sendable {
        public var day: Int32
        public var booked: Int32
        public var available: Int32
        public var exchanges: Int32
    }
    public var weeks: [Week] = []
    /// Totals since day 0.
    public var bookedTotal = 0, availableTotal = 0, exchangesTotal = 0
    /// Exchanges by kind since day 0 (item, skill, service).
    public var exchangesByKind = [Int](repeating: 0, count: ExchangeKind.allCases.count)
    /// Reused buffers: booking requests by slot type, exchange requests.
    var requests: [[Int32]] = [[], [], []]
    var needs: [Int32] = []
    public init() {}

    /// Slots used / available and exchanges over the weeks ending within the trailing window
    /// (`weeks` = the number of such weeks).
    public func window(day: Int, days w: Int) -> (booked: Int, available: Int, exchanges: Int, weeks: Int) {
        var b = 0, a = 0, x = 0, k = 0
        let cutoff = Int32(day - w)
        for r in weeks.reversed() {
            if r.day <= cutoff { break }
            if r.day > Int32(day) { continue }
            b += Int(r.booked); a += Int(r.available); x += Int(r.exchanges); k += 1
        }
        return (b, a, x, k)
    }
}

public struct Sharing: Mechanism {
    public typealias Parameters = SharingSettings
    public static let name = "sharing"
    public let cadence = Cadence.weekly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.sharing
        decaySocialCapital(&c, s)
        // Staff-organised use of the rooms (every mode).
        var available = 0, booked = 0
        var free = (0, 0, 0)
        for t in 0..<3 {
            let a = s.available(t)
            let staff = rng.binomial(s.traditionalUse, a)
            available += a; booked += staff
            switch t { case 0: free.0 = a - staff; case 1: free.1 = a - staff; default: free.2 = a - staff }
        }
        var exchanges = 0
        if s.enabled {
            collectRequests(&c, day: day, s)
            booked += allocateSlots(&c, day: day, free: [free.0, free.1, free.2], s)
            exchanges = matchExchanges(&c, day: day, s)
        }
        // Totals count from day 0 (the warm-up before it runs the traditional mode).
        if day < 7, c.sharing.weeks.last.map({ $0.day < 0 }) ?? false {
            c.sharing.bookedTotal = 0; c.sharing.availableTotal = 0; c.sharing.exchangesTotal = 0
            for k in c.sharing.exchangesByKind.indices { c.sharing.exchangesByKind[k] = 0 }
        }
        c.sharing.bookedTotal += booked
        c.sharing.availableTotal += available
        c.sharing.exchangesTotal += exchanges
        c.sharing.weeks.append(.init(day: Int32(day), booked: Int32(booked), available: Int32(available), exchanges: Int32(exchanges)))
        // Keep the log bounded: the longest window is 720 days (≈ 103 weeks).
        if c.sharing.weeks.count > 256 { c.sharing.weeks.removeFirst(c.sharing.weeks.count - 128) }
    }

    /// Weekly decay of social capital with its half-life (in every mode, so it fades after sharing stops).
    func decaySocialCapital(_ c: inout Community, _ s: SharingSettings) {
        let d = Float(pow(0.5, 7 / s.capitalHalfLife))
        c.hh.socialCapital.withUnsafeMutableBufferPointer { sc in
            for h in sc.indices { sc[h] *= d }
        }
    }

    /// Each household's weekly booking choice (multinomial logit over no booking and the three
    /// slot types) and its need for an exchange. One exponential per household: both choices
    /// share the participation logit L, e^{v_t} = e^L e^{a_book + channel (+ pref)} and
    /// P(need) = σ(L + a_request).
    func collectRequests(_ c: inout Community, day: Int, _ s: SharingSettings) {
        // The buffers are moved out so that the loop reads the community without mutating it
        // (reading through `inout` made the compiler copy the settings on every household).
        var requests: [[Int32]] = [], needs: [Int32] = []
        swap(&requests, &c.sharing.requests)
        swap(&needs, &c.sharing.needs)
        Self.decide(c, day: day, s, rng, &requests, &needs)
        swap(&requests, &c.sharing.requests)
        swap(&needs, &c.sharing.needs)
    }

    static func decide(_ c: borrowing Community, day: Int, _ s: SharingSettings, _ rng: RandomStream,
                       _ requests: inout [[Int32]], _ needs: inout [Int32]) {
        for t in 0..<3 { requests[t].removeAll(keepingCapacity: true) }
        needs.removeAll(keepingCapacity: true)
        let eApp = Float(exp(s.bookingLogit)), eOffline = Float(exp(s.bookingLogit + s.offlineLogit))
        let ePref = Float(exp(s.preferenceLogit))
        let eNeed = Float(exp(s.requestLogit))
        let booking = s.available(0) + s.available(1) + s.available(2) > 0
        for h in 0..<c.hh.count {
            let eL = expf(min(60, c.participationLogit(h, day: day)))
            if booking {
                let e = eL * (c.hh.digital[h] ? eApp : eOffline)
                let pref = SlotType.preferred(age: c.hh.age[h])
                let wPref = e * ePref
                let u = Float(rng.uniform()) * (1 + wPref + 2 * e)
                if u < wPref {
                    requests[pref].append(Int32(h))
                } else if u < wPref + 2 * e {
                    // One of the two other types, equally likely.
                    let other = (pref + (u < wPref + e ? 1 : 2)) % 3
                    requests[other].append(Int32(h))
                }
            }
            let en = eL * eNeed
            if Float(rng.uniform()) * (1 + en) < en { needs.append(Int32(h)) }
        }
    }

    /// Grant the requests of each slot type up to its free slots (a random subset when
    /// oversubscribed); returns the slots booked by households.
    func allocateSlots(_ c: inout Community, day: Int, free: [Int], _ s: SharingSettings) -> Int {
        var used = 0
        let ds = Float(s.bookingSatisfaction), g = Float(s.bookingCapital)
        for t in 0..<3 {
            let n = c.sharing.requests[t].count
            let k = min(n, max(0, free[t]))
            if k < n {
                // Partial Fisher–Yates: the first k entries become a uniform random subset.
                for i in 0..<k {
                    let j = i + rng.int(below: n - i)
                    c.sharing.requests[t].swapAt(i, j)
                }
            }
            for i in 0..<k {
                let h = Int(c.sharing.requests[t][i])
                c.recordAct(h, .use, day: day)
                c.creditWithoutPoints(h)
                if ds > 0 { c.shock(h, satisfaction: ds) }
                c.hh.socialCapital[h] += g * (1 - c.hh.socialCapital[h])
            }
            used += k
        }
        return used
    }

    /// Match this week's needs to providers; returns the number of exchanges.
    func matchExchanges(_ c: inout Community, day: Int, _ s: SharingSettings) -> Int {
        let n = c.hh.count
        let perBuilding = max(1, c.settings.population.householdsPerBuilding)
        let timeBank = c.settings.incentives.timebank.enabled
        let g = Float(s.exchangeCapital), ds = Float(s.exchangeSatisfaction)
        var count = 0
        for r in c.sharing.needs.indices {
            let h = Int(c.sharing.needs[r])
            if s.contagionNeighbours > 0, activeBuildingTies(c, h, day: day) < s.contagionNeighbours { continue }
            // Kind of exchange.
            let u = rng.uniform()
            let kind: ExchangeKind
            if c.hh.age[h] == AgeGroup.elderly.rawValue, u < s.serviceShare {
                kind = .service
            } else {
                let v = c.hh.age[h] == AgeGroup.elderly.rawValue ? (u - s.serviceShare) / max(1e-12, 1 - s.serviceShare) : u
                kind = v < s.skillShare ? .skill : .item
            }
            // Providing a skill or service through the time bank gives time-bank hours (civic);
            // lending an item, or helping outside the time bank, is service use.
            let giving: ActKind = timeBank && kind != .item ? .timebank : .sharing
            // Candidate providers: tied neighbours first, then random households of the building.
            let t0 = Int(c.hh.tieStart[h]), t1 = Int(c.hh.tieStart[h + 1])
            let b0 = Int(c.hh.building[h]) * perBuilding, b1 = min(n, b0 + perBuilding)
            var provider = -1
            for attempt in 0..<s.matchAttempts {
                let tied = attempt < s.matchAttempts - 1 && t1 > t0
                let j = tied ? Int(c.hh.tieTarget[t0 + rng.int(below: t1 - t0)]) : b0 + rng.int(below: max(1, b1 - b0))
                if j == h || j >= n { continue }
                if kind == .service, !c.hh.car[j] { continue }
                let x = Community.participationLogit(reading: &c, j, day: day, for: giving) + Float(s.offerLogit) + (tied ? 0 : Float(s.strangerLogit))
                if rng.uniform() < Double(sigmoidF(x)) { provider = j; break }
            }
            guard provider >= 0 else { continue }
            let j = provider
            c.recordAct(h, .receive, day: day)
            c.recordAct(j, giving, day: day)
            c.creditWithoutPoints(h)
            c.earnPoints(j, for: giving)
            if timeBank, kind != .item { c.hh.timeBankHours[j] += Float(s.sessionHours) }
            c.hh.socialCapital[h] += g * (1 - c.hh.socialCapital[h])
            c.hh.socialCapital[j] += g * (1 - c.hh.socialCapital[j])
            if ds > 0 { c.shock(h, satisfaction: ds) }
            c.sharing.exchangesByKind[kind.rawValue] += 1
            count += 1
        }
        return count
    }

    /// Tied neighbours of h in its own building with an act in the trailing window.
    func activeBuildingTies(_ c: borrowing Community, _ h: Int, day: Int) -> Int {
        let cutoff = Int32(day - c.settings.participation.windowDays)
        let b = c.hh.building[h]
        var a = 0
        for k in Int(c.hh.tieStart[h])..<Int(c.hh.tieStart[h + 1]) {
            let j = Int(c.hh.tieTarget[k])
            if c.hh.building[j] == b, c.hh.lastAct[j] > cutoff { a += 1 }
        }
        return a
    }
}

extension Community {
    /// Outputs of co-sharing: utilisation of the shared rooms and exchanges per 100 households
    /// per month over the weeks ending within the trailing window (NaN before the first week).
    func observeSharing(day: Int, into out: inout OutputRow) {
        let r = sharing.window(day: day, days: settings.participation.windowDays)
        guard r.weeks > 0 else { return }
        if r.available > 0 { out[.spaceUtilization] = Double(r.booked) / Double(r.available) }
        let months = Double(r.weeks * 7) / 30
        out[.exchanges] = Double(r.exchanges) / (Double(max(1, hh.count)) / 100) / months
    }
}

extension Sharing {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeSharing(day: day, into: &out) }
}
