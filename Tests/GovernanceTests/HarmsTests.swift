import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments
import TestSupport

/// Behaviour that matches the evidence (issue 25), on common random numbers: every harm lowers
/// satisfaction — as a scheme overlay (the harm is there before day 0 too, and the overlaid
/// community keeps its base's baseline satisfaction) and as a timeline change on day 0 after
/// the same warm-up — and a dearer project lowers the share of households paying their share.
/// The communities are the bundled five-pillars compound, smaller and shorter so that the
/// suite runs in a debug build; each difference is paired replication by replication (the same
/// seeds), with a Student-t 95 % interval.
@Suite("Harms lower satisfaction, dearer projects fewer payers")
struct HarmsTests {
    static let small = ["population.households=300", "simulation.days=360", "simulation.warmup_days=240",
                        "simulation.summary_days=180"]
    static let fivePillars = bundledScenarios("five-pillars.yaml").path
    static let traditional = bundledScenarios("traditional.yaml").path
    /// The harm overlays in Scenarios/harms, on the traditional compound — whose satisfaction
    /// sits at the threshold, so a small community and few replications show each harm — except
    /// the whistle rule, which only the five-pillars compound has. At full size and 30
    /// replications the five-pillars figures are in docs/ODD.md §7.13 (`pillars compare
    /// Scenarios/five-pillars.yaml --scheme Scenarios/harms/NAME.yaml`).
    static let harms: [(harm: String, base: String)] = [
        ("no-grid-workers", traditional), ("whistle-off", fivePillars), ("mediation-off", traditional),
        ("complaints-x3", traditional), ("disputes-x3", traditional), ("department-delay-x2", traditional)]
    static let harmNames = harms.map(\.harm)

    static func base(of harm: String) -> String { harms.first { $0.harm == harm }!.base }

    static func overlay(_ name: String, on base: String = fivePillars, _ extra: [String] = []) throws -> Scenario {
        let s = try ScenarioLoader(schema: GovernanceModel.schema)
            .load(base, overlays: [bundledScenarios("harms/\(name).yaml").path], overrides: small + extra)
        try GovernanceModel.validate(s)
        return s
    }

    /// The base with the overlay's changes made by a timeline entry on day 0 instead.
    static func fromDayZero(_ name: String, on base: String) throws -> Scenario {
        let o = try overlay(name, on: base)
        var s = try GovernanceModel.load(base, overrides: small)
        s.timeline.append(TimelineEntry(day: 0, note: name, changes: o.anchorRevert.keys.sorted().map { ($0, o.parameters[$0]) }))
        return s
    }

    /// Paired difference alternative − baseline of output `o` over `reps` replications (the
    /// scenarios share a warm-up where their keys are equal, as `compare` runs them).
    static func paired(_ base: Scenario, _ alt: Scenario, _ o: Output, reps: Int, seed: UInt64 = 25) -> PairedDifference {
        var b: [Double] = [], a: [Double] = []
        for r in 0..<reps {
            let out = GovernanceModel.run([base, alt], replication: r, masterSeed: seed)
            let u = out[0].outputs[o.index], v = out[1].outputs[o.index]
            if !u.isNaN, !v.isNaN { b.append(u); a.append(v) }
        }
        return pairedDifference(metric: o.name, baseline: b, alternative: a)
    }

    @Test(arguments: harmNames)
    func harmLowersSatisfactionAsAnOverlay(harm: String) throws {
        let base = try GovernanceModel.load(Self.base(of: harm), overrides: Self.small)
        let (o, reps) = Self.measure(harm)
        let d = Self.paired(base, try Self.overlay(harm, on: Self.base(of: harm)), o, reps: reps).difference
        #expect(d.hi < 0, "\(harm) as an overlay: \(o.name) \(d.mean) [\(d.lo), \(d.hi)]")
    }

    @Test(arguments: harmNames)
    func harmLowersSatisfactionFromDayZero(harm: String) throws {
        let base = try GovernanceModel.load(Self.base(of: harm), overrides: Self.small)
        let day0 = try Self.fromDayZero(harm, on: Self.base(of: harm))
        #expect(GovernanceModel.warmUpKey(base) == GovernanceModel.warmUpKey(day0), "the same warm-up")
        let (o, reps) = Self.measure(harm)
        let d = Self.paired(base, day0, o, reps: reps).difference
        #expect(d.hi < 0, "\(harm) from day 0: \(o.name) \(d.mean) [\(d.lo), \(d.hi)]")
    }

    /// The rate in the traditional compound; in the five-pillars one (satisfaction near 87 % at
    /// this size) the mean, which every household's fall moves, over more replications.
    static func measure(_ harm: String) -> (Output, Int) {
        // The whistle rule in five-pillars moves satisfaction by under a point: 30 replications.
        base(of: harm) == traditional ? (.satisfactionRate, 12) : (.satisfactionMean, 30)
    }

    /// An overlay whose warm-up differs keeps its base's baseline shift: at the end of the
    /// warm-up its residents are no more satisfied than the base's (the re-anchoring does not
    /// absorb the harm), while a scenario file with the same settings anchors itself.
    @Test func anOverlayIsAnchoredOnItsBase() throws {
        let s = try Self.overlay("disputes-x3")
        #expect(s.anchorRevert.keys.sorted() == ["disputes.rate_per_100hh_month"])
        let seed = Seeds.replication(master: 25, index: 0)
        let base = try GovernanceModel.load(Self.fivePillars, overrides: Self.small)
        let shift = try #require(GovernanceModel.anchorShift(s, seed: seed))
        let own = GovernanceModel.simulate(base, seed: seed, observer: { _, _ in })
        #expect(shift == own.satisfactionShift, "the anchor is the base's warm-up")
        var standalone = s
        standalone.anchorRevert = [:]
        #expect(GovernanceModel.anchorShift(standalone, seed: seed) == nil)
        // A switch (whistle) does not change the warm-up: nothing to anchor, the warm-up is shared.
        let whistle = try Self.overlay("whistle-off")
        #expect(GovernanceModel.anchor(whistle) == nil)
        #expect(GovernanceModel.warmUpKey(whistle) == GovernanceModel.warmUpKey(base))
    }

    /// Losses weigh more than gains: with loss aversion 1 a fix as much later than expected as
    /// another is earlier moves satisfaction by the same amount the other way; at 2.25 the
    /// late one weighs more (the disconfirmation part × 2.25).
    @Test func lateFixesWeighMoreThanEarlyOnes() throws {
        for lambda in [1.0, 2.25] {
            let s = try scenario("problems.expectation_days: 10\nsatisfaction.loss_aversion: \(lambda)\n")
            var c = Community(s, parameters: s.parameters, streams: StreamSet(replicationSeed: 1))
            c.expectedDays = 10
            let early = c.serviceShock(days: 5), late = c.serviceShock(days: 20)
            #expect(early > 0 && late < 0)
            // Performance (share 1 − φ = 0.7) is symmetric, disconfirmation (φ = 0.3) × λ when negative.
            if lambda == 1 { #expect(abs(early + late) < 1e-12) } else { #expect(abs(-late / early - (0.7 + 0.3 * 2.25)) < 1e-9) }
        }
        // Performance against the fixed standard: once expectations have caught up with slow
        // service (E = t), a slow fix still displeases.
        let s = try scenario("problems.expectation_days: 10\n")
        var c = Community(s, parameters: s.parameters, streams: StreamSet(replicationSeed: 1))
        c.expectedDays = 20
        #expect(c.serviceShock(days: 20) < 0)
    }

    /// Complaints arise from experiences: without overdue problems' and disputes' complaints
    /// (complaint probability 0) only the background is left, and at its default (0.3 per 100
    /// households a month; Scenarios/calibrated.yaml holds the earlier fit's 3.3 until the
    /// refit within the new bounds 0 … 1) it is a small part of the traditional compound's
    /// complaints. Unmediated disputes complain too: without mediation there are more.
    @Test func complaintsComeFromProblemsAndDisputes() throws {
        let small = Self.small + ["governance.other_complaints_per_100hh_month=0.3"]
        let base = try GovernanceModel.load(Self.traditional, overrides: small)
        let none = try GovernanceModel.load(Self.traditional, overrides: small + [
            "governance.complaint_probability=0", "governance.other_complaints_per_100hh_month=0"])
        let all = mean(.complaints, base, reps: 4), left = mean(.complaints, none, reps: 4)
        #expect(left == 0)
        let background = try GovernanceModel.load(Self.traditional, overrides: small + ["governance.complaint_probability=0"])
        #expect(mean(.complaints, background, reps: 4) < 0.2 * all, "background share of \(all) complaints")
        let unmediated = try GovernanceModel.load(Self.traditional, overrides: small + ["disputes.mediation_probability=0"])
        #expect(mean(.complaints, unmediated, reps: 4) > all)
    }

    // MARK: willingness to pay

    static let project = """
    population.households: 300
    simulation.days: 200
    simulation.warmup_days: 0
    construction.enabled: true
    construction.crowdfunding: false
    projects:
      - {name: p, category: infrastructure, cost: COST, start_day: 10, funding_days: 30, duration_days: 30}

    """

    /// The share paying falls as the bill rises — at each of four costs, 12 k … 12 M yuan —
    /// and a household's WTP does not depend on its bill: with WTP above every share (spread
    /// 0), everyone pays whatever the cost.
    @Test func dearerProjectsFindFewerPayers() throws {
        var last = 1.0
        for cost in [12_000.0, 120_000, 1_200_000, 12_000_000] {
            let s = try scenario(Self.project.replacingOccurrences(of: "COST", with: "\(cost)"))
            let share = mean(.contributionShare, s, reps: 4)
            #expect(share < last, "cost \(cost): contribution share \(share) after \(last)")
            last = share
        }
        #expect(last < 0.1)
    }

    /// Raising the median cost of resolution projects ×10 lowers contribution_share in the
    /// five-pillars compound (paired, interval excluding 0).
    @Test func tenfoldMedianCostLowersContributions() throws {
        let base = try GovernanceModel.load(Self.fivePillars, overrides: Self.small + ["simulation.days=720"])
        let dear = try GovernanceModel.load(Self.fivePillars, overrides: Self.small + ["simulation.days=720", "construction.cost_median=1200000"])
        let d = Self.paired(base, dear, .contributionShare, reps: 8).difference
        #expect(d.hi < 0, "contribution_share \(d.mean) [\(d.lo), \(d.hi)]")
    }

    /// WTP follows what the project gains: a project that adds more to its category (gain
    /// 0.05, 0.1, 0.2, 0.4 of the distance to the best level) finds more payers at the same bill.
    @Test func biggerGainsFindMorePayers() throws {
        var last = -1.0
        for gain in [0.05, 0.1, 0.2, 0.4] {
            let text = Self.project.replacingOccurrences(of: "COST", with: "120000")
                .replacingOccurrences(of: "duration_days: 30}", with: "duration_days: 30, gain: \(gain)}")
            let share = mean(.contributionShare, try scenario(text), reps: 4)
            #expect(share > last, "gain \(gain): contribution share \(share) after \(last)")
            last = share
        }
    }

    /// Means: car owners (an income proxy) pay more often — contribution share rises with the
    /// WTP multiplier of car owners at three levels.
    @Test func incomeProxyRaisesPayment() throws {
        var last = -1.0
        for f in [0.5, 1.3, 3.0] {
            let text = Self.project.replacingOccurrences(of: "COST", with: "120000") + "construction.car_factor: \(f)\npopulation.car_share: 0.6\n"
            let share = mean(.contributionShare, try scenario(text), reps: 4)
            #expect(share > last, "car factor \(f): contribution share \(share) after \(last)")
            last = share
        }
    }

    /// The by-floor coefficients are parameters: floors 1–2 pay `assessment.low_floors`, floor 3
    /// `assessment.floor3`, rising by `assessment.per_floor` to at most `assessment.max`.
    @Test func assessmentCoefficientsAreParameters() throws {
        let s = ConstructionSettings()
        let expected = [0, 0, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]
        for (f, e) in zip(1...9, expected) { #expect(abs(s.assessmentCoefficient(floor: f) - e) < 1e-12, "floor \(f)") }
        #expect(s.assessmentCoefficient(floor: 12) == 1.3)
        var t = s
        t.assessLowFloors = 0.2; t.assessFloor3 = 1; t.assessPerFloor = 0; t.assessMax = 1
        #expect(t.assessmentCoefficient(floor: 1) == 0.2 && t.assessmentCoefficient(floor: 6) == 1)
    }

    /// A funding gap counts only above the tolerance: a project short by less than
    /// `gap_tolerance` of its cost is built in full and is not a gap.
    @Test func gapsBelowToleranceDoNotCount() throws {
        // Residents owe 30 % and nobody pays (WTP 0); fiscal money covers 97 % of the cost.
        let text = """
        population.households: 100
        simulation.days: 120
        simulation.warmup_days: 0
        construction.enabled: true
        construction.crowdfunding: false
        construction.sponsor_candidates: 0
        construction.charity_probability: 0
        construction.wtp_median: 0
        projects:
          - {name: p, cost: 100000, start_day: 5, funding_days: 20, duration_days: 20, fiscal_share: TOL, residents_share: 0.3}

        """
        let within = try scenario(text.replacingOccurrences(of: "TOL", with: "0.97"))
        let r = GovernanceModel.run(within, replication: 0, masterSeed: 3)
        #expect(r.outputs[Output.fundingGap.index] > 0, "a gap of 3 % of the cost")
        #expect(r.outputs[Output.fundingGapProbability.index] == 0, "within the 5 % tolerance")
        let beyond = try scenario(text.replacingOccurrences(of: "TOL", with: "0.9"))
        #expect(GovernanceModel.run(beyond, replication: 0, masterSeed: 3).outputs[Output.fundingGapProbability.index] == 1)
    }
}
