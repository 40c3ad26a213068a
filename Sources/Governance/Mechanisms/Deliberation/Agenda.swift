import Foundation
import SimCore
import SimConfig

/// Co-deliberation's agenda: topics collected online and offline, ranked by the three
/// priorities (三个优先), and the people who attend (sign-ups, representatives per grid, seats).
extension Deliberation {
    func score(_ t: Topic, _ s: DeliberationSettings) -> Double {
        s.weights.need * t.need + s.weights.publicInterest * t.publicInterest + s.weights.solvable * t.solvable
    }

    /// The month's agenda: topics returned for re-deliberation after a failed review (复议, in
    /// addition to the month's topics), then `topics_per_month` new topics by the three priorities.
    func agenda(_ c: inout Community, day: Int) -> [Topic] {
        let s = c.settings.deliberation
        var chosen = c.deliberation.redo.map { redoTopic($0, c, day: day) }
        c.deliberation.redo.removeAll()
        let returned = chosen.count
        let fresh = collectAgenda(&c, day: day)
        chosen += fresh.sorted { score($0, s) > score($1, s) }.prefix(s.topicsPerMonth)
        for (i, t) in chosen.enumerated() {
            c.deliberation.agendaLog.append((Int32(day), UInt8(t.category.rawValue), i < returned))
        }
        return chosen
    }

    /// Agenda collection: households raise topics through the channels open to them. A household
    /// with an open problem raises its category with probability `own_problem_share`; otherwise
    /// the category follows the community's amenity deficits (what is worst is raised most).
    /// Each topic is scored on the three priorities (三个优先), each in [0, 1]:
    /// - need (strongly felt): severity × households raising it — the category's deficit 1 − a_k
    ///   times its raisers, relative to the topic with the most of that product;
    /// - public interest: breadth of who benefits — the share of buildings the raisers live in,
    ///   times the share of households the category serves (parking: households with a car);
    /// - solvability, as known at the time: a plan needing money is solvable in the share of its
    ///   expected cost (the median project) that the fiscal share and the micro-fund cover; a
    ///   technical plan without experts only `technical_feasibility` as often.
    func collectAgenda(_ c: inout Community, day: Int) -> [Topic] {
        let s = c.settings.deliberation
        let k = AmenityCategory.allCases.count
        let weights = (0..<k).map { 0.05 + max(0, 1 - c.amenity[$0]) }
        let totalW = weights.reduce(0, +)
        // The category of each household's open problem (the last one listed), or −1.
        var own = [Int8](repeating: -1, count: c.hh.count)
        for i in 0..<c.problems.count { own[Int(c.problems.household[i])] = Int8(c.problems.category[i]) }
        var raisers = [[Int32]](repeating: [], count: k)
        for h in 0..<c.hh.count {
            let channel = (s.online && c.hh.digital[h]) || s.offline
                || (s.doorToDoor && c.hh.age[h] == AgeGroup.elderly.rawValue)
            guard channel else { continue }
            // Offline only: the effort of going to the box or the building leader costs a little.
            let cost: Float = (s.online && c.hh.digital[h]) || (s.doorToDoor && c.hh.age[h] == 2) ? 0 : 0.5
            let p = sigmoidF(Community.participationLogit(reading: &c, h, day: day, for: .agenda) + Float(s.agendaIntercept) - cost)
            guard rng.uniform() < Double(p) else { continue }
            var cat: Int
            if own[h] >= 0, rng.bernoulli(s.ownProblemShare) {
                cat = Int(own[h])
            } else {
                var u = rng.uniform() * totalW
                cat = 0
                while cat < k - 1, u >= weights[cat] { u -= weights[cat]; cat += 1 }
            }
            raisers[cat].append(Int32(h))
            c.recordAct(h, .agenda, day: day)
        }
        let felt = (0..<k).map { max(0, 1 - c.amenity[$0]) * Double(raisers[$0].count) }
        let maxFelt = felt.max() ?? 0
        let buildings = max(1, c.hh.buildingCount)
        let carShare = Double(c.hh.car.lazy.filter { $0 }.count) / Double(max(1, c.hh.count))
        let money = moneyCoverage(c)
        return (0..<k).compactMap { cat in
            guard !raisers[cat].isEmpty else { return nil }
            let category = AmenityCategory(rawValue: cat)!
            var inBuilding = Set<Int32>()
            for h in raisers[cat] { inBuilding.insert(c.hh.building[Int(h)]) }
            let reach = category == .parking ? carShare : 1
            let technical = cat == AmenityCategory.infrastructure.rawValue && rng.bernoulli(s.technicalShare * 2)
                || rng.bernoulli(s.technicalShare / 2)
            // Without co-construction a plan is carried out by the community's ordinary means.
            let needsMoney = rng.bernoulli(s.costShare) && c.settings.construction.enabled
            let feasible = technical && !s.experts ? s.technicalFeasibility : 1
            return Topic(
                category: category,
                need: maxFelt > 0 ? felt[cat] / maxFelt : 0,
                publicInterest: reach * Double(inBuilding.count) / Double(buildings),
                solvable: (needsMoney ? money : 1) * feasible,
                technical: technical,
                major: rng.bernoulli(s.majorShare),
                divisive: rng.bernoulli(s.divisiveShare),
                merit: s.merit.min + (s.merit.max - s.merit.min) * rng.uniform(),
                needsMoney: needsMoney,
                raisedBy: raisers[cat], agendaDay: day)
        }
    }

    /// Share of a median project's cost that its fiscal money and the micro-fund's balance would
    /// cover today, in [0, 1]: what a council can know of a plan's affordability.
    func moneyCoverage(_ c: borrowing Community) -> Double {
        let b = c.settings.construction
        guard b.costMedian > 0 else { return 1 }
        let fiscal = min(b.fiscalShare * b.costMedian, b.fiscalCap)
        return min(1, (fiscal + max(0, c.ledger.microfundBalance)) / b.costMedian)
    }

    /// A resolution not carried out, back on the agenda with the households who held it.
    func redoTopic(_ r: Resolution, _ c: borrowing Community, day: Int) -> Topic {
        let s = c.settings.deliberation
        return Topic(category: r.category, need: 1, publicInterest: 1, solvable: 1, technical: false,
                     major: false, divisive: false, merit: s.merit.min + (s.merit.max - s.merit.min) * rng.uniform(),
                     needsMoney: r.projectID != nil && c.settings.construction.enabled, raisedBy: r.stakeholders, agendaDay: day)
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
