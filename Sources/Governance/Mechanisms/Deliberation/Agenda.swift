import Foundation
import SimCore
import SimConfig

/// Co-deliberation's agenda: topics collected online and offline, ranked by the three
/// priorities (三个优先), and the people who attend (sign-ups, representatives per grid, seats).
extension Deliberation {
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
            let p = sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .agenda) + Float(s.agendaIntercept) - cost)
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

    /// Sign-ups; representatives elected per grid when sign-ups exceed the threshold (scaled
    /// with the community's size), with reserved tenant seats when that scheme is on (whose
    /// staff also ask tenants to stand).
    func attendees(_ c: inout Community, day: Int) -> [Int32] {
        let s = c.settings.deliberation
        var signups: [Int32] = []
        let tenantTerm = Float(s.tenantSignupLogit)
        for h in 0..<c.hh.count {
            let asked: Float = c.hh.tenure[h] == Tenure.tenant.rawValue ? tenantTerm : 0
            let p = sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .deliberation) + Float(s.signupIntercept) + asked)
            if rng.uniform() < Double(p) { signups.append(Int32(h)) }
        }
        c.deliberation.councils += 1
        c.deliberation.seatLog.removeAll { $0.day <= Int32(day - c.settings.participation.windowDays) }
        c.deliberation.seatLog.append((Int32(day), 0))
        guard signups.count > s.electionThreshold(households: c.hh.count) else { return signups }
        c.deliberation.electedCouncils += 1
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
                c.deliberation.reservedSeatsFilled += tenants.count
                c.deliberation.seatLog[c.deliberation.seatLog.count - 1].reserved += Int32(tenants.count)
                order.removeAll { tenants.contains($0) }
            }
            chosen += order.prefix(max(0, seats - chosen.count)).map { pool[$0] }
            pool.removeAll(); score.removeAll()
            elected += chosen
        }
        for h in elected { c.hh.roles[Int(h)] |= Roles.representative.rawValue }
        return elected
    }
}
