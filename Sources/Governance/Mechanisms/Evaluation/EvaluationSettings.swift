import Foundation
import SimCore
import SimConfig

/// Co-evaluation (共评), quarterly (docs/ODD.md §3), after the Shenzhen Nanshan satisfaction
/// survey: each quarter a random sample of households (default 100, without
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
    public var overreport: Double = 0.3
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
    public var awardBudgetBonus: Double = 0.1
    public var leadershipThreshold: Double = 0.75
    public var leadershipQuarters: Int = 2
    public var effortSensitivity: Double = 10
    public var effortMargin: Double = 0.08
    public var effortRelaxation: Double = 0.1
    public var effortMin: Double = 1
    public var effortMax: Double = 3
    public var effortNewLeadership: Double = 3
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
              source: "five-pillars essay, co-evaluation; Shenzhen Nanshan case"),
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
                source: "rough prior: well under one step of a five-point scale (0.25); survey noise"),
        .number(\.overreport, "overreport", 0...1, unit: "probability",
                "Social desirability in interviews: chance that a respondent interviewed by a person (home visit or phone check) who is not satisfied answers satisfied, on the overall question and on each indicator; online answers are not affected. 0 switches it off.",
                source: "Tang 2016 (World Values Survey China 2012–13, face to face), in Nicholson & Huang 2022 (APSR): a list experiment finds 4 percentage points more distrust than direct questions; with about one respondent in eight not satisfied, 4 points is 0.3 of them. Rough prior"),
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
                source: "five-pillars essay, co-evaluation: residents' weight ≥ 60 %; Shenzhen: residents' rating is 60 % of staff appraisal"),
        .number(\.otherShares[OtherEvaluator.staff.rawValue], "others.staff_share", 0...1, unit: "relative", "Staff self-assessment's share of the non-resident weight.",
                source: "rough prior; five-pillars essay, co-evaluation names the evaluators, not their weights"),
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
        .number(\.awardBudgetBonus, "award.budget_bonus", 0...10, unit: "share of the fiscal budget",
                "An awarded quarter (score ≥ award threshold) raises the community's yearly fiscal budget for resolution projects by this share until the next survey (district mode: on top of the ranking's multiplier, paid by the district).",
                source: "rough prior (the case publishes that awards follow the score, not their size); Shenzhen case: no awards below 80 %"),
        .number(\.leadershipThreshold, "leadership_threshold", 0...1, unit: "share",
                "The leadership is summoned or replaced after `leadership_quarters` quarters running below this.",
                source: "Shenzhen case: below 75 % two quarters running → the secretary is summoned or replaced"),
        .count(\.leadershipQuarters, "leadership_quarters", 1...40, unit: "quarters", "Consecutive quarters below the leadership threshold before a change.",
             source: "Shenzhen case: two quarters running"),
        .number(\.effortSensitivity, "effort.sensitivity", 0...100, unit: "per unit shortfall",
                "κ: a quarter scored g below the aim calls for effort E_min + (E_max − E_min)(1 − exp(−κ g)) — more for a larger shortfall, with diminishing returns (docs/ODD.md §7.11).",
                source: "rough prior (κ = 10: a 10-point shortfall calls for 63 % of the range); calibrated on the Shenzhen case"),
        .number(\.effortMargin, "effort.margin", 0...1, unit: "share",
                "Largest safety margin above the award threshold that staff aim for; the margin used is the smaller of this and the survey's 95 % sampling margin at the threshold, 1.96·√(θ(1−θ)/respondents), so the target stays reachable.",
                source: "the survey's 95 % margin is ±7.8 points at n = 100, p ≈ 0.8"),
        .number(\.effortRelaxation, "effort.relaxation", 0...1, unit: "share per quarter",
                "When a quarter calls for less effort than staff give, effort moves this share of the way down toward what is called for (it rises to it at once).",
                source: "rough prior"),
        .number(\.effortMin, "effort.min", 0.1...10, unit: "× administrative target",
                "Lowest staff effort under co-evaluation (administrative targets remain a floor at 1).", source: "reasoning: targets still apply"),
        .number(\.effortMax, "effort.max", 0.1...10, unit: "× administrative target",
                "Highest staff effort (working time and staff numbers bound it).", source: "rough prior"),
        .number(\.effortNewLeadership, "effort.new_leadership", 0.1...10, unit: "× administrative target",
                "A new (or summoned) leadership raises effort to at least this; it then relaxes toward what the scores call for.",
                source: "rough prior: a summoned or replaced leadership works at full stretch (Shenzhen case: summoned below 75 % two quarters running)"),
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
                source: "five-pillars essay: home visits for the elderly; rough prior"),
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
