import Foundation
import SimCore

/// Co-deliberation (共商), monthly (MODEL.md §3.3): agenda collection through online and
/// offline channels → three-priority ranking → sign-ups → representatives (elected per
/// sub-area when sign-ups exceed the threshold; reserved tenant seats when that scheme is on)
/// → the four-step rule as an opinion process (background, statements, debate, vote) → a
/// resolution or a cooling-off period; layered consultation with compensation options for
/// topics that split households by floor; execution, the one-month look-back review,
/// formalism and re-deliberation.
public struct DeliberationSettings: ParameterGroup {
    public init() {}
    public var enabled: Bool = false
    public var online: Bool = true
    public var offline: Bool = true
    public var doorToDoor: Bool = false
    public var agendaIntercept: Double = -2.0
    public var signupIntercept: Double = -2.5
    public var representativeThreshold: Int = 20
    public var seats: Int = 15
    public var topicsPerMonth: Int = 1
    public var weights: (need: Double, publicInterest: Double, solvable: Double) = (1, 1, 1)
    public var technicalShare: Double = 0.3
    public var experts: Bool = true
    public var expertPull: Double = 0.3
    public var backgroundPull: Double = 0.15
    public var hkEpsilon: Double = 0.2
    public var deffuantEpsilon: Double = 0.3
    public var deffuantMu: Double = 0.4
    public var debatePairings: Int = 3
    public var voteThreshold: Double = 0.5
    public var majorShare: Double = 0.2
    public var coolingOffDays: Int = 14
    public var divisiveShare: Double = 0.2
    public var layered: Bool = true
    public var compensation: Bool = false
    public var opposeFloor1: Double = 0.65
    public var opposeFloor2: Double = 0.3
    public var formalism: Double = 0.15
    public var executionDays: Int = 30
    public var reviewDays: Int = 30
    public var redeliberation: Double = 0.5
    public var costShare: Double = 0.4
    public var improvement: Double = 0.05
    public var voiceWeight: Double = 0.03
    public var carriedOutWeight: Double = 0.05
    public var formalismWeight: Double = 0.08
    public var meritMin: Double = 0.35
    public var meritMax: Double = 0.85
    /// Merit of proposed plans: uniform on [min, max] (max below min counts as min).
    public var merit: (min: Double, max: Double) { (meritMin, max(meritMin, meritMax)) }
    public var opinionSD: Double = 0.2
    /// Reserved tenant seats (the incentive scheme declared in Incentives.swift): share of seats, 0 when off.
    public var tenantSeats: Double = 0

    public static let parameters = ParameterTable<Self>("deliberation", [
        .flag(\.enabled, "enabled", "Co-deliberation (共商): monthly residents' council.", source: "FIVE-PILLARS.md §1"),
        .flag(\.online, "online", "Online agenda collection (group chats, mini-program) for digital households.",
              source: "FIVE-PILLARS.md §1 (议题征集)"),
        .flag(\.offline, "offline", "Offline agenda collection (suggestion box, building leaders).", source: "FIVE-PILLARS.md §1"),
        .flag(\.doorToDoor, "door_to_door", "Door-to-door consultation (上门协商): non-digital elderly households can raise topics at home.",
              source: "FIVE-PILLARS.md §1 (extending reach)"),
        .number(\.agendaIntercept, "agenda_intercept", -10...10, unit: "logit",
                "Added to the participation logit for raising a topic when the agenda is collected.", source: "rough prior; calibrated"),
        .number(\.signupIntercept, "signup_intercept", -10...10, unit: "logit",
                "Added to the participation logit for signing up to the council.", source: "rough prior; calibrated"),
        .count(\.representativeThreshold, "representative_threshold", 1...10_000, unit: "people",
             "When more sign up than this, representatives are elected per sub-area (grid).",
             source: "Shanghai deliberation hall: sign-ups > 20 → elected by sub-area (FIVE-PILLARS.md)"),
        .count(\.seats, "seats", 1...1000, unit: "seats", "Seats for elected representatives, shared among grids by households.",
             source: "rough prior: one representative per ~40 households"),
        .count(\.topicsPerMonth, "topics_per_month", 1...20, unit: "topics", "Topics deliberated each month.", source: "rough prior: one council per month"),
        .number(\.weights.need, "weight_need", 0...10, unit: "weight", "Three priorities: weight of felt need (share raising the topic).",
                source: "三个优先: strongly felt first (FIVE-PILLARS.md)"),
        .number(\.weights.publicInterest, "weight_public", 0...10, unit: "weight", "Three priorities: weight of public interest (share affected).",
                source: "三个优先: public interest first"),
        .number(\.weights.solvable, "weight_solvable", 0...10, unit: "weight", "Three priorities: weight of solvability.", source: "三个优先: solvable first"),
        .number(\.technicalShare, "technical_share", 0...1, unit: "share", "Share of topics that are technical (elevators, pipes).",
                source: "rough prior"),
        .flag(\.experts, "experts", "Experts join technical topics and pull opinions toward the evidence.", source: "FIVE-PILLARS.md §1"),
        .number(\.expertPull, "expert_pull", 0...1, unit: "share", "Extra move toward the evidence on technical topics with experts.",
                source: "rough prior"),
        .number(\.backgroundPull, "background_pull", 0...1, unit: "share", "Step 1, background: every attendee moves this share toward the plan's merit.",
                source: "BEHAVIOUR.md: background = common shift toward the evidence"),
        .number(\.hkEpsilon, "hk_epsilon", 0...1, unit: "opinion distance", "Step 2, statements: one Hegselmann–Krause round with confidence ε.",
                source: "Fortunato 2005: consensus needs ε ≈ 0.2 (BEHAVIOUR.md)"),
        .number(\.deffuantEpsilon, "deffuant_epsilon", 0...1, unit: "opinion distance", "Step 3, debate: Deffuant pairings within ε.",
                source: "Lorenz 2007 (BEHAVIOUR.md)"),
        .number(\.deffuantMu, "deffuant_mu", 0...0.5, unit: "share", "Debate: each pair moves this share toward each other.", source: "μ 0.3–0.5 (BEHAVIOUR.md)"),
        .count(\.debatePairings, "debate_pairings", 0...100, unit: "pairings per attendee", "Debate: random pairings per attendee.", source: "rough prior"),
        .number(\.voteThreshold, "vote_threshold", 0...1, unit: "share", "Step 4, vote: share in favour needed for a resolution.",
                source: "simple majority of attending representatives (Shanghai case)"),
        .number(\.majorShare, "major_share", 0...1, unit: "share", "Share of topics that are major and complex: a cooling-off period before the vote.",
                source: "冷静期 (FIVE-PILLARS.md); rough prior"),
        .count(\.coolingOffDays, "cooling_off_days", 0...180, unit: "days", "Cooling-off period: no vote on the day; one more round of reflection.",
             source: "rough prior"),
        .number(\.divisiveShare, "divisive_share", 0...1, unit: "share",
                "Share of topics that split households by floor (elevator retrofit): low floors lose light, quiet and price.",
                source: "Hongkou resales n = 2,133: break-even at floor 3 (BEHAVIOUR.md)"),
        .flag(\.layered, "layered", "Layered consultation (分层协商): high floors, then low floors, then everyone.", source: "FIVE-PILLARS.md §1"),
        .flag(\.compensation, "compensation", "Compensation options in layered consultation: floor-differentiated shares, ground floors exempt.",
              source: "floor coefficients 0.7…1.3, floors 1–2 pay nothing (BEHAVIOUR.md)"),
        .number(\.opposeFloor1, "oppose_floor1", 0...1, unit: "share", "Share of floor-1 households opposing an uncompensated divisive plan.",
                source: "rough 50–80 % (BEHAVIOUR.md)"),
        .number(\.opposeFloor2, "oppose_floor2", 0...1, unit: "share", "Share of floor-2 households opposing an uncompensated divisive plan.",
                source: "rough 20–40 % (BEHAVIOUR.md)"),
        .number(\.formalism, "formalism", 0...1, unit: "share", "Formalism (协商走过场): share of resolutions not carried out.",
                source: "known risk (FIVE-PILLARS.md); rough prior"),
        .count(\.executionDays, "execution_days", 1...720, unit: "days", "Days to carry out a resolution that needs no money.", source: "rough prior"),
        .count(\.reviewDays, "review_days", 1...360, unit: "days", "Look-back review (回头看) this many days after execution.",
             source: "one month (FIVE-PILLARS.md)"),
        .number(\.redeliberation, "redeliberation", 0...1, unit: "probability", "Chance that a resolution not carried out returns as a topic (复议).",
                source: "rough prior"),
        .number(\.costShare, "cost_share", 0...1, unit: "share", "Share of resolutions that need money and become co-construction projects.",
                source: "rough prior"),
        .number(\.improvement, "improvement", 0...1, unit: "amenity level", "Share of the distance to the best amenity level closed in the topic's category when a resolution needing no money is carried out.",
                source: "calibrated (Shanghai waste-point case)"),
        .number(\.meritMin, "merit_min", 0...1, unit: "support", "Lowest merit of a proposed plan (the support the evidence warrants; uniform between min and max).",
                source: "rough prior: plans range from contested to clearly good"),
        .number(\.meritMax, "merit_max", 0...1, unit: "support", "Highest merit of a proposed plan.", source: "rough prior"),
        .number(\.opinionSD, "opinion_sd", 0...1, unit: "support", "Spread of attendees' initial support around the plan's merit.", source: "rough prior"),
        .number(\.voiceWeight, "voice_weight", 0...1, unit: "satisfaction", "Being heard: satisfaction shock for attendees, whatever the outcome.",
                source: "procedural justice, Lind, Kanfer & Earley 1990 (BEHAVIOUR.md)"),
        .number(\.carriedOutWeight, "carried_out_weight", 0...1, unit: "satisfaction",
                "At the review: shock for attendees and those who raised the topic when the resolution was carried out.",
                source: "Mertins & Walter 2020: voice raises effort; rough prior"),
        .number(\.formalismWeight, "formalism_weight", 0...1, unit: "satisfaction", "At the review: fall for them when it was not carried out.",
                source: "rough prior; trust falls under formalism (MODEL.md adaptation)"),
    ])
}

/// A resolution being carried out, awaiting its look-back review.
public struct Resolution: Sendable {
    public var category: AmenityCategory
    public var agendaDay: Int
    public var dueDay: Int
    public var reviewDay: Int
    public var carriedOut: Bool
    /// Filled when a co-construction project carries it out.
    public var projectID: Int?
    public var stakeholders: [Int32]
}

/// Co-deliberation state of one community.
public struct DeliberationState: Sendable {
    /// Last day each household attended a council (for attendance by group); sized on first use.
    public var lastAttended: [Int32] = []
    /// Votes: (day, approval share, approval among low floors or NaN).
    public var votes: [(day: Int32, approval: Double, lowFloors: Double)] = []
    /// Resolutions carried out or not, at their review: (day, days from agenda to execution, carried out).
    public var reviews: [(day: Int32, days: Double, carriedOut: Bool)] = []
    public var open: [Resolution] = []
    /// Topics waiting for re-deliberation (category).
    public var redo: [AmenityCategory] = []
    /// Votes deferred by a cooling-off period.
    public var pending: [(voteDay: Int, topic: Topic, attendees: [Int32], opinions: [Double])] = []
    /// Resolutions recorded since the start.
    public var resolutionsTotal = 0
    public init() {}
}

/// A topic raised on the agenda.
public struct Topic: Sendable {
    public var category: AmenityCategory
    public var need: Double
    public var publicInterest: Double
    public var solvable: Double
    public var technical: Bool
    public var major: Bool
    public var divisive: Bool
    public var merit: Double
    public var raisedBy: [Int32]
    public var agendaDay: Int
}

public struct Deliberation: Mechanism {
    public typealias Parameters = DeliberationSettings
    public static let name = "deliberation"
    public let cadence = Cadence.daily
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        if c.deliberation.lastAttended.count != c.hh.count {
            c.deliberation.lastAttended = Array(repeating: Int32.min / 2, count: c.hh.count)
        }
        // Daily bookkeeping: deferred votes, executions and look-back reviews (also after switching off).
        if !c.deliberation.pending.isEmpty { runPendingVotes(&c, day: day) }
        if !c.deliberation.open.isEmpty { review(&c, day: day) }
        guard c.settings.deliberation.enabled, Cadence.monthly.fires(on: day) else { return }
        let s = c.settings.deliberation
        let topics = collectAgenda(&c, day: day)
        let chosen = topics.sorted { score($0, s) > score($1, s) }.prefix(s.topicsPerMonth)
        for topic in chosen { deliberate(topic, &c, day: day) }
    }

    func score(_ t: Topic, _ s: DeliberationSettings) -> Double {
        s.weights.need * t.need + s.weights.publicInterest * t.publicInterest + s.weights.solvable * t.solvable
    }

    /// Agenda collection: households raise topics through the channels open to them; the
    /// category follows the amenity deficits (what is worst is raised most).
    func collectAgenda(_ c: inout Community, day: Int) -> [Topic] {
        let s = c.settings.deliberation
        let k = AmenityCategory.allCases.count
        var weights = (0..<k).map { 0.05 + max(0, 1 - c.amenity[$0]) }
        for r in c.deliberation.redo { weights[r.rawValue] += 0.5 }
        let totalW = weights.reduce(0, +)
        var raisers = [[Int32]](repeating: [], count: k)
        for h in 0..<c.hh.count {
            let channel = (s.online && c.hh.digital[h]) || s.offline
                || (s.doorToDoor && c.hh.age[h] == AgeGroup.elderly.rawValue)
            guard channel else { continue }
            // Offline only: the effort of going to the box or the building leader costs a little.
            let cost: Float = (s.online && c.hh.digital[h]) || (s.doorToDoor && c.hh.age[h] == 2) ? 0 : 0.5
            let p = sigmoidF(c.participationLogit(h, day: day) + Float(s.agendaIntercept) - cost)
            guard rng.uniform() < Double(p) else { continue }
            var u = rng.uniform() * totalW
            var cat = 0
            while cat < k - 1, u >= weights[cat] { u -= weights[cat]; cat += 1 }
            raisers[cat].append(Int32(h))
            c.recordAct(h, .agenda, day: day)
        }
        c.deliberation.redo.removeAll()
        let n = Double(max(1, c.hh.count))
        let maxRaised = Double(raisers.map(\.count).max() ?? 0)
        return (0..<k).compactMap { cat in
            guard !raisers[cat].isEmpty else { return nil }
            return Topic(
                category: AmenityCategory(rawValue: cat)!,
                need: Double(raisers[cat].count) / max(1, maxRaised),
                publicInterest: min(1, Double(raisers[cat].count) / n * 10),
                solvable: rng.uniform(),
                technical: cat == AmenityCategory.infrastructure.rawValue && rng.bernoulli(s.technicalShare * 2)
                    || rng.bernoulli(s.technicalShare / 2),
                major: rng.bernoulli(s.majorShare),
                divisive: rng.bernoulli(s.divisiveShare),
                merit: s.merit.min + (s.merit.max - s.merit.min) * rng.uniform(),
                raisedBy: raisers[cat], agendaDay: day)
        }
    }

    /// Sign-ups; representatives elected per grid when sign-ups exceed the threshold, with
    /// reserved tenant seats when that scheme is on.
    func attendees(_ c: inout Community, day: Int) -> [Int32] {
        let s = c.settings.deliberation
        var signups: [Int32] = []
        for h in 0..<c.hh.count {
            let p = sigmoidF(c.participationLogit(h, day: day) + Float(s.signupIntercept))
            if rng.uniform() < Double(p) { signups.append(Int32(h)) }
        }
        guard signups.count > s.representativeThreshold else { return signups }
        // Seats per grid in proportion to households; within a grid, the most motivated sign-ups are elected.
        let grids = c.settings.population.grids
        var perGrid = [[Int32]](repeating: [], count: grids)
        for h in signups { perGrid[Int(c.hh.grid[Int(h)])].append(h) }
        var gridSize = [Int](repeating: 0, count: grids)
        for g in c.hh.grid { gridSize[Int(g)] += 1 }
        let tenantSeats = s.tenantSeats
        var elected: [Int32] = []
        for g in 0..<grids where !perGrid[g].isEmpty {
            let seats = max(1, Int((Double(s.seats) * Double(gridSize[g]) / Double(max(1, c.hh.count))).rounded()))
            var pool = perGrid[g]
            // Election: vote share grows with motivation and party membership, plus noise.
            var score = pool.map { h -> Double in
                Double(c.hh.motivation[Int(h)]) + (c.hh.roles[Int(h)] & Roles.partyMember.rawValue != 0 ? 0.2 : 0)
                    + (c.hh.tenure[Int(h)] == 0 ? 0.1 : 0) + 0.3 * rng.uniform()
            }
            var order = Array(pool.indices).sorted { score[$0] > score[$1] }
            var chosen: [Int32] = []
            let reserved = Int((Double(seats) * tenantSeats).rounded())
            if reserved > 0 {
                let tenants = order.filter { c.hh.tenure[Int(pool[$0])] == 1 }.prefix(reserved)
                chosen += tenants.map { pool[$0] }
                order.removeAll { tenants.contains($0) }
            }
            chosen += order.prefix(max(0, seats - chosen.count)).map { pool[$0] }
            pool.removeAll(); score.removeAll()
            elected += chosen
        }
        for h in elected { c.hh.roles[Int(h)] |= Roles.representative.rawValue }
        return elected
    }

    /// Initial support for the plan: around its merit, with floor-driven opposition on divisive topics.
    func opinion(_ h: Int, _ t: Topic, _ c: borrowing Community) -> Double {
        let s = c.settings.deliberation
        var x = t.merit + rng.gaussian(s.opinionSD)
        if t.divisive {
            let floor = Int(c.hh.floor[h])
            var oppose = floor == 1 ? s.opposeFloor1 : (floor == 2 ? s.opposeFloor2 : 0)
            // Compensation (floor-differentiated shares, ground floors exempt) halves opposition.
            if s.compensation && s.layered { oppose *= 0.5 }
            if floor >= 3 { x += 0.15 } else if rng.bernoulli(oppose) { x = 0.15 + 0.15 * rng.uniform() }
        }
        return min(1, max(0, x))
    }

    func deliberate(_ t: Topic, _ c: inout Community, day: Int) {
        let s = c.settings.deliberation
        let people = attendees(&c, day: day)
        guard !people.isEmpty else { return }
        for h in people {
            c.recordAct(Int(h), .deliberation, day: day)
            c.deliberation.lastAttended[Int(h)] = Int32(day)
            c.shock(Int(h), satisfaction: Float(s.voiceWeight), trust: 0.01)
        }
        var x = people.map { opinion(Int($0), t, c) }
        // Step 1, background: a common shift toward the plan's merit (stronger with experts on technical topics).
        let pull = s.backgroundPull + (t.technical && s.experts ? s.expertPull : 0)
        for i in x.indices { x[i] += pull * (t.merit - x[i]) }
        // Layered consultation: rounds within high and low floors before the plenary.
        if t.divisive && s.layered {
            let low = x.indices.filter { c.hh.floor[Int(people[$0])] <= 2 }
            let high = x.indices.filter { c.hh.floor[Int(people[$0])] > 2 }
            hkRound(&x, among: low, epsilon: s.hkEpsilon)
            hkRound(&x, among: high, epsilon: s.hkEpsilon)
        }
        // Step 2, statements: one Hegselmann–Krause round. Step 3, debate: Deffuant pairings.
        hkRound(&x, among: Array(x.indices), epsilon: s.hkEpsilon)
        debate(&x, pairings: s.debatePairings * x.count, epsilon: s.deffuantEpsilon, mu: s.deffuantMu)
        if t.major && s.coolingOffDays > 0 {
            c.deliberation.pending.append((day + s.coolingOffDays, t, people, x))
        } else {
            vote(t, people, x, &c, day: day)
        }
    }

    func hkRound(_ x: inout [Double], among idx: [Int], epsilon: Double) {
        guard idx.count > 1 else { return }
        let old = idx.map { x[$0] }
        for (a, i) in idx.enumerated() {
            var sum = 0.0, n = 0
            for b in old.indices where abs(old[b] - old[a]) <= epsilon { sum += old[b]; n += 1 }
            x[i] = sum / Double(n)
        }
    }

    func debate(_ x: inout [Double], pairings: Int, epsilon: Double, mu: Double) {
        guard x.count > 1 else { return }
        for _ in 0..<pairings {
            let a = rng.int(below: x.count)
            var b = rng.int(below: x.count - 1)
            if b >= a { b += 1 }
            let d = x[b] - x[a]
            if abs(d) <= epsilon { x[a] += mu * d; x[b] -= mu * d }
        }
    }

    func runPendingVotes(_ c: inout Community, day: Int) {
        var i = 0
        while i < c.deliberation.pending.count {
            let p = c.deliberation.pending[i]
            if p.voteDay <= day {
                var x = p.opinions
                // Reflection during the cooling-off period: one more statements round.
                hkRound(&x, among: Array(x.indices), epsilon: c.settings.deliberation.hkEpsilon)
                c.deliberation.pending.remove(at: i)
                vote(p.topic, p.attendees, x, &c, day: day)
            } else {
                i += 1
            }
        }
    }

    /// Step 4: the vote. A resolution needing money becomes a project; otherwise it is carried
    /// out after the execution period unless formalism strikes.
    func vote(_ t: Topic, _ people: [Int32], _ x: [Double], _ c: inout Community, day: Int) {
        let s = c.settings.deliberation
        let favour = x.filter { $0 >= 0.5 }.count
        let approval = Double(favour) / Double(x.count)
        let lowIdx = x.indices.filter { c.hh.floor[Int(people[$0])] <= 2 }
        let low = lowIdx.isEmpty ? .nan : Double(lowIdx.filter { x[$0] >= 0.5 }.count) / Double(lowIdx.count)
        c.deliberation.votes.append((Int32(day), approval, low))
        guard approval >= s.voteThreshold else { return }
        c.deliberation.resolutionsTotal += 1
        let stakeholders = Array(Set(people + t.raisedBy))
        let carried = !rng.bernoulli(s.formalism)
        var r = Resolution(category: t.category, agendaDay: t.agendaDay, dueDay: day + s.executionDays,
                           reviewDay: day + s.executionDays + s.reviewDays, carriedOut: carried, projectID: nil,
                           stakeholders: stakeholders)
        if carried, rng.bernoulli(s.costShare), c.settings.construction.enabled {
            r.projectID = c.proposeProject(category: t.category, day: day)
            r.dueDay = Int.max
            r.reviewDay = Int.max
        }
        c.deliberation.open.append(r)
    }

    /// Execution and the look-back review.
    func review(_ c: inout Community, day: Int) {
        let s = c.settings.deliberation
        var i = 0
        while i < c.deliberation.open.count {
            var r = c.deliberation.open[i]
            if let id = r.projectID, r.dueDay == Int.max, let done = c.projectFinished(id) {
                r.dueDay = done.day
                r.reviewDay = done.day + s.reviewDays
                r.carriedOut = done.completed
                c.deliberation.open[i] = r
            }
            if r.dueDay == day, r.carriedOut, r.projectID == nil {
                c.improve(r.category, by: s.improvement)
            }
            if r.reviewDay <= day {
                let w = Float(r.carriedOut ? s.carriedOutWeight : -s.formalismWeight)
                for h in r.stakeholders { c.shock(Int(h), satisfaction: w, trust: r.carriedOut ? 0.03 : -0.05) }
                c.deliberation.reviews.append((Int32(day), Double(r.dueDay - r.agendaDay), r.carriedOut))
                if !r.carriedOut, rng.bernoulli(s.redeliberation) { c.deliberation.redo.append(r.category) }
                c.deliberation.open.remove(at: i)
            } else {
                i += 1
            }
        }
    }
}

extension Community {
    /// Outputs of co-deliberation, over the trailing window.
    func observeDeliberation(day: Int, into out: inout OutputRow) {
        let w = settings.participation.windowDays
        let since = Int32(day - w)
        let votes = deliberation.votes.filter { $0.day > since }
        if !votes.isEmpty {
            out[.approvalShare] = votes.map(\.approval).reduce(0, +) / Double(votes.count)
            let low = votes.map(\.lowFloors).filter { !$0.isNaN }
            if !low.isEmpty { out[.approvalShareLowFloors] = low.reduce(0, +) / Double(low.count) }
        }
        out[.resolutions] = Double(deliberation.resolutionsTotal)
        let reviews = deliberation.reviews.filter { $0.day > since }
        if !reviews.isEmpty {
            let done = reviews.filter(\.carriedOut)
            out[.formalismShare] = Double(reviews.count - done.count) / Double(reviews.count)
            if !done.isEmpty { out[.deliberationDays] = done.map(\.days).reduce(0, +) / Double(done.count) }
        }
        guard settings.deliberation.enabled || !deliberation.votes.isEmpty, deliberation.lastAttended.count == hh.count else { return }
        var n = [Int](repeating: 0, count: 5), a = [Int](repeating: 0, count: 5)
        for h in 0..<hh.count {
            let t = Int(hh.tenure[h]), g = 2 + Int(hh.age[h])
            n[t] += 1; n[g] += 1
            if deliberation.lastAttended[h] > since { a[t] += 1; a[g] += 1 }
        }
        let outs: [Output] = [.attendanceOwner, .attendanceTenant, .attendanceYoung, .attendanceMiddle, .attendanceElderly]
        for k in 0..<5 where n[k] > 0 { out[outs[k]] = Double(a[k]) / Double(n[k]) }
    }
}

extension Deliberation {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeDeliberation(day: day, into: &out) }
}
