import Testing
import SimCore
import SimConfig
@testable import Experiments

@Suite("Calibration")
struct CalibrationTests {
    @Test func recoversAnInteriorMinimum() {
        let params = [
            CalibrationParameter(name: "a", lo: -5, hi: 5, start: 0),
            CalibrationParameter(name: "b", lo: 0, hi: 10, start: 9),
        ]
        var evaluations = [[Double]]()
        let r = calibrate(parameters: params, maxIterations: 2000, tolerance: 1e-7) { x in
            evaluations.append(x)
            return (x[0] - 1.5) * (x[0] - 1.5) + 3 * (x[1] - 2) * (x[1] - 2) + 7
        }
        #expect(r.converged)
        #expect(abs(r.x[0] - 1.5) < 1e-3 && abs(r.x[1] - 2) < 1e-3, "\(r.x)")
        #expect(abs(r.value - 7) < 1e-6)
        #expect(r.atBound == [false, false])
        #expect(r.iterations > 0 && r.iterations <= 2000)
        #expect(evaluations.allSatisfy { $0[0] >= -5 && $0[0] <= 5 && $0[1] >= 0 && $0[1] <= 10 })
    }

    @Test func reportsAMinimumPinnedAtABound() {
        let params = [
            CalibrationParameter(name: "a", lo: 0, hi: 5, start: 2.5),
            CalibrationParameter(name: "b", lo: -1, hi: 1, start: 0.5),
        ]
        var evaluations = [[Double]]()
        let r = calibrate(parameters: params, maxIterations: 1000, tolerance: 1e-6) { x in
            evaluations.append(x)
            return (x[0] - 10) * (x[0] - 10) + (x[1] + 0.25) * (x[1] + 0.25)
        }
        #expect(abs(r.x[0] - 5) < 0.05, "pinned at hi: \(r.x)")
        #expect(abs(r.x[1] + 0.25) < 1e-3)
        #expect(r.atBound == [true, false])
        #expect(evaluations.allSatisfy { $0[0] >= 0 && $0[0] <= 5 && $0[1] >= -1 && $0[1] <= 1 })
    }

    @Test func startOnABoundIsNudgedInside() {
        let r = calibrate(parameters: [CalibrationParameter(name: "a", lo: 0, hi: 1, start: 0)],
                          maxIterations: 500, tolerance: 1e-7) { x in (x[0] - 0.3) * (x[0] - 0.3) }
        #expect(abs(r.x[0] - 0.3) < 1e-3 && r.atBound == [false])
    }
}
