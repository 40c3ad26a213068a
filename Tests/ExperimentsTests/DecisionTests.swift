import Testing
import SimCore
@testable import Experiments

@Suite("Decision outputs")
struct DecisionTests {
    @Test func pBestCountsWinsAndSplitsTies() {
        // Replication 0: alternative 1 best; 1: a tie of baseline and 2; 2: alternative 2 best; 3: a three-way tie.
        let obj = [[0.1, 0.5, 0.2, 0.3], [0.4, 0.2, 0.1, 0.3], [0.2, 0.5, 0.6, 0.3]]
        let p = Decision.pBest(obj)
        #expect(abs(p[0] - (0.5 + 1.0 / 3) / 4) < 1e-12)
        #expect(abs(p[1] - (1 + 1.0 / 3) / 4) < 1e-12)
        #expect(abs(p[2] - (1.5 + 1.0 / 3) / 4) < 1e-12)
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        // Lower is better: the ranking turns round.
        let q = Decision.pBest([[1, 1], [2, 2]], higherIsBetter: false)
        #expect(q == [1, 0])
        // A replication with a NaN is left out.
        #expect(Decision.pBest([[1, .nan], [2, 5]]) == [0, 1])
    }

    @Test func differencesAndCostPerUnitHaveKnownAnswers() {
        // Objective +0.1 ± 0.02 (alternating), annual cost +1000 per 0.1 exactly: every resample's
        // ratio is 1000 / (0.1 × 100) = 100 yuan per unit per year.
        let n = 40
        let base = (0..<n).map { 0.2 + Double($0 % 7) * 0.01 }
        let d = (0..<n).map { 0.1 + ($0 % 2 == 0 ? 0.02 : -0.02) }
        let alt = zip(base, d).map { $0 + $1 }
        let baseCost = [Double](repeating: 50, count: n)
        let altCost = d.map { 50 + 10_000 * $0 }
        let rows = Decision.analyse(labels: ["base", "alt"], objective: [base, alt], annualCost: [baseCost, altCost],
                                    units: 100, budget: 1200, seed: 7)
        #expect(rows.count == 2)
        let o = rows[1].objectiveDiff!
        #expect(abs(o.mean - 0.1) < 1e-12)
        let expected = Summary(d)
        #expect(abs(o.lo - expected.lo) < 1e-12 && abs(o.hi - expected.hi) < 1e-12)
        #expect(abs(rows[1].annualCostDiff!.mean - 1000) < 1e-9)
        let r = rows[1].costPerUnit!
        #expect(abs(r.mean - 100) < 1e-9 && abs(r.lo - 100) < 1e-9 && abs(r.hi - 100) < 1e-9)
        #expect(rows[1].costPerUnitDefined && rows[1].pairs == n)
        #expect(rows[0].objectiveDiff == nil && rows[0].costPerUnit == nil)
        // Alternative always better: P(best) 0 and 1.
        #expect(rows[0].pBest == 0 && rows[1].pBest == 1)
        // Budget 1200 per year: the baseline's 50 fits; the alternative's costs 1250 and 850 alternate
        // (mean 1050, sd ≈ 203, upper bound ≈ 1050 + 2.02 × 203 / √40 ≈ 1115): it fits too.
        #expect(rows[0].fitsBudget == .yes && rows[1].fitsBudget == .yes)
        #expect(abs(rows[1].annualCost.hi - 1115) < 2, "\(rows[1].annualCost.hi)")
        #expect(Decision.fit(Estimate(mean: 900, lo: 800, hi: 1000), budget: 950) == .meanOnly)
        #expect(Decision.fit(Estimate(mean: 1000, lo: 900, hi: 1100), budget: 950) == .no)
    }

    @Test func bootstrapIntervalMatchesTheDeltaMethod() {
        // Δobjective = 0.1 ± 0.02 alternating (sd ≈ 0.02, n = 100), Δcost fixed at 1000: the ratio
        // 1000 / (Δ̄ × 100) has relative se ≈ 0.002 / 0.1 = 2 %, so its interval is ≈ 100 ± 3.9.
        let n = 100
        let d = (0..<n).map { 0.1 + ($0 % 2 == 0 ? 0.02 : -0.02) }
        let r = Decision.ratio(dCost: [Double](repeating: 1000, count: n), dObjective: d, units: 100,
                               samples: 2000, stream: RandomStream(seed: 1))
        #expect(abs(r.mean - 100) < 1e-9)
        #expect(r.lo > 95 && r.lo < 97.5, "lo \(r.lo)")
        #expect(r.hi > 102.5 && r.hi < 105, "hi \(r.hi)")
        // Same seed, same interval.
        let again = Decision.ratio(dCost: [Double](repeating: 1000, count: n), dObjective: d, units: 100,
                                   samples: 2000, stream: RandomStream(seed: 1))
        #expect(again == r)
    }

    @Test func costPerUnitIsUndefinedWhenTheEffectMayBeZero() {
        let base = [0.2, 0.2, 0.2, 0.2]
        let alt = [0.25, 0.15, 0.22, 0.18]   // differences +0.05, −0.05, +0.02, −0.02
        let rows = Decision.analyse(labels: ["b", "a"], objective: [base, alt], annualCost: [[0, 0, 0, 0], [10, 10, 10, 10]],
                                    units: 100, seed: 1)
        #expect(rows[1].objectiveDiff!.includesZero)
        #expect(!rows[1].costPerUnitDefined && rows[1].costPerUnit == nil)
        #expect(rows[1].fitsBudget == nil)
    }

    @Test func batchesGrowByHalfUpToTheCap() {
        #expect(Decision.nextReplications(after: 10, maxReps: 400) == 15)
        #expect(Decision.nextReplications(after: 15, maxReps: 400) == 23)
        #expect(Decision.nextReplications(after: 1, maxReps: 400) == 2)
        #expect(Decision.nextReplications(after: 390, maxReps: 400) == 400)
    }
}
