import Foundation
import SimCore
import SimConfig

/// All settings of one community at one moment (rebuilt when the timeline changes a parameter).
public struct Settings: Sendable {
    public var simulation = SimulationSettings()
    public var population = PopulationSettings()
    public var baseline = BaselineSettings()
    public var participation = ParticipationSettings()
    public var problems = ProblemSettings()
    public var governance = CoGovernanceSettings()
    public var disputes = DisputeSettings()
    public var satisfaction = SatisfactionSettings()
    public var amenity = AmenitySettings()
    public var deliberation = DeliberationSettings()
    public var construction = ConstructionSettings()
    public var partners = PartnerSettings()
    public var sharing = SharingSettings()
    public var incentives = IncentiveSettings()
    public var evaluation = EvaluationSettings()
    public var fees = FeeSettings()
    public var microfund = MicrofundSettings()
    public var accounts = AccountSettings()

    public init(_ p: ParameterSet) {
        simulation = .init(p)
        population = .init(p)
        baseline = .init(p)
        participation = .init(p)
        problems = .init(p)
        governance = .init(p)
        disputes = .init(p)
        satisfaction = .init(p)
        amenity = .init(p)
        deliberation = .init(p)
        construction = .init(p)
        partners = .init(p)
        sharing = .init(p)
        incentives = .init(p)
        evaluation = .init(p)
        fees = .init(p)
        microfund = .init(p)
        accounts = .init(p)
        // Terms that combine groups.
        incentives.derive(motivationWeight: participation.motivationWeight, motivationSD: population.motivationSD)
        deliberation.tenantSeats = incentives.tenantSeats.enabled ? incentives.tenantSeats.share : 0
        deliberation.tenantSignupLogit = incentives.tenantSeats.enabled ? incentives.tenantSeats.signupLogit : 0
    }

    /// Every parameter at its default.
    public init() {}

    /// The parameter groups, in the order of the stored properties above (the order
    /// `pillars params` lists them): adding a group is its property and its line in `init`.
    static let groups: [any ParameterGroup.Type] = Mirror(reflecting: Settings()).children.map {
        guard let group = type(of: $0.value) as? any ParameterGroup.Type else { preconditionFailure("\($0.label ?? "?") is not a parameter group") }
        return group
    }
}

/// Run length and observation.
public struct SimulationSettings: ParameterGroup {
    public init() {}
    public var days: Int = 720
    public var observeEvery: Int = 7
    public var warmupDays: Int = 360
    public var summaryDays: Int = 360
    public static let parameters = ParameterTable<Self>("simulation", [
        .count(\.days, "days", 1...36_000, unit: "days", "Length of a replication (model calendar: 30-day months, 360-day years).",
             source: "two years, the horizon of the Chengdu and Shenzhen cases"),
        .count(\.warmupDays, "warmup_days", 0...3600, unit: "days",
             "Days simulated before day 0 under the traditional mode (every `.enabled` switch off): the community's history, so that residents' expectations, backlogs, ties' activity and satisfaction start in the traditional steady state at the baseline figures.",
             source: "reasoning: baseline figures describe the traditional mode; three memory half-lives reach its steady state"),
        .count(\.observeEvery, "observe_every_days", 1...360, unit: "days", "Interval of the time series written to timeseries.csv.",
             source: "weekly: the finest cadence of any mechanism but the daily problem process"),
        .count(\.summaryDays, "summary_days", 1...36_000, unit: "days",
             "Final observation window of the summary outputs (summary.csv, replications.csv, comparisons, sweeps): a rate, share or level is its mean over the observations in the last this many days of the run; a total or stock since the start is its value on the last day.",
             source: "reasoning: one year averages over the monthly councils, quarterly surveys and funding rounds that make a single day's snapshot swing"),
    ])
}

/// One community's state: households, problems, accounts and counters.
public struct Community: Sendable {
    public var settings: Settings
    public var hh: Households
    /// a₀: the reference intercept of every participation choice, solved so that monthly chances
    /// would give the baseline share within the recent window W (the scale the channels'
    /// intercepts a_kind were fitted on, docs/ODD.md §7.2).
    public var anchorLogit: Float = 0
    /// a_activity: the traditional activity's own intercept, solved so that its twelve monthly
    /// chances give the baseline share of households with a civic act over the year Y.
    public var activityLogit: Float = 0
    public var problems = ProblemPool()
    /// Money raised by source, the micro-fund, points: the community's accounts.
    public var ledger = Ledger()
    /// Amenity level by category (infrastructure, environment, parking, property service, safety), 0–1, and at the start.
    public var amenity: [Double]
    public var amenity0: [Double]
    /// Reference amenity levels R_k residents have come to expect (start at the initial levels,
    /// adapt monthly to experience; `Expectations.swift`).
    public var amenityReference: [Double]
    /// Weight c·K of a household's expectation offset in its satisfaction (set weekly).
    public var expectationWeight: Float = 0
    /// State of each mechanism (declared in the mechanism's own file).
    public var deliberation = DeliberationState()
    public var construction = ConstructionState()
    public var partners = PartnerState()
    public var sharing = SharingState()
    public var incentives = IncentiveState()
    public var evaluation = EvaluationState()
    /// Problems that arose since the start.
    public var arisenTotal = 0
    /// Acts by kind since the start.
    public var actCounts = [Int](repeating: 0, count: ActKind.allCases.count)
    /// How much baseline satisfaction was lowered at the end of the warm-up (the traditional
    /// mode's steady experience); fee decisions compare satisfaction with S₀ + this.
    public var satisfactionShift: Float = 0
    /// Sum of satisfaction shocks since it was last reset (the warm-up measures the traditional mode's rate).
    public var shockSum = 0.0
    /// Multiplier on the chance that a dispute is mediated (volunteers and leaders raise it).
    public var mediationCapacity: Double = 1
    /// Staff effort (1 = administrative target).
    public var staffEffort: Double = 1
    /// Community-level satisfaction term (amenities, activity), added to every household's S.
    public var communityTerm: Float = 0
    /// Residents' expected resolution time (days); adapts to experience.
    public var expectedDays: Double
    /// Trailing-window counters (window = participation window).
    public var arisen: TrailingCounter
    public var resolvedCount: TrailingCounter
    public var complaints: TrailingCounter
    public var disputes: TrailingCounter
    public var whistles: TrailingCounter
    /// Durations (days) of problems resolved, with the day they were resolved (for windowed statistics).
    public var resolvedLog: [(day: Int32, days: Float)] = []
    /// Problems that arose, by deadline outcome: (day arose, resolved within the deadline).
    public var deadlineLog: [(day: Int32, onTime: Bool)] = []

    public init(settings: Settings, streams: StreamSet) {
        self.settings = settings
        let w = settings.participation.windowDays
        let start = -settings.simulation.warmupDays
        arisen = TrailingCounter(window: w, start: start)
        resolvedCount = TrailingCounter(window: w, start: start)
        complaints = TrailingCounter(window: w, start: start)
        disputes = TrailingCounter(window: w, start: start)
        whistles = TrailingCounter(window: 30, start: start)
        expectedDays = settings.problems.expectationDays
        amenity = settings.amenity.initial
        amenity0 = amenity
        amenityReference = amenity
        hh = Households.make(settings.population, baseline: settings.baseline,
                             propensity: settings.participation, rng: streams.stream("population"))
        drawExpectations(rng: streams.stream("expectations"))
        // Who responds to material rewards: its own stream, so the draw leaves every other stream as it was.
        let rewards = streams.stream("rewards"), unresponsive = settings.incentives.unresponsiveShare
        hh.rewardResponsive = (0..<hh.count).map { _ in !rewards.bernoulli(unresponsive) }
        let (a0, activity) = solveAnchor()
        anchorLogit = Float(a0)
        activityLogit = Float(activity)
    }

    /// Solve the reference intercept a₀ and the activity's intercept a_activity (docs/ODD.md §7.2).
    /// a₀, as before the yearly measure: monthly chances give the baseline share within W, the
    /// social term at γ × the baseline. a_activity: with a₀, the activity's twelve monthly
    /// chances give the baseline share over the year Y, the social term at the share of ties
    /// active in W that the same chances give — each bisection step takes the tie share of the
    /// step before, and a second bisection in ±1 follows once it has settled.
    func solveAnchor() -> (anchor: Double, activity: Double) {
        let target = settings.baseline.participationRate
        let p = settings.participation
        let year = Double(p.rateWindowDays) / 30
        let recent = Double(p.windowDays) / 30
        var base = [Double](repeating: 0, count: hh.count)
        for h in 0..<hh.count {
            base[h] = Double(hh.propensityLogit[h]) + p.motivationWeight * (Double(hh.motivation[h]) - 0.5)
                + p.trustWeight * (Double(hh.trust[h]) - 0.5)
        }
        let nd = Double(max(1, base.count))
        func bisect(_ passes: Int, _ share: (Double) -> Double) -> Double {
            var lo = -30.0, hi = 30.0
            for pass in 0..<passes {
                if pass == 1 { let r = (lo + hi) / 2; (lo, hi) = (r - 1, r + 1) }
                for _ in 0..<(pass == 0 ? 50 : 32) {
                    let mid = (lo + hi) / 2
                    if share(mid) < target { lo = mid } else { hi = mid }
                }
            }
            return (lo + hi) / 2
        }
        // log(1 − σ(z)) = −log(1 + e^z): the chance of no act in k months is exp(k · that).
        let social = p.socialWeight * target
        let a0 = bisect(1) { a in
            var s = 0.0
            for b in base { s -= expm1(recent * -log1p(exp(a + b + social))) }
            return s / nd
        }
        var tieShare = target
        let activity = bisect(2) { d in
            var s = 0.0, w = 0.0
            let x = a0 + d + p.socialWeight * tieShare
            for b in base {
                let lq = -log1p(exp(x + b))
                s -= expm1(year * lq)
                w -= expm1(recent * lq)
            }
            tieShare = w / nd
            return s / nd
        }
        return (a0, activity)
    }

    /// Overall satisfaction of household h now: S = clamp(S₀ + z + C − c·K·ε_h − G_h, 0, 1).
    @inlinable public func satisfaction(_ h: Int) -> Float { min(1, max(0, satisfactionUnclamped(h))) }

    /// Add a satisfaction shock (decays with the memory half-life) and a trust change.
    @inlinable public mutating func shock(_ h: Int, satisfaction ds: Float, trust dt: Float = 0) {
        hh.experience[h] += ds
        shockSum += Double(ds)
        if dt != 0 { hh.trust[h] = min(1, max(0, hh.trust[h] + dt)) }
    }
}
