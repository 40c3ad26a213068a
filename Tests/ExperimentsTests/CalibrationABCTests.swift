import Testing
import Foundation
import SimCore
@testable import Experiments

/// ABC rejection on a small problem whose posterior is known.
@Suite("ABC rejection")
struct CalibrationABCTests {
    static let box = [CalibrationParameter(name: "a", lo: 0, hi: 10, start: 0),
                      CalibrationParameter(name: "b", lo: -5, hi: 5, start: -5)]

    /// Distance to the point (3, 1): the kept draws gather around it, nearest first, and
    /// cover a small region of the prior box.
    @Test func keepsTheNearestAndConcentratesOnTheTruth() throws {
        var calls = 0
        let s = try abcRejection(parameters: Self.box, candidates: 2000, accept: 100) { x in
            calls += 1
            return ((x[0] - 3) * (x[0] - 3) + (x[1] - 1) * (x[1] - 1)).squareRoot()
        }
        #expect(calls == 2000 && s.evaluated == 2000)
        #expect(s.draws.count == 100 && s.distances.count == 100)
        #expect(s.distances == s.distances.sorted())
        #expect(s.threshold == s.distances.last!)
        // The accepted region is a disc of area 100/2000 of the 10 × 10 box: radius ≈ 1.26.
        #expect(s.threshold > 1.0 && s.threshold < 1.5, "ε = \(s.threshold)")
        let ma = GSL.mean(s.draws.map { $0[0] }), mb = GSL.mean(s.draws.map { $0[1] })
        #expect(abs(ma - 3) < 0.15 && abs(mb - 1) < 0.15, "posterior mean (\(ma), \(mb))")
        // Every draw is inside the prior box.
        for d in s.draws { #expect(d[0] >= 0 && d[0] <= 10 && d[1] >= -5 && d[1] <= 5) }
    }

    /// A parameter the data do not inform keeps its prior spread; an informed one shrinks.
    @Test func anUninformedParameterStaysWide() throws {
        let s = try abcRejection(parameters: Self.box, candidates: 1000, accept: 100) { x in abs(x[0] - 7) }
        let a = s.draws.map { $0[0] }, b = s.draws.map { $0[1] }
        #expect(GSL.sd(a) < 0.5, "informed sd \(GSL.sd(a))")
        #expect(GSL.sd(b) > 2.0, "uninformed sd \(GSL.sd(b)) (uniform on 10: 2.89)")
    }

    @Test func deterministicAndRefusesBadSizes() throws {
        let f: ([Double]) -> Double = { x in abs(x[0] - 2) + abs(x[1]) }
        let a = try abcRejection(parameters: Self.box, candidates: 300, accept: 30, distance: f)
        let b = try abcRejection(parameters: Self.box, candidates: 300, accept: 30, distance: f)
        #expect(a.draws == b.draws)
        #expect(throws: ExperimentError.self) { try abcRejection(parameters: Self.box, candidates: 10, accept: 11, distance: f) }
        #expect(throws: ExperimentError.self) { try abcRejection(parameters: [], candidates: 10, accept: 1, distance: f) }
        // NaN distances are never kept while finite ones remain.
        let n = try abcRejection(parameters: Self.box, candidates: 50, accept: 5) { x in x[0] < 5 ? .nan : x[0] }
        #expect(n.distances.allSatisfy { $0.isFinite })
    }
}

/// ABC-SMC on the same small problems: it gets closer than rejection for the same number of
/// model runs, and still keeps an uninformed parameter wide.
@Suite("ABC-SMC")
struct CalibrationABCSMCTests {
    static let box = CalibrationABCTests.box
    static func d(_ x: [Double]) -> Double { ((x[0] - 3) * (x[0] - 3) + (x[1] - 1) * (x[1] - 1)).squareRoot() }

    @Test func tighterThanRejectionForTheSameRuns() throws {
        var runs = 0
        let smc = try abcSMC(parameters: Self.box, population: 50, initial: 200, generations: 4, budget: 1000, seed: 5) { x in
            runs += 1
            return Self.d(x)
        }
        #expect(runs == smc.sample.evaluated && runs <= 1000)
        #expect(smc.generations.count >= 3, "\(smc.generations.map(\.epsilon))")
        // ε falls generation by generation.
        for (a, b) in zip(smc.generations, smc.generations.dropFirst()) { #expect(b.epsilon < a.epsilon) }
        let rej = try abcRejection(parameters: Self.box, candidates: runs, accept: 50, distance: Self.d)
        #expect(smc.sample.threshold < 0.7 * rej.threshold, "SMC ε \(smc.sample.threshold), rejection ε \(rej.threshold) at \(runs) runs")
        #expect(smc.sample.draws.count == 50)
        let ma = GSL.mean(smc.sample.draws.map { $0[0] }), mb = GSL.mean(smc.sample.draws.map { $0[1] })
        #expect(abs(ma - 3) < 0.2 && abs(mb - 1) < 0.2, "posterior mean (\(ma), \(mb))")
        for x in smc.sample.draws { #expect(x[0] >= 0 && x[0] <= 10 && x[1] >= -5 && x[1] <= 5) }
    }

    @Test func uninformedStaysWideAndRunsAreReproducible() throws {
        let f: ([Double]) -> Double = { x in abs(x[0] - 7) }
        let a = try abcSMC(parameters: Self.box, population: 60, initial: 200, generations: 3, budget: 2000, seed: 1, distance: f)
        let b = try abcSMC(parameters: Self.box, population: 60, initial: 200, generations: 3, budget: 2000, seed: 1, distance: f)
        #expect(a.sample.draws == b.sample.draws)
        #expect(GSL.sd(a.sample.draws.map { $0[0] }) < 0.3)
        #expect(GSL.sd(a.sample.draws.map { $0[1] }) > 1.8, "uniform on 10 has sd 2.89")
    }

    @Test func stopsAtTheBudgetWithTheLastWholeGeneration() throws {
        let s = try abcSMC(parameters: Self.box, population: 50, initial: 100, generations: 50, budget: 300, seed: 2, distance: Self.d)
        #expect(s.sample.evaluated <= 300)
        #expect(s.sample.draws.count == 50)
        #expect(s.generations.count < 50)
        #expect(throws: ExperimentError.self) {
            try abcSMC(parameters: Self.box, population: 10, initial: 100, generations: 1, budget: 50, seed: 1, distance: Self.d)
        }
    }
}
