import Foundation
import SimCore
import SimConfig

/// Survey channels.
public enum SurveyChannel: Int, CaseIterable, Sendable {
    case online, visit, phone
    public var name: String { ["online", "visit", "phone"][rawValue] }
}

/// One quarter's survey and evaluation.
public struct SurveyResult: Sendable {
    public var day = 0
    /// Households drawn (without replacement).
    public var sampled = 0
    /// Respondents by channel (`SurveyChannel` order).
    public var respondentsByChannel = [0, 0, 0]
    public var respondents: Int { respondentsByChannel.reduce(0, +) }
    /// Share of respondents whose overall answer is satisfied (≥ 0.6); NaN without respondents.
    public var satisfiedShare = Double.nan
    /// Share of respondents satisfied on each indicator (`Indicator` order).
    public var indicatorShares = [Double](repeating: .nan, count: Indicator.allCases.count)
    /// Indicator-weighted share of satisfied ratings.
    public var residentsScore = Double.nan
    /// Share of all households satisfied (what the other evaluators judge by).
    public var trueRate = Double.nan
    /// Other evaluators' scores (`OtherEvaluator` order).
    public var otherScores = [Double](repeating: .nan, count: OtherEvaluator.allCases.count)
    /// Composite evaluation score (residents' weight ≥ 60 %).
    public var score = Double.nan
}

extension Evaluation {
    /// Draw the sample, collect answers by channel, score the six indicators.
    mutating func survey(_ c: inout Community, day: Int) -> SurveyResult {
        let s = c.settings.evaluation
        let n = c.hh.count
        var r = SurveyResult()
        r.day = day
        if c.evaluation.everyone.count != n { c.evaluation.everyone = (0..<n).map { Int32($0) } }
        if c.evaluation.overdue.count != n { c.evaluation.overdue = [Bool](repeating: false, count: n) }
        if c.evaluation.lastVisit.count != n { c.evaluation.lastVisit = [Int32](repeating: Int32.min / 2, count: n) }

        // Community-level state: what every household sees (one pass over households, one over problems).
        let window = c.settings.participation.windowDays
        let cutoff = Int32(day - window)
        var satisfied = 0, active = 0
        for h in 0..<n {
            if c.satisfaction(h) >= 0.6 { satisfied += 1 }
            if c.hh.lastAct[h] > cutoff { active += 1 }
        }
        let nd = Double(max(n, 1))
        r.trueRate = n > 0 ? Double(satisfied) / nd : .nan
        let participation = Double(active) / nd
        let disputes = c.disputes.total / (nd / 100) / (Double(window) / 30)
        let a = c.amenity
        let env = (a[AmenityCategory.environment.rawValue] + a[AmenityCategory.safety.rawValue]) / 2
        let upkeep = (a[AmenityCategory.infrastructure.rawValue] + a[AmenityCategory.parking.rawValue]
            + a[AmenityCategory.propertyService.rawValue]) / 3
        let current = [disputes, participation, env, upkeep]
        if c.evaluation.reference[0].isNaN { c.evaluation.reference = current }
        let ref = c.evaluation.reference
        // Resolution days of the quarter against the residents' expectation.
        var sum = 0.0, m = 0
        for e in c.resolvedLog.reversed() {
            if e.day <= Int32(day - 90) { break }
            sum += Double(e.days); m += 1
        }
        let expected = c.expectedDays
        let efficiencyD = m > 0 ? disconfirmation(better: expected, worse: sum / Double(m)) : 0
        let w = s.performanceWeight
        var term = [Double](repeating: 0, count: Indicator.allCases.count)
        term[Indicator.efficiency.rawValue] = w * efficiencyD
        term[Indicator.environment.rawValue] = w * disconfirmation(better: env, worse: ref[2])
        term[Indicator.conflict.rawValue] = w * disconfirmation(better: ref[0], worse: disputes)
        term[Indicator.culture.rawValue] = w * disconfirmation(better: participation, worse: ref[1])
        term[Indicator.upkeep.rawValue] = w * disconfirmation(better: upkeep, worse: ref[3])
        for i in 0..<c.problems.count where Double(day - Int(c.problems.arose[i])) > expected {
            c.evaluation.overdue[Int(c.problems.household[i])] = true
        }

        // The sample, without replacement.
        let sample = rng.choose(min(s.sampleSize, n), from: c.evaluation.everyone)
        r.sampled = sample.count
        var yes = 0
        var indicatorYes = [Int](repeating: 0, count: Indicator.allCases.count)
        let visitedSince = Int32(day - 90)
        for h32 in sample {
            let h = Int(h32)
            // Channel: online for digital households, a home visit for the others, then a phone check.
            let first: SurveyChannel = c.hh.digital[h] ? .online : .visit
            let trust = Double(c.hh.trust[h])
            var channel: SurveyChannel?
            if rng.uniform() < responseProbability(first == .online ? s.responseOnline : s.responseVisit, trust: trust, s) {
                channel = first
            } else if rng.uniform() < responseProbability(s.responsePhone, trust: trust, s) {
                channel = .phone
            }
            guard let ch = channel else { continue }
            r.respondentsByChannel[ch.rawValue] += 1
            let sh = Double(c.satisfaction(h))
            // An interviewer in front of (or on the line with) a dissatisfied respondent: some say satisfied anyway.
            let interviewed = ch != .online && s.overreport > 0
            if sh + rng.gaussian(s.responseNoise) >= 0.6 || (interviewed && rng.bernoulli(s.overreport)) { yes += 1 }
            for k in Indicator.allCases {
                var t = term[k.rawValue]
                if k == .attitude, c.evaluation.lastVisit[h] > visitedSince { t += s.contactBonus }
                if k == .efficiency, c.evaluation.overdue[h] { t -= s.overduePenalty }
                if sh + t + rng.gaussian(s.responseNoise) >= 0.6 || (interviewed && rng.bernoulli(s.overreport)) {
                    indicatorYes[k.rawValue] += 1
                }
            }
        }
        for i in 0..<c.problems.count { c.evaluation.overdue[Int(c.problems.household[i])] = false }
        c.evaluation.lastSample = sample

        let answered = r.respondents
        if answered > 0 {
            r.satisfiedShare = Double(yes) / Double(answered)
            r.indicatorShares = indicatorYes.map { Double($0) / Double(answered) }
            let wSum = s.indicatorWeights.reduce(0, +)
            r.residentsScore = zip(s.indicatorWeights, r.indicatorShares).map { $0 * $1 }.reduce(0, +) / wSum
        }
        // Expectations of community-level performance adapt (monthly rate, three months).
        let alpha = 1 - pow(1 - c.settings.satisfaction.expectationAdaptation, 3)
        for k in 0..<4 { c.evaluation.reference[k] += alpha * (current[k] - c.evaluation.reference[k]) }
        return r
    }

    /// The other evaluators' scores and the composite score.
    func evaluate(_ r: inout SurveyResult, c: inout Community) {
        let s = c.settings.evaluation
        for e in OtherEvaluator.allCases {
            r.otherScores[e.rawValue] = min(1, max(0, r.trueRate + s.otherBiases[e.rawValue] + rng.gaussian(s.otherNoise)))
        }
        let shareSum = s.otherShares.reduce(0, +)
        var others = 0.0
        if shareSum > 0 {
            for e in OtherEvaluator.allCases { others += s.otherShares[e.rawValue] / shareSum * r.otherScores[e.rawValue] }
        }
        r.score = s.residentWeight * r.residentsScore + (1 - s.residentWeight) * others
    }

    func responseProbability(_ p: Double, trust: Double, _ s: EvaluationSettings) -> Double {
        s.responseTrustBias == 0 ? p : sigmoid(logit(p) + s.responseTrustBias * (trust - 0.5))
    }
}
