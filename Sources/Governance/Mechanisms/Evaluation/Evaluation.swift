import Foundation
import SimCore
import SimConfig

/// State of co-evaluation within one community.
public struct EvaluationState: Sendable {
    /// The last quarter's survey (the outputs keep its values until the next one).
    public var last = SurveyResult()
    /// The households drawn in the last survey.
    public var lastSample: [Int32] = []
    /// Evaluation scores of every quarter so far (co-evaluation on), oldest first.
    public var scores: [Double] = []
    /// Consecutive quarters below the leadership threshold.
    public var lowQuarters = 0
    /// Leadership changes (summoned or replaced) since the start.
    public var leadershipChanges = 0
    /// Quarters that earned the award (score ≥ award threshold), and whether the last did.
    public var awards = 0
    public var awarded = false
    /// The award's reward: multiplier on the yearly fiscal budget until the next survey
    /// (1 + `award.budget_bonus` after an awarded quarter, else 1).
    public var awardMultiplier = 1.0
    /// District mode: this community ranks in the top share and gets project money first;
    /// `fiscalMultiplier` multiplies its yearly fiscal budget (1 outside district mode) —
    /// the construction mechanism reads it. `rank` is 1-based, 0 when unranked.
    public var fundingPriority = false
    public var fiscalMultiplier = 1.0
    public var rank = 0
    /// District mode: the score of the last community in the top share at the last ranking,
    /// which a community outside it aims for (0 in the top share and outside district mode).
    public var rankTarget = 0.0
    /// Staff home visits: the day each household was last visited, and each monthly round's
    /// visits (day, staff visits, the home-visits scheme's visits that month).
    public var lastVisit: [Int32] = []
    public var visitLog: [(day: Int32, count: Int32, scheme: Int32)] = []
    public var visitsTotal = 0
    /// Residents' adapting expectations of community-level performance (set at the first survey):
    /// disputes per 100 households per month, participation rate, environment and upkeep amenity.
    public var reference = [Double](repeating: .nan, count: 4)
    /// Scratch: households waiting longer than expected for a problem (reused each quarter).
    var overdue: [Bool] = []
    var everyone: [Int32] = []
    public init() {}

    /// Mean of the last `k` scores (NaN when there are none).
    public func recentScore(_ k: Int) -> Double {
        let xs = scores.suffix(max(1, k)).filter { !$0.isNaN }
        return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    }
}

public struct Evaluation: Mechanism {
    public typealias Parameters = EvaluationSettings
    public static let name = "evaluation"
    /// Monthly: staff home visits every month, the survey and its consequences every quarter.
    public let cadence = Cadence.monthly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        // Without co-evaluation effort follows administrative targets.
        if !c.settings.evaluation.enabled {
            c.staffEffort = 1
            c.evaluation.awardMultiplier = 1
            if c.evaluation.rank == 0 { c.evaluation.fiscalMultiplier = 1 }
        }
        homeVisits(&c, day: day)
        guard Cadence.quarterly.fires(on: day), c.settings.evaluation.enabled || c.settings.evaluation.surveyAlways else { return }
        let s = c.settings.evaluation
        var r = survey(&c, day: day)
        if s.enabled {
            evaluate(&r, c: &c)
            respond(to: r.score, respondents: r.respondents, c: &c)
        }
        c.evaluation.last = r
    }

    /// Staff proactive home visits this month: Poisson with mean v × households/100 × effort^η;
    /// targets drawn with the elderly `elderly_weight` times as likely (rejection sampling).
    mutating func homeVisits(_ c: inout Community, day: Int) {
        // The few fields it needs, read in place rather than copying the settings.
        let (visitsPer100, visitsElasticity, visitElderlyWeight, visitShock, visitTrust) =
            (c.settings.evaluation.visitsPer100, c.settings.evaluation.visitsElasticity, c.settings.evaluation.visitElderlyWeight,
             c.settings.evaluation.visitShock, c.settings.evaluation.visitTrust)
        let n = c.hh.count
        if c.evaluation.lastVisit.count != n { c.evaluation.lastVisit = [Int32](repeating: Int32.min / 2, count: n) }
        let mean = visitsPer100 * Double(n) / 100 * pow(max(0, c.staffEffort), visitsElasticity)
        let k = n > 0 ? rng.poisson(mean) : 0
        let wMax = max(1, visitElderlyWeight)
        for _ in 0..<k {
            var h = rng.int(below: n)
            for _ in 0..<64 {
                let w = c.hh.age[h] == AgeGroup.elderly.rawValue ? visitElderlyWeight : 1
                if rng.uniform() * wMax < w { break }
                h = rng.int(below: n)
            }
            c.shock(h, satisfaction: Float(visitShock), trust: Float(visitTrust))
            c.evaluation.lastVisit[h] = Int32(day)
        }
        c.evaluation.visitsTotal += k
        // The home-visits scheme (Incentives, earlier in the day) visits too: log its round.
        let scheme = c.incentives.homeVisitsRound.day == day ? c.incentives.homeVisitsRound.visits : 0
        c.evaluation.visitLog.append((Int32(day), Int32(k), Int32(scheme)))
        let keep = Int32(day - 720)
        if c.evaluation.visitLog.count > 48 { c.evaluation.visitLog.removeAll { $0.day <= keep } }
    }

    /// Consequences of a quarter's score (co-evaluation on): award, staff effort, leadership.
    /// Staff aim at a reachable score θ = award threshold + min(margin, the survey's own 95 %
    /// margin at the award threshold, 1.96·√(θ_award(1−θ_award)/respondents)) — in a district,
    /// at least the score that last ranked in the top share. The shortfall g = max(0, θ − score)
    /// sets the effort it calls for, E* = E_min + (E_max − E_min)(1 − e^(−κ g)): the larger the
    /// shortfall the more effort, with diminishing returns as working time runs out. Effort
    /// rises to E* at once and falls toward it by ρ of the way a quarter. After
    /// `leadership_quarters` quarters running below θ_lead the leadership changes and effort
    /// becomes at least E_new.
    func respond(to score: Double, respondents: Int = 0, c: inout Community) {
        let s = c.settings.evaluation
        c.evaluation.scores.append(score)
        guard !score.isNaN else { return }   // nobody answered: no verdict this quarter
        c.evaluation.awarded = score >= s.awardThreshold
        if c.evaluation.awarded { c.evaluation.awards += 1 }
        // The award's reward reaches projects: a larger fiscal budget until the next survey (in
        // a district the ranking multiplies it in after every community's survey).
        c.evaluation.awardMultiplier = c.evaluation.awarded ? 1 + s.awardBudgetBonus : 1
        c.evaluation.fiscalMultiplier = c.evaluation.awardMultiplier
        var e = c.staffEffort
        let target = max(effortTarget(s, respondents: respondents), c.evaluation.rankTarget)
        let called = s.effortMin + (s.effortMax - s.effortMin) * (1 - exp(-s.effortSensitivity * max(0, target - score)))
        e = called >= e ? called : e - s.effortRelaxation * (e - called)
        if score < s.leadershipThreshold {
            c.evaluation.lowQuarters += 1
            if c.evaluation.lowQuarters >= s.leadershipQuarters {
                c.evaluation.leadershipChanges += 1
                c.evaluation.lowQuarters = 0
                e = max(e, s.effortNewLeadership)
            }
        } else {
            c.evaluation.lowQuarters = 0
        }
        c.staffEffort = min(s.effortMax, max(s.effortMin, e))
    }

    /// The score staff aim for: the award threshold plus a safety margin no wider than the
    /// survey's 95 % sampling margin at the threshold (so the target is one a community can
    /// reach); `respondents` 0 (not known yet) uses the sample size.
    func effortTarget(_ s: EvaluationSettings, respondents: Int) -> Double {
        let n = Double(respondents > 0 ? respondents : max(1, s.sampleSize))
        let p = min(max(s.awardThreshold, 0), 1)
        return min(1, s.awardThreshold + min(s.effortMargin, 1.96 * (p * (1 - p) / n).squareRoot()))
    }

}

/// Disconfirmation in [−1, 1]: (better − worse) / max(|better|, |worse|); 0 when both are 0.
@inlinable func disconfirmation(better: Double, worse: Double) -> Double {
    let d = max(abs(better), abs(worse))
    guard d > 1e-12, !d.isNaN else { return 0 }
    return (better - worse) / d
}

extension Community {
    /// Outputs of co-evaluation: the last survey's satisfied share and its six indicator shares; the evaluation score and
    /// leadership changes (co-evaluation on); home visits per month over the participation window
    /// (staff and the home-visits scheme together, and the scheme's alone).
    func observeEvaluation(day: Int, into out: inout OutputRow) {
        let s = settings.evaluation
        out[.satisfactionSurveyed] = evaluation.last.satisfiedShare
        let indicators: [Output] = [.surveyAttitude, .surveyEfficiency, .surveyEnvironment, .surveyConflict, .surveyCulture, .surveyUpkeep]
        for k in Indicator.allCases { out[indicators[k.rawValue]] = evaluation.last.indicatorShares[k.rawValue] }
        if s.enabled || !evaluation.scores.isEmpty {
            out[.evaluationScore] = evaluation.last.score
            out[.leadershipChanges] = Double(evaluation.leadershipChanges)
        }
        // Mean over the months (monthly visit rounds) that ended within the trailing window.
        let since = Int32(day - settings.participation.windowDays)
        var visits = 0, scheme = 0, months = 0
        for v in evaluation.visitLog.reversed() {
            if v.day <= since { break }
            visits += Int(v.count) + Int(v.scheme)
            scheme += Int(v.scheme)
            months += 1
        }
        if months > 0 {
            out[.homeVisits] = Double(visits) / Double(months)
            out[.homeVisitsScheme] = Double(scheme) / Double(months)
        }
    }
}

extension Evaluation {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeEvaluation(day: day, into: &out) }
}
