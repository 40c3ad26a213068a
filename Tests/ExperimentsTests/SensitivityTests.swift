import Foundation
import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("Sobol sensitivity")
struct SensitivityTests {
    /// Ishigami function, a = 7, b = 0.1.
    static func ishigami(_ x: [Double]) -> Double {
        sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0])
    }

    @Test func planLayout() throws {
        let p = try (0..<3).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        let plan = try SaltelliPlan(parameters: p, n: 16)
        #expect(plan.samples.count == 16 * 5)
        let a = Array(plan.samples[0..<16]), b = Array(plan.samples[16..<32])
        for i in 0..<3 {
            for r in 0..<16 {
                var expected = a[r]
                expected[i] = b[r][i]
                #expect(plan.samples[(2 + i) * 16 + r] == expected)
            }
        }
        #expect(throws: ExperimentError.self) { try SaltelliPlan(parameters: [], n: 16) }
        let many = try (0..<21).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        #expect(throws: ExperimentError.self) { try SaltelliPlan(parameters: many, n: 16) }
    }

    @Test func ishigamiIndices() throws {
        let params = try (1...3).map { try ParameterRange(name: "x\($0)", lo: -Double.pi, hi: Double.pi) }
        let plan = try SaltelliPlan(parameters: params, n: 8192)
        let y = plan.samples.map(Self.ishigami)
        let result = sobolIndices(plan: plan, outputs: y, bootstrap: 200, seed: 1)
        let exactS1 = [0.3139, 0.4424, 0.0], exactST = [0.5576, 0.4424, 0.2437]
        var covered = 0
        for (i, r) in result.enumerated() {
            #expect(r.parameter == "x\(i + 1)" && r.note == nil)
            #expect(abs(r.s1 - exactS1[i]) < 0.02, "S1[\(i)] = \(r.s1)")
            #expect(abs(r.st - exactST[i]) < 0.02, "ST[\(i)] = \(r.st)")
            #expect(r.s1Lo <= r.s1 && r.s1 <= r.s1Hi && r.stLo <= r.st && r.st <= r.stHi)
            if r.s1Lo <= exactS1[i] && exactS1[i] <= r.s1Hi { covered += 1 }
            if r.stLo <= exactST[i] && exactST[i] <= r.stHi { covered += 1 }
        }
        #expect(covered >= 5, "bootstrap intervals cover the exact value for most indices (\(covered)/6)")
        // Deterministic for a seed.
        let again = sobolIndices(plan: plan, outputs: y, bootstrap: 200, seed: 1)
        #expect(again.map(\.s1Lo) == result.map(\.s1Lo))
    }

    @Test func constantOutputGivesZeroNotNaN() throws {
        let params = try (0..<2).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        let plan = try SaltelliPlan(parameters: params, n: 8)
        let r = sobolIndices(plan: plan, outputs: [Double](repeating: 4, count: plan.samples.count), seed: 0)
        for i in r {
            #expect(i.s1 == 0 && i.st == 0 && i.s1Lo == 0 && i.stHi == 0)
            #expect(i.note != nil)
        }
    }

    @Test func additiveModelHasEqualFirstAndTotalOrder() throws {
        let params = try (0..<2).map { try ParameterRange(name: "x\($0)", lo: 0, hi: 1) }
        let plan = try SaltelliPlan(parameters: params, n: 1024)
        // y = x0 + 2·x1: S1 = ST = 1/5, 4/5.
        let r = sobolIndices(plan: plan, outputs: plan.samples.map { $0[0] + 2 * $0[1] }, bootstrap: 0, seed: 0)
        #expect(abs(r[0].s1 - 0.2) < 0.02 && abs(r[0].st - 0.2) < 0.02)
        #expect(abs(r[1].s1 - 0.8) < 0.02 && abs(r[1].st - 0.8) < 0.02)
        #expect(r[0].s1Lo == r[0].s1 && r[0].stHi == r[0].st, "no bootstrap: intervals collapse")
    }
}
