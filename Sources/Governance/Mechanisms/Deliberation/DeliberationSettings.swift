import Foundation
import SimCore
import SimConfig

/// Co-deliberation (共商), monthly (docs/ODD.md §3): agenda collection through online and
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
    public var thresholdHouseholds: Int = 1000
    public var seats: Int = 15
    public var topicsPerMonth: Int = 1
    public var weights: (need: Double, publicInterest: Double, solvable: Double) = (1, 1, 1)
    public var technicalShare: Double = 0.3
    public var technicalFeasibility: Double = 0.5
    public var ownProblemShare: Double = 0.5
    public var statusQuoBias: Double = 0.1
    public var expertMeritGain: Double = 0.1
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
    /// Tenants asked to stand for the reserved seats (same scheme): added to their sign-up logit, 0 when off.
    public var tenantSignupLogit: Double = 0

    /// Sign-ups above which representatives are elected in a community of `households`: the
    /// threshold scaled from a community of `threshold_households` (at least 1).
    public func electionThreshold(households: Int) -> Int {
        max(1, Int((Double(representativeThreshold) * Double(households) / Double(max(1, thresholdHouseholds))).rounded()))
    }

    public static let parameters = ParameterTable<Self>("deliberation", [
        .flag(\.enabled, "enabled", "Co-deliberation (共商): monthly residents' council.", source: "five-pillars essay, co-deliberation"),
        .flag(\.online, "online", "Online agenda collection (group chats, mini-program) for digital households.",
              source: "five-pillars essay, co-deliberation (议题征集)"),
        .flag(\.offline, "offline", "Offline agenda collection (suggestion box, building leaders).", source: "five-pillars essay, co-deliberation"),
        .flag(\.doorToDoor, "door_to_door", "Door-to-door consultation (上门协商): non-digital elderly households can raise topics at home.",
              source: "five-pillars essay, co-deliberation (extending reach)"),
        .number(\.agendaIntercept, "agenda_intercept", -10...10, unit: "logit",
                "Added to the participation logit for raising a topic when the agenda is collected.", source: "rough prior; calibrated"),
        .number(\.signupIntercept, "signup_intercept", -10...10, unit: "logit",
                "Added to the participation logit for signing up to the council.", source: "rough prior; calibrated"),
        .count(\.representativeThreshold, "representative_threshold", 1...10_000, unit: "people",
             "When more sign up than this, representatives are elected per sub-area (grid).",
             source: "Shanghai deliberation hall: sign-ups > 20 → elected by sub-area"),
        .count(\.thresholdHouseholds, "threshold_households", 1...10_000_000, unit: "households",
             "Community size the representative threshold is stated for: a community of N households elects representatives when more than threshold × N / this sign up (the same share of households).",
             source: "the Shanghai deliberation-hall case's community (1,000 households, the case file's assumption)"),
        .count(\.seats, "seats", 1...1000, unit: "seats", "Seats for elected representatives, shared among grids by households.",
             source: "rough prior: one representative per ~40 households"),
        .count(\.topicsPerMonth, "topics_per_month", 1...20, unit: "topics", "Topics deliberated each month.", source: "rough prior: one council per month"),
        .number(\.weights.need, "weight_need", 0...10, unit: "weight",
                "Three priorities: weight of felt need — severity (the category's amenity deficit) × households raising it, relative to the most felt topic.",
                source: "三个优先: strongly felt first"),
        .number(\.weights.publicInterest, "weight_public", 0...10, unit: "weight",
                "Three priorities: weight of public interest — breadth of who benefits: share of buildings the raisers live in × share of households the category serves (parking: car owners).",
                source: "三个优先: public interest first"),
        .number(\.weights.solvable, "weight_solvable", 0...10, unit: "weight",
                "Three priorities: weight of solvability known at the time — a plan needing money: share of a median project's cost the fiscal share and the micro-fund cover; a technical plan without experts: × technical_feasibility.",
                source: "三个优先: solvable first"),
        .number(\.ownProblemShare, "own_problem_share", 0...1, unit: "probability",
                "Chance that a household raising a topic while it has an open problem raises that problem's category (otherwise the category follows the community's amenity deficits).",
                source: "rough prior: residents raise what they suffer (hotline requests are mostly one's own repairs, Zhang et al. 2022)"),
        .number(\.technicalFeasibility, "technical_feasibility", 0...1, unit: "share",
                "Solvability of a technical plan (pipes, elevators) when no experts join: the council cannot judge it feasible.",
                source: "rough prior"),
        .number(\.statusQuoBias, "status_quo_bias", 0...1, unit: "support",
                "Before deliberation, attendees' support sits this far below the plan's merit (status-quo bias and missing information); the background step and the experts close part of the gap.",
                source: "Samuelson & Zeckhauser 1988 (status-quo bias); deliberative polls move informed support by 10–20 points (Regione Lazio Deliberative Poll: 45 % → 62 %; Fishkin et al. 2010, Zeguo); rough prior"),
        .number(\.expertMeritGain, "expert_merit_gain", 0...1, unit: "support",
                "Experts improve what is proposed: a technical plan deliberated with experts has this much more merit (capped at 1).",
                source: "five-pillars essay, co-deliberation: experts and lawyers join technical topics; rough prior"),
        .number(\.technicalShare, "technical_share", 0...1, unit: "share", "Share of topics that are technical (elevators, pipes).",
                source: "rough prior"),
        .flag(\.experts, "experts", "Experts join technical topics and pull opinions toward the evidence.", source: "five-pillars essay, co-deliberation"),
        .number(\.expertPull, "expert_pull", 0...1, unit: "share", "Extra move toward the evidence on technical topics with experts.",
                source: "rough prior"),
        .number(\.backgroundPull, "background_pull", 0...1, unit: "share", "Step 1, background: every attendee moves this share toward the plan's merit.",
                source: "background = common shift toward the evidence"),
        .number(\.hkEpsilon, "hk_epsilon", 0...1, unit: "opinion distance", "Step 2, statements: one Hegselmann–Krause round with confidence ε.",
                source: "Fortunato 2005: consensus needs ε ≈ 0.2"),
        .number(\.deffuantEpsilon, "deffuant_epsilon", 0...1, unit: "opinion distance", "Step 3, debate: Deffuant pairings within ε.",
                source: "Lorenz 2007"),
        .number(\.deffuantMu, "deffuant_mu", 0...0.5, unit: "share", "Debate: each pair moves this share toward each other.", source: "μ 0.3–0.5"),
        .count(\.debatePairings, "debate_pairings", 0...100, unit: "pairings per attendee", "Debate: random pairings per attendee.", source: "rough prior"),
        .number(\.voteThreshold, "vote_threshold", 0...1, unit: "share", "Step 4, vote: share in favour needed for a resolution.",
                source: "simple majority of attending representatives (Shanghai case)"),
        .number(\.majorShare, "major_share", 0...1, unit: "share", "Share of topics that are major and complex: a cooling-off period before the vote.",
                source: "冷静期; rough prior"),
        .count(\.coolingOffDays, "cooling_off_days", 0...180, unit: "days", "Cooling-off period: no vote on the day; one more round of reflection.",
             source: "rough prior"),
        .number(\.divisiveShare, "divisive_share", 0...1, unit: "share",
                "Share of topics that split households by floor (elevator retrofit): low floors lose light, quiet and price.",
                source: "Hongkou resales n = 2,133: break-even at floor 3"),
        .flag(\.layered, "layered", "Layered consultation (分层协商): high floors, then low floors, then everyone.", source: "five-pillars essay, co-deliberation"),
        .flag(\.compensation, "compensation", "Compensation options in layered consultation: floor-differentiated shares, ground floors exempt.",
              source: "floor coefficients 0.7…1.3, floors 1–2 pay nothing"),
        .number(\.opposeFloor1, "oppose_floor1", 0...1, unit: "share", "Share of floor-1 households opposing an uncompensated divisive plan.",
                source: "rough 50–80 %"),
        .number(\.opposeFloor2, "oppose_floor2", 0...1, unit: "share", "Share of floor-2 households opposing an uncompensated divisive plan.",
                source: "rough 20–40 %"),
        .number(\.formalism, "formalism", 0...1, unit: "share", "Formalism (协商走过场): share of resolutions not carried out.",
                source: "known risk; rough prior"),
        .count(\.executionDays, "execution_days", 1...720, unit: "days", "Days to carry out a resolution that needs no money.", source: "rough prior"),
        .count(\.reviewDays, "review_days", 1...360, unit: "days", "Look-back review (回头看) this many days after execution.",
             source: "one month"),
        .number(\.redeliberation, "redeliberation", 0...1, unit: "probability", "Chance that a resolution not carried out returns as a topic (复议).",
                source: "rough prior"),
        .number(\.costShare, "cost_share", 0...1, unit: "share", "Share of resolutions that need money and become co-construction projects.",
                source: "rough prior"),
        .number(\.improvement, "improvement", 0...1, unit: "amenity level", "Share of the distance to the best amenity level closed in the topic's category when a resolution needing no money is carried out.",
                source: "rough prior, the same in every case and not fitted: Shanghai's waste-point plan would need 0.8, which saturates every scenario (docs/CALIBRATION.md, per-case inputs)"),
        .number(\.meritMin, "merit_min", 0...1, unit: "support", "Lowest merit of a proposed plan (the support the evidence warrants; uniform between min and max).",
                source: "rough prior: plans range from contested to clearly good"),
        .number(\.meritMax, "merit_max", 0...1, unit: "support", "Highest merit of a proposed plan.", source: "rough prior"),
        .number(\.opinionSD, "opinion_sd", 0...1, unit: "support", "Spread of attendees' initial support around the plan's merit.", source: "rough prior"),
        .number(\.voiceWeight, "voice_weight", 0...1, unit: "satisfaction", "Being heard: satisfaction shock for attendees, whatever the outcome.",
                source: "procedural justice, Lind, Kanfer & Earley 1990"),
        .number(\.carriedOutWeight, "carried_out_weight", 0...1, unit: "satisfaction",
                "At the review: shock for attendees and those who raised the topic when the resolution was carried out.",
                source: "Mertins & Walter 2020: voice raises effort; rough prior"),
        .number(\.formalismWeight, "formalism_weight", 0...1, unit: "satisfaction", "At the review: fall for them when it was not carried out.",
                source: "rough prior; trust falls under formalism (docs/ODD.md adaptation)"),
    ])
}
