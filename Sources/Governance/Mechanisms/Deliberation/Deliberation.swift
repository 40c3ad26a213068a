import Foundation
import SimCore
import SimConfig

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
    /// Resolutions not carried out that return to the next council's agenda (复议), oldest first.
    public var redo: [Resolution] = []
    /// Each topic put on a council's agenda: (day, `AmenityCategory.rawValue`, whether it
    /// returned for re-deliberation).
    public var agendaLog: [(day: Int32, category: UInt8, returned: Bool)] = []
    /// Votes deferred by a cooling-off period.
    public var pending: [(voteDay: Int, topic: Topic, attendees: [Int32], opinions: [Double])] = []
    /// Resolutions recorded since the start.
    public var resolutionsTotal = 0
    /// Councils met, those whose sign-ups exceeded the threshold (representatives elected), and
    /// the seats that went to tenants under the reserved-seat rule, since the start.
    public var councils = 0
    public var electedCouncils = 0
    public var reservedSeatsFilled = 0
    /// Each council's day and the reserved seats tenants filled in it (`reserved_tenant_seats`).
    public var seatLog: [(day: Int32, reserved: Int32)] = []
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
    /// The plan needs money and becomes a co-construction project when carried out.
    public var needsMoney: Bool
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
        for topic in agenda(&c, day: day) { deliberate(topic, &c, day: day) }
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
        if carried, t.needsMoney, c.settings.construction.enabled {
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
                if !r.carriedOut, rng.bernoulli(s.redeliberation) { c.deliberation.redo.append(r) }
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
        let councils = deliberation.seatLog.filter { $0.day > since }
        if !councils.isEmpty {
            out[.reservedTenantSeats] = Double(councils.map { Int($0.reserved) }.reduce(0, +)) / Double(councils.count)
        }
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
