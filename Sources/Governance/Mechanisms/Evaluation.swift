import Foundation
import SimCore

/// Co-evaluation (共评), quarterly (MODEL.md §3.7), after the Shenzhen Nanshan satisfaction
/// survey (FIVE-PILLARS.md): each quarter a random sample of households (default 100, without
/// replacement) is approached by channel — an online questionnaire for digital households, a
/// home-visit interview for the others, a phone check for those who did not answer — and each
/// respondent rates overall satisfaction and six first-level indicators (service attitude,
/// efficiency, environment, conflict resolution, cultural activities, facility upkeep). The
/// residents' score (indicator-weighted share of satisfied ratings, weight ≥ 60 %) is combined
/// with other evaluators' (staff self-assessment, social organisations, local units; possibly
/// biased) into the evaluation score. Consequences: no award below 80 %; the leadership is
/// summoned or replaced after two quarters running below 75 %; staff effort rises under low
/// scores and near the award threshold and relaxes when comfortably above; a new leadership
/// starts with higher effort. Staff proactive home visits (monthly) scale with effort; each is a
/// small satisfaction shock to the visited household, the elderly preferred.
///
/// Without co-evaluation (`evaluation.enabled: false`) staff effort follows administrative
/// targets: it stays at the administrative level 1 whatever the survey says. The survey is
/// still drawn as the planner's measurement when `evaluation.survey_always` is on (default), so
/// `satisfaction_rate_surveyed` is measured in both modes; it has no consequences then.
public struct EvaluationSettings: ParameterGroup {
    public init() {}
    public var enabled: Bool = false
    public var surveyAlways: Bool = true
    public var sampleSize: Int = 100
    public var responseOnline: Double = 0.7
    public var responseVisit: Double = 0.85
    public var responsePhone: Double = 0.5
    public var responseTrustBias: Double = 0
    public var responseNoise: Double = 0.05
    /// Relative weights of the six indicators, in `Indicator` order (normalised when used).
    public var indicatorWeights: [Double] = [1, 1, 1, 1, 1, 1]
    public var contactBonus: Double = 0.10
    public var overduePenalty: Double = 0.15
    public var performanceWeight: Double = 0.15
    public var residentWeight: Double = 0.6
    /// Shares of the non-resident weight and biases, in `OtherEvaluator` order.
    public var otherShares: [Double] = [0.4, 0.3, 0.3]
    public var otherBiases: [Double] = [0.10, 0.0, 0.05]
    public var otherNoise: Double = 0.05
    public var awardThreshold: Double = 0.80
    public var leadershipThreshold: Double = 0.75
    public var leadershipQuarters: Int = 2
    public var effortSensitivity: Double = 3
    public var effortMargin: Double = 0.08
    public var effortRelaxation: Double = 0.1
    public var effortMin: Double = 1
    public var effortMax: Double = 3
    public var effortNewLeadership: Double = 1.5
    public var visitsPer100: Double = 4
    public var visitsElasticity: Double = 1
    public var visitShock: Double = 0.05
    public var visitTrust: Double = 0.01
    public var visitElderlyWeight: Double = 3
    public var districtTopShare: Double = 0.2
    public var districtPriorityMultiplier: Double = 1.5
    public var districtBudgetNeutral: Bool = true
    public var districtRankingQuarters: Int = 4

    public static let parameters = ParameterTable<Self>("evaluation", [
        .flag(\.enabled, "enabled",
              "Co-evaluation (共评): the quarterly survey has consequences (awards, leadership, staff effort). Off: effort stays at the administrative target 1.",
              source: "FIVE-PILLARS.md §5; Shenzhen Nanshan case"),
        .flag(\.surveyAlways, "survey_always",
              "Draw the quarterly survey even when co-evaluation is off — as the planner's measurement, without consequences — so satisfaction_rate_surveyed is measured in both modes.",
              source: "reasoning: the measured rate must be comparable between traditional and five-pillar runs"),
        .count(\.sampleSize, "sample_size", 0...1_000_000, unit: "households",
             "Households drawn each quarter, without replacement (all of them when the community is smaller).",
             source: "Shenzhen Nanshan case: 100 random households per community per quarter"),
        .number(\.responseOnline, "response.online", 0...1, unit: "probability",
                "Chance that a sampled digital household answers the online questionnaire.",
                source: "rough prior; Shenzhen case: online channel"),
        .number(\.responseVisit, "response.visit", 0...1, unit: "probability",
                "Chance that a sampled non-digital household answers a home-visit interview.",
                source: "rough prior (face-to-face interviews reach most households); Shenzhen case: home visits"),
        .number(\.responsePhone, "response.phone", 0...1, unit: "probability",
                "Chance that a sampled household that did not answer its first channel answers the phone check.",
                source: "rough prior; Shenzhen case: phone checks"),
        .number(\.responseTrustBias, "response.trust_bias", -10...10, unit: "logit per unit trust",
                "Non-response bias: added to the response logit × (trust − 0.5); > 0 means trusting households answer more.",
                source: "default 0 (unbiased); a sweep parameter for survey non-response bias"),
        .number(\.responseNoise, "response_noise", 0...1, unit: "0–1",
                "Standard deviation of the noise in each answer (overall satisfaction and each indicator).",
                source: "rough prior: well under one step of a five-point scale (0.25); BEHAVIOUR.md survey noise"),
        .number(\.indicatorWeights[Indicator.attitude.rawValue], "weights.attitude", 0...100, unit: "relative", "Weight of the service-attitude indicator in the residents' score.",
                source: "Shenzhen case: 6 first-level indicators; weights unpublished, equal by default"),
        .number(\.indicatorWeights[Indicator.efficiency.rawValue], "weights.efficiency", 0...100, unit: "relative", "Weight of the efficiency indicator.",
                source: "Shenzhen case; equal by default"),
        .number(\.indicatorWeights[Indicator.environment.rawValue], "weights.environment", 0...100, unit: "relative", "Weight of the environment indicator.",
                source: "Shenzhen case; equal by default"),
        .number(\.indicatorWeights[Indicator.conflict.rawValue], "weights.conflict", 0...100, unit: "relative", "Weight of the conflict-resolution indicator.",
                source: "Shenzhen case; equal by default"),
        .number(\.indicatorWeights[Indicator.culture.rawValue], "weights.culture", 0...100, unit: "relative", "Weight of the cultural-activities indicator.",
                source: "Shenzhen case; equal by default"),
        .number(\.indicatorWeights[Indicator.upkeep.rawValue], "weights.upkeep", 0...100, unit: "relative", "Weight of the facility-upkeep indicator.",
                source: "Shenzhen case; equal by default"),
        .number(\.contactBonus, "indicator.contact_bonus", 0...1, unit: "0–1",
                "Service-attitude rating lift for a household a staff member visited in the last 90 days.",
                source: "rough prior; procedural justice — being heard raises perceived fairness (Lind, Kanfer & Earley 1990)"),
        .number(\.overduePenalty, "indicator.overdue_penalty", 0...1, unit: "0–1",
                "Efficiency rating drop for a household whose problem is open for longer than residents expect.",
                source: "rough prior; timeliness drives satisfaction (Zhang et al. 2022), expectation–disconfirmation (Van Ryzin 2006)"),
        .number(\.performanceWeight, "indicator.performance_weight", 0...1, unit: "0–1 per unit disconfirmation",
                "Shift of the community-level indicator ratings (efficiency: resolution days; environment and upkeep: amenities; conflict: disputes; culture: participation) per unit of disconfirmation in [−1, 1] against an adapting expectation.",
                source: "rough prior; Van Ryzin 2004/2006 expectation–disconfirmation"),
        .number(\.residentWeight, "resident_weight", 0.6...1, unit: "share",
                "Residents' weight in the evaluation score; the rest goes to the other evaluators. At least 60 % by rule.",
                source: "FIVE-PILLARS.md §5: residents' weight ≥ 60 %; Shenzhen: residents' rating is 60 % of staff appraisal"),
        .number(\.otherShares[OtherEvaluator.staff.rawValue], "others.staff_share", 0...1, unit: "relative", "Staff self-assessment's share of the non-resident weight.",
                source: "rough prior; FIVE-PILLARS.md §5 names the evaluators, not their weights"),
        .number(\.otherShares[OtherEvaluator.socialOrgs.rawValue], "others.social_orgs_share", 0...1, unit: "relative", "Social organisations' share of the non-resident weight.",
                source: "rough prior"),
        .number(\.otherShares[OtherEvaluator.localUnits.rawValue], "others.local_units_share", 0...1, unit: "relative", "Local units' (单位) share of the non-resident weight.",
                source: "rough prior"),
        .number(\.otherBiases[OtherEvaluator.staff.rawValue], "others.staff_bias", -1...1, unit: "0–1",
                "Bias of staff self-assessment: its score is the true satisfaction rate plus this.",
                source: "rough prior: self-serving bias in self-appraisal"),
        .number(\.otherBiases[OtherEvaluator.socialOrgs.rawValue], "others.social_orgs_bias", -1...1, unit: "0–1", "Bias of social organisations' score.",
                source: "rough prior: closest to residents' view"),
        .number(\.otherBiases[OtherEvaluator.localUnits.rawValue], "others.local_units_bias", -1...1, unit: "0–1", "Bias of local units' score.",
                source: "rough prior: partners of the community rate leniently"),
        .number(\.otherNoise, "others.noise", 0...1, unit: "0–1", "Standard deviation of each other evaluator's quarterly score.",
                source: "rough prior"),
        .number(\.awardThreshold, "award_threshold", 0...1, unit: "share", "No award for a quarter whose evaluation score is below this.",
                source: "Shenzhen case: below 80 % no awards"),
        .number(\.leadershipThreshold, "leadership_threshold", 0...1, unit: "share",
                "The leadership is summoned or replaced after `leadership_quarters` quarters running below this.",
                source: "Shenzhen case: below 75 % two quarters running → the secretary is summoned or replaced"),
        .count(\.leadershipQuarters, "leadership_quarters", 1...40, unit: "quarters", "Consecutive quarters below the leadership threshold before a change.",
             source: "Shenzhen case: two quarters running"),
        .number(\.effortSensitivity, "effort.sensitivity", 0...100, unit: "effort per unit shortfall per quarter",
                "κ: staff effort rises by κ × (award threshold + margin − score) after a quarter scored below award threshold + margin.",
                source: "rough prior: a 10-point shortfall lifts effort by 0.3 a quarter; calibrated on the Shenzhen case"),
        .number(\.effortMargin, "effort.margin", 0...1, unit: "share",
                "Safety margin above the award threshold that staff aim for.",
                source: "BEHAVIOUR.md: the survey's 95 % margin is ±7.8 points at n = 100, p ≈ 0.8"),
        .number(\.effortRelaxation, "effort.relaxation", 0...1, unit: "share per quarter",
                "After a quarter at or above award threshold + margin, effort moves this share of the way back toward its minimum.",
                source: "rough prior"),
        .number(\.effortMin, "effort.min", 0.1...10, unit: "× administrative target",
                "Lowest staff effort under co-evaluation (administrative targets remain a floor at 1).", source: "reasoning: targets still apply"),
        .number(\.effortMax, "effort.max", 0.1...10, unit: "× administrative target",
                "Highest staff effort (working time and staff numbers bound it).", source: "rough prior"),
        .number(\.effortNewLeadership, "effort.new_leadership", 0.1...10, unit: "× administrative target",
                "A new (or summoned) leadership raises effort to at least this.", source: "rough prior"),
        .number(\.visitsPer100, "visits.per_100hh_month", 0...1000, unit: "visits per 100 households per month",
                "Staff proactive home visits at effort 1 (in both modes); visits scale with effort^elasticity.",
                source: "rough prior: about one visit a working day per 750 households; Shenzhen: home visits tripled under evaluation"),
        .number(\.visitsElasticity, "visits.elasticity", 0...5, unit: "exponent", "Elasticity of home visits with respect to staff effort.",
                source: "default 1 (proportional)"),
        .number(\.visitShock, "visits.satisfaction_shock", 0...1, unit: "satisfaction",
                "Satisfaction shock of a staff home visit to the visited household (decays with the memory half-life).",
                source: "rough prior: a fifth of a five-point-scale step; procedural justice (Lind, Kanfer & Earley 1990)"),
        .number(\.visitTrust, "visits.trust", 0...1, unit: "trust", "Trust gain of the visited household.",
                source: "rough prior: as for a fixed problem"),
        .number(\.visitElderlyWeight, "visits.elderly_weight", 0...100, unit: "relative odds",
                "Relative chance that a visit goes to an elderly household (others 1).",
                source: "FIVE-PILLARS.md: home visits for the elderly; rough prior"),
        .number(\.districtTopShare, "district.top_share", 0...1, unit: "share",
                "District mode: the top share of communities by evaluation score get project money first.",
                source: "Shenzhen case: the top 20 % of communities get next year's project money first"),
        .number(\.districtPriorityMultiplier, "district.priority_multiplier", 1...100, unit: "× fiscal budget",
                "District mode: multiplier on the yearly fiscal budget of a priority community.", source: "rough prior"),
        .flag(\.districtBudgetNeutral, "district.budget_neutral",
              "District mode: the other ranked communities share what is left of the district's fiscal budget (so the total is unchanged); off: they keep theirs and the district adds money.",
              source: "reasoning: 'first' means priority from a fixed district budget"),
        .count(\.districtRankingQuarters, "district.ranking_quarters", 1...40, unit: "quarters",
             "District mode: communities are ranked each quarter on the mean of their last this many scores.",
             source: "Shenzhen case: next year's money follows the year's results"),
    ])

    /// Cross-field checks the per-parameter ranges cannot express.
    public func validate() -> [(path: String, message: String)] {
        var out: [(String, String)] = []
        if indicatorWeights.reduce(0, +) <= 0 {
            out.append((Self.path(\.indicatorWeights[Indicator.attitude.rawValue]), "the six indicator weights (evaluation.weights.*) must not all be 0"))
        }
        if residentWeight < 1, otherShares.reduce(0, +) <= 0 {
            out.append((Self.path(\.otherShares[OtherEvaluator.staff.rawValue]),
                        "residents' weight is \(formatParam(residentWeight)) < 1, so the other evaluators' shares (evaluation.others.*_share) must not all be 0"))
        }
        if effortMin > effortMax {
            out.append((Self.path(\.effortMin), "must not exceed evaluation.effort.max (\(formatParam(effortMin)) > \(formatParam(effortMax)))"))
        }
        if leadershipThreshold > awardThreshold {
            out.append((Self.path(\.leadershipThreshold),
                        "must not exceed evaluation.award_threshold (\(formatParam(leadershipThreshold)) > \(formatParam(awardThreshold)))"))
        }
        return out
    }

    /// Check the scenario's evaluation settings at the start and after every timeline entry.
    public static func validate(_ s: Scenario) throws {
        for (path, msg) in EvaluationSettings(s.parameters).validate() {
            throw ConfigError(at: s.origins[path] ?? Origin(file: s.file), path: path, msg)
        }
        for (i, p) in s.timeline.indices.map({ ($0, s.parameters(onDay: s.timeline[$0].day)) }) {
            for (path, msg) in EvaluationSettings(p).validate() {
                throw ConfigError(file: s.file, path: "timeline[\(i)]", "from this day on, \(path): \(msg)")
            }
        }
    }
}

/// The six first-level indicators of the Shenzhen survey.
public enum Indicator: Int, CaseIterable, Sendable {
    case attitude, efficiency, environment, conflict, culture, upkeep
    public var name: String { ["attitude", "efficiency", "environment", "conflict", "culture", "upkeep"][rawValue] }
}

/// Evaluators other than residents.
public enum OtherEvaluator: Int, CaseIterable, Sendable {
    case staff, socialOrgs, localUnits
    public var name: String { ["staff", "social_orgs", "local_units"][rawValue] }
}

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
    /// District mode: this community ranks in the top share and gets project money first;
    /// `fiscalMultiplier` multiplies its yearly fiscal budget (1 outside district mode) —
    /// the construction mechanism reads it. `rank` is 1-based, 0 when unranked.
    public var fundingPriority = false
    public var fiscalMultiplier = 1.0
    public var rank = 0
    /// Staff home visits: the day each household was last visited, and visits per month (day, count).
    public var lastVisit: [Int32] = []
    public var visitLog: [(day: Int32, count: Int32)] = []
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
        if !c.settings.evaluation.enabled { c.staffEffort = 1 }
        homeVisits(&c, day: day)
        guard Cadence.quarterly.fires(on: day), c.settings.evaluation.enabled || c.settings.evaluation.surveyAlways else { return }
        let s = c.settings.evaluation
        var r = survey(&c, day: day)
        if s.enabled {
            evaluate(&r, c: &c)
            respond(to: r.score, c: &c)
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
        c.evaluation.visitLog.append((Int32(day), Int32(k)))
        let keep = Int32(day - 720)
        if c.evaluation.visitLog.count > 48 { c.evaluation.visitLog.removeAll { $0.day <= keep } }
    }

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
            if sh + rng.gaussian(s.responseNoise) >= 0.6 { yes += 1 }
            for k in Indicator.allCases {
                var t = term[k.rawValue]
                if k == .attitude, c.evaluation.lastVisit[h] > visitedSince { t += s.contactBonus }
                if k == .efficiency, c.evaluation.overdue[h] { t -= s.overduePenalty }
                if sh + t + rng.gaussian(s.responseNoise) >= 0.6 { indicatorYes[k.rawValue] += 1 }
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

    /// Consequences of a quarter's score (co-evaluation on): award, staff effort, leadership.
    /// Effort: E += κ (θ_award + margin − score) when the score is below award threshold + margin,
    /// else E −= ρ (E − E_min); clamped to [E_min, E_max]. After `leadership_quarters` quarters
    /// running below θ_lead the leadership changes and effort becomes at least E_new.
    func respond(to score: Double, c: inout Community) {
        let s = c.settings.evaluation
        c.evaluation.scores.append(score)
        guard !score.isNaN else { return }   // nobody answered: no verdict this quarter
        c.evaluation.awarded = score >= s.awardThreshold
        if c.evaluation.awarded { c.evaluation.awards += 1 }
        var e = c.staffEffort
        let target = s.awardThreshold + s.effortMargin
        if score < target {
            e += s.effortSensitivity * (target - score)
        } else {
            e -= s.effortRelaxation * (e - s.effortMin)
        }
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

    func responseProbability(_ p: Double, trust: Double, _ s: EvaluationSettings) -> Double {
        s.responseTrustBias == 0 ? p : sigmoid(logit(p) + s.responseTrustBias * (trust - 0.5))
    }
}

/// Disconfirmation in [−1, 1]: (better − worse) / max(|better|, |worse|); 0 when both are 0.
@inlinable func disconfirmation(better: Double, worse: Double) -> Double {
    let d = max(abs(better), abs(worse))
    guard d > 1e-12, !d.isNaN else { return 0 }
    return (better - worse) / d
}

extension Community {
    /// Outputs of co-evaluation: the last survey's satisfied share; the evaluation score and
    /// leadership changes (co-evaluation on); staff home visits per month over the participation window.
    func observeEvaluation(day: Int, into out: inout OutputRow) {
        let s = settings.evaluation
        out[.satisfactionSurveyed] = evaluation.last.satisfiedShare
        if s.enabled || !evaluation.scores.isEmpty {
            out[.evaluationScore] = evaluation.last.score
            out[.leadershipChanges] = Double(evaluation.leadershipChanges)
        }
        // Mean over the months (monthly visit rounds) that ended within the trailing window.
        let since = Int32(day - settings.participation.windowDays)
        var visits = 0, months = 0
        for v in evaluation.visitLog.reversed() {
            if v.day <= since { break }
            visits += Int(v.count)
            months += 1
        }
        if months > 0 { out[.homeVisits] = Double(visits) / Double(months) }
    }
}

extension Evaluation {
    public static func observe(_ c: Community, day: Int, into out: inout OutputRow) { c.observeEvaluation(day: day, into: &out) }
}
