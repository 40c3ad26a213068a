import Foundation
import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

/// Satisfaction, expectations and fees (`Satisfaction.swift`, ODD §7.13): experience decays
/// with the memory half-life (SatisfactionUpdate), expected resolution time moves toward the
/// last month's mean (ExpectationAdaptation), and fee payment follows satisfaction (FeePayment).
@Suite("Satisfaction, expectations and fees")
struct SatisfactionTests {
    static let base = "population.households: 200\nsimulation.warmup_days: 60\n"

    /// Mean of `o` on observation day `day` (0-based) over `reps` replications.
    static func meanOn(_ day: Int, _ o: Output, _ s: Scenario, reps: Int = 4) -> Double {
        let xs = (0..<reps).map { i -> Double in
            let r = GovernanceModel.run(s, replication: i, masterSeed: 11)
            guard let row = r.series.first(where: { Int($0[0]) == day + 1 }) else {
                Issue.record("day \(day) is not an observation day")
                return .nan
            }
            return row[1 + o.index]
        }
        return xs.reduce(0, +) / Double(reps)
    }

    /// Memory half-life: a burst of unmediated disputes (days 30–60) lowers satisfaction under
    /// a short and a long memory alike; six months later the short memory (30 days) has
    /// forgotten it (≈ 0.5^(177/30) ≈ 2 % left) while the long one (360 days) still carries
    /// most of it (≈ 0.5^(177/360) ≈ 70 %). Each is compared with the same community without the burst.
    @Test func shorterMemoryMakesShocksFadeFaster() throws {
        func pair(_ memory: Int) throws -> (atBurstEnd: Double, later: Double) {
            let s = Self.base + """
            simulation.days: 240
            satisfaction.memory_days: \(memory)
            disputes.social_protection: 0
            disputes.mediation_probability: 0
            disputes.rate_per_100hh_month: 0

            """
            let quiet = try scenario(s)
            let burst = try scenario(s + """
            timeline:
              - day: 30
                set: {disputes.rate_per_100hh_month: 60}
              - day: 60
                set: {disputes.rate_per_100hh_month: 0}
            """)
            return (Self.meanOn(62, .satisfactionMean, quiet) - Self.meanOn(62, .satisfactionMean, burst),
                    Self.meanOn(239, .satisfactionMean, quiet) - Self.meanOn(239, .satisfactionMean, burst))
        }
        let short = try pair(30), long = try pair(360)
        #expect(short.atBurstEnd > 0.04 && long.atBurstEnd > 0.04, "fall at the end of the burst: memory 30 \(short.atBurstEnd), 360 \(long.atBurstEnd)")
        #expect(short.later < 0.08 * short.atBurstEnd, "memory 30 days: \(short.atBurstEnd) → \(short.later)")
        let kept = long.later / long.atBurstEnd
        #expect(kept > 0.6 && kept < 0.82, "memory 360 days: \(long.atBurstEnd) → \(long.later) (\(kept) kept)")
    }

    /// Expectation adaptation: each month the expected resolution time moves the given share of
    /// the way to the last month's mean — starting far above (60 days) or below (½ day) what
    /// residents experience. Without adaptation it stays where it started; at 5 % a month
    /// about 0.95¹² ≈ 54 % of the gap is left after a year; at 50 % it has reached experience.
    @Test func expectationsMoveTowardExperience() throws {
        func run(_ start: Double, _ rho: Double) throws -> (expected: Double, experienced: Double) {
            let s = try scenario("""
            population.households: 200
            simulation.days: 360
            simulation.warmup_days: 0
            problems.expectation_days: \(start)
            satisfaction.expectation_adaptation: \(rho)
            """)
            var c = GovernanceModel.simulate(s, seed: Seeds.replication(master: 5, index: 0)) { _, _ in }
            return (c.expectedDays, c.observe(day: 359)[Output.resolutionDaysMean.index])
        }
        #expect(try run(60, 0).expected == 60)
        for start in [60.0, 0.5] {
            let slow = try run(start, 0.05), fast = try run(start, 0.5)
            let left = (slow.expected - slow.experienced) / (start - slow.experienced)
            #expect(left > 0.42 && left < 0.66, "start \(start), 5 %/month: expected \(slow.expected), experienced \(slow.experienced), gap left \(left)")
            #expect(abs(fast.expected - fast.experienced) < 0.15 * fast.experienced,
                    "start \(start), 50 %/month: expected \(fast.expected), experienced \(fast.experienced)")
        }
    }

    /// Fee payment follows satisfaction: after the service gets faster (community repairs in 1
    /// day instead of 20, from day 30) residents are more satisfied and more of them pay the
    /// property fee. With no fee sensitivity, collection stays at the baseline rate either way.
    @Test func feePaymentFollowsSatisfaction() throws {
        func run(_ days: Double, sensitivity: Double) throws -> Scenario {
            try scenario(Self.base + """
            simulation.days: 360
            satisfaction.fee_sensitivity: \(sensitivity)
            timeline:
              - day: 30
                set: {governance.community_days: \(days)}
            """)
        }
        let slow = try run(20, sensitivity: 4), fast = try run(1, sensitivity: 4)
        let sGap = mean(.satisfactionMean, fast) - mean(.satisfactionMean, slow)
        let fSlow = mean(.feeCollection, slow), fFast = mean(.feeCollection, fast)
        #expect(sGap > 0.05, "satisfaction mean gap fast − slow service \(sGap)")
        // Near the baseline rate f the slope of σ(logit f + β ΔS) is β f (1 − f).
        let predicted = 4 * 0.8 * 0.2 * sGap
        #expect(fFast - fSlow > 0.5 * predicted && fFast - fSlow < 1.5 * predicted,
                "fee collection slow \(fSlow), fast \(fFast); predicted gap \(predicted)")
        let flatSlow = mean(.feeCollection, try run(20, sensitivity: 0)), flatFast = mean(.feeCollection, try run(1, sensitivity: 0))
        #expect(abs(flatFast - flatSlow) < 0.03 && abs(flatSlow - 0.8) < 0.04, "no sensitivity: \(flatSlow), \(flatFast)")
    }

    /// Amenities age by `aging_per_year` in the weekly update and satisfaction follows them
    /// (C = w · Σ over the five categories of the change since the start).
    @Test func agingAmenitiesLowerSatisfaction() throws {
        let s = Self.base + "simulation.days: 240\n"
        let kept = try scenario(s), aging = try scenario(s + "amenity.aging_per_year: 0.05\n")
        let drop = mean(.amenityMean, kept, reps: 2) - mean(.amenityMean, aging, reps: 2)
        #expect(abs(drop - 0.05 * 300 / 360) < 0.003, "amenity mean falls by \(drop) in 300 days")
        let sDrop = mean(.satisfactionMean, kept) - mean(.satisfactionMean, aging)
        // After day 0 (the warm-up's ageing is part of the baseline): 0.4 × 5 × 0.05 × 240/360.
        let predicted = 0.4 * 5 * 0.05 * 240 / 360
        #expect(sDrop > 0.6 * predicted && sDrop < 1.2 * predicted, "satisfaction mean falls by \(sDrop), predicted \(predicted)")
    }
}
