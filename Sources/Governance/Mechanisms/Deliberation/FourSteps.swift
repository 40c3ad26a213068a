import Foundation
import SimCore
import SimConfig

/// The four-step rule (四议规则) as an opinion process: background, statements (one
/// Hegselmann–Krause round), debate (Deffuant pairings), then the vote or the cooling-off.
extension Deliberation {
    /// Initial support for the plan: around its merit less the status-quo bias, with
    /// floor-driven opposition on divisive topics.
    func opinion(_ h: Int, _ t: Topic, _ c: borrowing Community) -> Double {
        let s = c.settings.deliberation
        var x = t.merit - s.statusQuoBias + rng.gaussian(s.opinionSD)
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
        // Experts improve a technical plan before it is put to the council.
        var t = t
        if t.technical && s.experts { t.merit = min(1, t.merit + s.expertMeritGain) }
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
}
