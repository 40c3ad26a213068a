import Foundation
import SimCore
import SimConfig

/// Satisfaction and trust update (docs/ODD.md §3), following expectation–disconfirmation
/// (Oliver 1980; Van Ryzin 2004, 2006): each household's satisfaction is
/// S = S₀ + z + C − c·Σ_k ε_h − G, where S₀ is the surveyed baseline, z the household's own
/// recent experience (shocks from its problems, disputes, being heard, activities — decaying
/// with a memory half-life), C = b·(P − P⁰) + c·(P − R) the amenity term (performance P, the
/// community's adapting reference R), ε_h the household's expectation offset and G its lasting
/// grievances (`Expectations.swift`). Expectations adapt to experience. Property fees follow
/// satisfaction.
public struct SatisfactionSettings: ParameterGroup {
    public init() {}
    public var memoryDays: Double = 120
    public var serviceWeight: Double = 0.25
    public var complaintWeight: Double = 0.10
    public var disputeWeight: Double = 0.10
    public var expectationAdaptation: Double = 0.05
    public var feeSensitivity: Double = 4
    public var disconfirmationShare: Double = 0.3
    public var lossAversion: Double = 2.25
    public var expectationOwner: Double = 0.03
    public var expectationYoung: Double = 0.03
    public var expectationUpperFloor: Double = 0.03
    public var expectationSD: Double = 0.03
    public var grievanceTenant: Double = 0.25
    public var grievanceStairs: Double = 0.25
    public var grievanceLowFloor: Double = 0.25
    public var grievanceOpenProblem: Double = 0.25
    public var grievanceDisturbance: Double = 0.1
    public var voiceRelief: Double = 0.5
    public var helpRelief: Double = 0.5
    public var representationRelief: Double = 0.25

    public static let parameters = ParameterTable<Self>("satisfaction", [
        .number(\.memoryDays, "memory_days", 7...3600, unit: "days",
                "Half-life of a household's experiences in its satisfaction.", source: "rough prior; recency in hotline satisfaction (Zhang et al. 2022)"),
        .number(\.serviceWeight, "service_weight", 0...2, unit: "satisfaction per unit disconfirmation",
                "Shock to S when the household's problem is fixed: w · ((1 − φ) · p + φ · d), performance p = (T⁰ − t)/(T⁰ + t) against the community's service standard T⁰ = `problems.expectation_days` and disconfirmation d = (E − t)/(E + t) against the adapting expectation E (× `loss_aversion` when negative), each in (−1, 1); φ = `disconfirmation_share`.",
                source: "Van Ryzin 2006; Zhang et al. 2022 (timeliness drives satisfaction); calibrated"),
        .number(\.complaintWeight, "complaint_weight", 0...2, unit: "satisfaction",
                "Extra fall of S when a household complains about an overdue problem.", source: "rough prior"),
        .number(\.disputeWeight, "dispute_weight", 0...2, unit: "satisfaction",
                "Fall of S for both sides of an unmediated neighbour dispute.", source: "rough prior"),
        .number(\.expectationAdaptation, "expectation_adaptation", 0...1, unit: "share per month",
                "Each month expectations — of resolution time, and the reference amenity levels R — move this share of the way to what residents experience (the last month's mean resolution time, the amenity levels now).",
                source: "Van Ryzin 2004: expectations adapt (rough prior)"),
        .number(\.feeSensitivity, "fee_sensitivity", 0...50, unit: "logit per unit satisfaction",
                "How strongly a household's fee payment follows its satisfaction relative to baseline.",
                source: "reasoning: fee refusal as voice of dissatisfaction; calibrated (Chaoyang baseline 65 %)"),
        .number(\.disconfirmationShare, "disconfirmation_share", 0...1, unit: "share",
                "Share c / (b + c) of the amenity weight (`amenity.satisfaction_weight` = b + c, the response right after a change) that is disconfirmation c·(P − E), judged against the adapting expectation, rather than performance b·P: once expectations have caught up, a change of amenities keeps 1 − this share of its first effect.",
                source: "Van Ryzin 2004 (JPAM 23:433), 2006 (JPART 16:599): subtractive disconfirmation, performance weighs more than disconfirmation (b > c > 0); rough prior"),
        .number(\.lossAversion, "loss_aversion", 1...5, unit: "× gain weight",
                "Negative disconfirmation — a service slower than expected, amenities below the level residents have come to expect — weighs this many times as much as a positive one of the same size (λ ≥ 1: losses weigh at least as much as gains).",
                source: "Anderson & Sullivan 1993 (Marketing Science 12:125; n = 22,300 customers): quality short of expectations moves satisfaction more than quality exceeding them; Olsen 2015 (PAR 75:469; n = 3,442 citizens): negative performance information weighs more in citizens' evaluations of public services; Tversky & Kahneman 1992 (J. Risk Uncertainty 5:297): median loss aversion λ = 2.25"),
        .number(\.expectationOwner, "expectation.owner", 0...0.5, unit: "amenity level",
                "Expectation offset of owners: they expect amenities this much above the community's reference (they own the dwelling and pay the fee).",
                source: "rough prior; expectations vary across citizens (Van Ryzin 2004); owners are more willing to invest in renovation (Jinan TPB study)").fixedAtStart(),
        .number(\.expectationYoung, "expectation.young", 0...0.5, unit: "amenity level",
                "Expectation offset of young households (they compare the compound with new estates' property management).",
                source: "rough prior").fixedAtStart(),
        .number(\.expectationUpperFloor, "expectation.upper_floor", 0...0.5, unit: "amenity level",
                "Expectation offset of households on the top floor, rising linearly from 0 on the ground floor (they climb the stairs and wait for the elevator retrofit).",
                source: "rough prior; Hongkou resales (n = 2,133): the retrofit's break-even floor is 3").fixedAtStart(),
        .number(\.expectationSD, "expectation.sd", 0...0.5, unit: "amenity level",
                "Spread (normal SD) of expectation offsets within a group.", source: "rough prior; consumer meta-analysis r(E, S) = .29 (Schiebler et al. 2025)").fixedAtStart(),
        .number(\.grievanceTenant, "grievance.tenant", 0...1, unit: "satisfaction",
                "Lasting grievance of tenants: no vote in owners' decisions, insecure tenure.",
                source: "唐有财 & 侯秋宇 2017: migrants' participation very low, marginal in community affairs; rough prior: 0.25, one answer category of a five-point scale (the step of baseline.satisfaction_sd)"),
        .number(\.grievanceStairs, "grievance.stairs", 0...1, unit: "satisfaction",
                "Lasting grievance of top-floor households (roof leaks, stairs) and elderly households on floor 4 and up in walk-ups of 4+ floors, × infrastructure deficit (1 − a) / 0.5.",
                source: "elevator-retrofit cases (Hangzhou, Shanghai, Shenzhen): upper floors and the elderly press for elevators; rough prior"),
        .number(\.grievanceLowFloor, "grievance.low_floor", 0...1, unit: "satisfaction",
                "Lasting grievance of floors 1–2 (in buildings of 4+ floors) as infrastructure is upgraded: × the share of the possible upgrade made, (a − a⁰) / (1 − a⁰); halved by compensation in layered consultation.",
                source: "low floors lose light, quiet and value from an elevator (doi:10.1155/2022/7949252); 50–80 % of floor-1 households oppose (rough prior)"),
        .number(\.grievanceOpenProblem, "grievance.open_problem", 0...1, unit: "satisfaction",
                "Grievance of a household while one of its problems stays open past the residents' expected resolution time (lasts until it is fixed).",
                source: "Zhang et al. 2022 (PAR 82:147): timeliness drives satisfaction with hotline services; rough prior"),
        .number(\.grievanceDisturbance, "grievance.disturbance", 0...1, unit: "satisfaction",
                "Grievance of every household while construction works are under way (halved when `construction.phased`).",
                source: "Chaoyang case: construction disturbs, hence phased works; rough prior"),
        .number(\.voiceRelief, "grievance.voice_relief", 0...1, unit: "share",
                "Share of its grievances a household lets go while it has been heard (an act in the participation window).",
                source: "procedural justice: voice raises the acceptance of unfavourable outcomes (Lind, Kanfer & Earley 1990, JPSP 59:952); rough prior"),
        .number(\.helpRelief, "grievance.help_relief", 0...1, unit: "share",
                "Share of its stairs grievance a household lets go while it is helped: a time-bank service from a volunteer (meals, shopping, an escort) in the participation window.",
                source: "time banks reach older and socially excluded residents (Seyfang 2003, IJURR 27:699; Collom 2008, J. Aging Soc. Policy 20:414); the Nanjing, Shanghai and Hangzhou time banks bring meals, shopping and escorts to elderly residents with limited mobility; help carries the errands up the stairs, not the resident: rough prior 0.5, like voice relief"),
        .number(\.representationRelief, "grievance.representation_relief", 0...1, unit: "share",
                "Share of its tenure grievance a tenant not heard itself lets go while tenants are represented: a reserved tenant seat (incentives.tenant_seats) was filled at a council in the participation window.",
                source: "descriptive representation raises the represented group's efficacy and its view of government (Banducci, Donovan & Karp 2004, J. Politics 66:534; Mansbridge 1999, J. Politics 61:628); voice through a representative counts for less than one's own: rough prior, half of grievance.voice_relief"),
    ])
}

public struct SatisfactionUpdate: Mechanism {
    public typealias Parameters = SatisfactionSettings
    public static let name = "satisfaction"
    public let cadence = Cadence.weekly
    let rng: RandomStream
    public init(streams: StreamSet) { rng = streams.stream(Self.name) }

    public mutating func step(_ c: inout Community, day: Int) {
        let s = c.settings.satisfaction
        // Weekly decay of experience with the memory half-life.
        let decay = Float(pow(0.5, 7 / s.memoryDays))
        c.hh.experience.withUnsafeMutableBufferPointer { z in
            for h in z.indices { z[h] *= decay }
        }
        // Amenities age; everyone's satisfaction follows them: performance b·(P − P⁰) and
        // disconfirmation c·(P − R) against the adapting reference R (b + c = the amenity weight).
        let a = c.settings.amenity
        var term = 0.0
        for k in c.amenity.indices {
            c.amenity[k] = max(0, c.amenity[k] - a.agingPerYear * 7 / 360)
            term += c.amenityTerm(k)
        }
        c.communityTerm = Float(term)
        c.expectationWeight = Float(a.satisfactionWeight * s.disconfirmationShare * Double(c.amenity.count))
        c.updateGrievances(day: day)
    }
}

/// Monthly: the expected resolution time moves toward the mean of the last month's
/// resolutions, and the reference amenity levels toward the levels now.
public struct ExpectationAdaptation: Mechanism {
    public static let name = "expectations"
    public let cadence = Cadence.monthly
    public init(streams: StreamSet) {}

    public mutating func step(_ c: inout Community, day: Int) {
        c.adaptAmenityReference()
        let since = Int32(day - 30)
        var sum = 0.0, n = 0
        for r in c.resolvedLog.reversed() {
            if r.day <= since { break }
            sum += Double(r.days); n += 1
        }
        guard n > 0 else { return }
        let rho = c.settings.satisfaction.expectationAdaptation
        c.expectedDays += rho * (sum / Double(n) - c.expectedDays)
    }
}
