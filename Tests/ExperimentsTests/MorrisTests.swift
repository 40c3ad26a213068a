import Foundation
import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("Morris screening")
struct MorrisTests {
    /// Sobol's G-function on the first five coordinates, a = 0, 1, 4.5, 9, 99: the smaller
    /// a_i, the larger the effect of x_i. The sixth coordinate is not used at all.
    static let a = [0.0, 1, 4.5, 9, 99]
    static func g(_ x: [Double]) -> Double {
        var product = 1.0
        for i in a.indices {
            let term: Double = abs(4 * x[i] - 2) + a[i]
            product *= term / (1 + a[i])
        }
        return product
    }

    @Test func trajectoriesMoveOneParameterByDeltaAtATime() throws {
        let p = try (0..<4).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        let plan = try MorrisPlan(parameters: p, trajectories: 10, levels: 4, seed: 3)
        #expect(plan.samples.count == 10 * 5)
        #expect(abs(plan.delta - 2.0 / 3) < 1e-12)
        for t in 0..<10 {
            #expect(Set(plan.steps[t].map(\.parameter)) == Set(0..<4), "each parameter moves once")
            for (j, step) in plan.steps[t].enumerated() {
                let before = plan.samples[t * 5 + j], after = plan.samples[t * 5 + j + 1]
                for i in 0..<4 where i != step.parameter { #expect(before[i] == after[i]) }
                #expect(abs(abs(after[step.parameter] - before[step.parameter]) - 2.0 / 3) < 1e-9)
            }
        }
        // Deterministic for a seed.
        let again = try MorrisPlan(parameters: p, trajectories: 10, levels: 4, seed: 3)
        #expect(again.samples == plan.samples)
        #expect(throws: ExperimentError.self) { try MorrisPlan(parameters: p, trajectories: 10, levels: 5, seed: 3) }
        #expect(throws: ExperimentError.self) { try MorrisPlan(parameters: p, trajectories: 1, levels: 4, seed: 3) }
        #expect(throws: ExperimentError.self) { try MorrisPlan(parameters: [], trajectories: 10, levels: 4, seed: 3) }
    }

    /// Larger true effects rank higher, and a parameter the function ignores has μ* = 0.
    @Test func gFunctionRanksTheParametersByTheirEffect() throws {
        let p = try (0..<6).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        let plan = try MorrisPlan(parameters: p, trajectories: 40, levels: 4, seed: 11)
        let y = plan.samples.map(Self.g)
        let m = morrisIndices(plan: plan, outputs: y, bootstrap: 300, seed: 11)
        #expect(m.map(\.parameter) == p.map(\.name))
        for i in 0..<4 {
            #expect(m[i].muStar > m[i + 1].muStar, "μ*(x\(i)) = \(m[i].muStar) > μ*(x\(i + 1)) = \(m[i + 1].muStar)")
        }
        #expect(m[0].muStarLo > m[2].muStarHi, "the strongest and a weak parameter are told apart by the intervals")
        #expect(m[5].muStar == 0 && m[5].sigma == 0 && m[5].mu == 0, "the unused parameter has no effect")
        #expect(m[4].muStar < 0.05 * m[0].muStar, "a = 99 is nearly non-influential")
        for x in m {
            #expect(x.n == 40 && x.note == nil)
            #expect(x.muStarLo <= x.muStar && x.muStar <= x.muStarHi, "\(x.parameter)")
            #expect(x.sigmaLo <= x.sigma && x.sigma <= x.sigmaHi, "\(x.parameter)")
            #expect(abs(x.mu) <= x.muStar + 1e-12)
        }
        // The G-function is symmetric about 1/2 in each coordinate: effects cancel in μ, not in μ*.
        #expect(abs(m[0].mu) < m[0].muStar)
    }

    @Test func nonFiniteOutputsAreLeftOut() throws {
        let p = try (0..<2).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        let plan = try MorrisPlan(parameters: p, trajectories: 5, levels: 4, seed: 1)
        var y = plan.samples.map { $0[0] + 2 * $0[1] }
        y[0] = .nan
        let m = morrisIndices(plan: plan, outputs: y, bootstrap: 0, seed: 1)
        #expect(m.map(\.n).reduce(0, +) == 9, "the one effect that used row 0 is left out")
        // A linear function: every effect equals its coefficient.
        #expect(abs(m[0].mu - 1) < 1e-9 && abs(m[1].mu - 2) < 1e-9 && m[0].sigma < 1e-9)
        let none = morrisIndices(plan: plan, outputs: y.map { _ in .nan }, bootstrap: 10, seed: 1)
        #expect(none.allSatisfy { $0.muStar.isNaN && $0.note != nil })
    }
}
